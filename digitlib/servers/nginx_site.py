"""The nginx site that puts N app servers behind one address: ``python -m digitlib.servers ADDRESS...``.

A Streamlit session lives in one server process (its websocket, its ``/media`` files, its uploads),
so every request of a browser must reach the server that holds its session. A school's students
often share one public address (NAT), so routing follows a cookie, not the address: ``digits_route``
names the server (``s1``, ``s2``…) that answered the browser last. A browser without it goes to the
server with the fewest open connections; a browser whose server is down goes to another, and the
cookie then follows it there, so it stays there when its first server comes back.
``deploy/nginx/digits.conf`` is this file for two servers on 127.0.0.1:8501 and :8502.
"""

from __future__ import annotations

import re

COOKIE = "digits_route"
_FOLDER = re.compile(r"(/[A-Za-z0-9_.+-]+)+/?")
_ADDRESS = re.compile(r"(?:\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}")  # nginx logs the address it connected to

_HEAD = """\
# nginx site for digits: @COUNT@ Streamlit servers behind one address (README "Deploy for a school").
# Made by: python -m digitlib.servers @ADDRESSES@
# Install: save as /etc/nginx/sites-available/digits, link it into /etc/nginx/sites-enabled/ (and
# remove Debian's "default" site there), then: nginx -t && systemctl reload nginx
# Put TLS in front (listen 443 ssl, with certificates) before students use it over the internet.

# The server that holds a browser's session, named by the digits_route cookie; no cookie (or an
# unknown one): the pool, which picks the server with the fewest open connections.
map $cookie_digits_route $digits_upstream {
    default digits;
@UPSTREAM_BY_NAME@}

# The server that answered (the last address when nginx had to try another: the first was down).
map $upstream_addr $digits_served_by {
    default "";
@NAME_BY_ADDRESS@}

# The cookie is (re)set when it is missing or names another server than the one that answered.
map "$cookie_digits_route/$digits_served_by" $digits_route_cookie {
    ~^([^/]*)/\\1$ "";
    ~/$ "";
    default "digits_route=$digits_served_by; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax";
}

# Nothing secret or personal in the logs (README "Privacy and data"): no addresses, no query strings
# (a teacher's link carries its key), only the path; upstream errors (which name both) are not logged.
log_format digits '$cookie_digits_route "$upstream_addr" $status "$request_method $uri" $request_time $time_iso8601';

# Streamlit's websocket: pass the upgrade on; keep other connections to the servers open.
map $http_upgrade $digits_connection {
    default upgrade;
    "" "";
}

# Newcomers. A server that refuses a connection is left out for 10 s.
upstream digits {
    least_conn;
@POOL@    keepalive 32;
}
"""

_SERVER = """
server {
    listen @LISTEN@;
    server_name _;
    access_log @LOGS@/digits-access.log digits;
    error_log @LOGS@/digits-error.log crit;

    # server.maxUploadSize is 12 MiB per file (.streamlit/config.toml), plus the form's envelope.
    client_max_body_size 13m;

    # Streamlit sends its pages' code (3.3 MB of JavaScript for a newcomer) uncompressed: compressed
    # here, a class on the school's network downloads under a third of it. Images are compressed already.
    gzip on;
    gzip_proxied any;
    gzip_comp_level 5;
    gzip_min_length 1024;
    gzip_vary on;
    gzip_types application/javascript text/javascript text/css application/json image/svg+xml text/plain;

    location / {
        proxy_pass http://$digits_upstream;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $digits_connection;
        # A lesson's websocket stays open for hours, with long quiet spells.
        proxy_read_timeout 4h;
        proxy_send_timeout 4h;
        # A dead or restarting server: try another (a request it never received is safe to resend).
        proxy_connect_timeout 3s;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 3;
        # Uploads go straight through, as the browser sends them.
        proxy_request_buffering off;
        add_header Set-Cookie $digits_route_cookie always;
    }
}
"""


def render(addresses: list[str], listen: str = "80", logs: str = "/var/log/nginx") -> str:
    """The site for app servers at ``addresses`` (``IP:port``, in order: ``s1``, ``s2``…), listening on
    ``listen`` (a port, or ``IP:port``), its logs in the folder ``logs``."""
    if not addresses or len(set(addresses)) != len(addresses):
        raise ValueError("give each app server's address once")  # English: for the operator
    if not _FOLDER.fullmatch(logs):
        raise ValueError(f"not an absolute folder of plain names: {logs!r}")  # English: for the operator
    for address in [*addresses, listen if ":" in listen else f"0.0.0.0:{listen}"]:
        if not _ADDRESS.fullmatch(address):
            raise ValueError(f"not an IPv4 address and port: {address!r}")  # English: for the operator
    names = [f"s{i}" for i in range(1, len(addresses) + 1)]
    fails = "max_fails=1 fail_timeout=10s"
    text = (_HEAD.replace("@COUNT@", str(len(addresses))).replace("@ADDRESSES@", " ".join(addresses))
            .replace("@UPSTREAM_BY_NAME@", "".join(f"    {n} digits_{n};\n" for n in names))
            .replace("@NAME_BY_ADDRESS@", "".join(f"    ~(^|\\s){re.escape(a)}$ {n};\n"
                                                  for n, a in zip(names, addresses, strict=True)))
            .replace("@POOL@", "".join(f"    server {a} {fails};\n" for a in addresses)))
    for name, address in zip(names, addresses, strict=True):
        others = "".join(f"    server {a} backup;\n" for a in addresses if a != address)
        text += (f"\n# Browsers whose session is on {name}; while it is down, the others stand in.\n"
                 f"upstream digits_{name} {{\n    server {address} {fails};\n{others}    keepalive 8;\n}}\n")
    return text + _SERVER.replace("@LISTEN@", listen).replace("@LOGS@", logs.rstrip("/"))
