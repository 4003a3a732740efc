"""Debian's nginx on loopback in front of app servers, configured as deploy/nginx/digits.conf is.

    from tests.support.nginx import nginx_proxy, app_servers

    with app_servers(2, tmp / "models", DIGITS_DATABASE_URL=url) as servers:    # ServerURLs
        with nginx_proxy([s.port for s in servers]) as proxy:                   # "http://127.0.0.1:P"
            ...  # browsers and light clients talk to ``proxy``

``nginx_proxy(ports, folder=None)`` writes the site (``digitlib.servers.nginx_site``, which made
deploy/nginx/digits.conf) for upstreams 127.0.0.1:<port> (``s1``, ``s2``… in order), listening on
127.0.0.1:<a free port>, wrapped in a full nginx.conf whose pid file, logs and temporary files
live in ``folder`` (a new temporary folder by default), runs ``/usr/sbin/nginx -p <folder> -c
nginx.conf`` in the foreground, waits until it answers, yields its base URL (a ``ProxyURL``: a
``str`` with ``.pid``, ``.folder``, ``.ports``, ``.route_to(port)``, ``.served(route)`` and
``.upstream_of(route)``) and stops it. Nothing needs root; as root the workers stay root so they
can use the private folder. The site's access log (``folder``/digits-access.log, also reachable as
``folder``/access.log) has one line per request: ``<route cookie> "<upstream address(es)>" <status>
"<method> <path>" <seconds> <time>``.

Routing is sticky by the ``digits_route`` cookie, which names the server (``s1``, ``s2``…) that
answered last: nginx sets it on its first answer to a browser (the server with the fewest open
connections) and again when that server was down and another answered. A client that is not a
browser should keep it and send it with every request, its websocket included, or each connection
lands on a server of its own. ``proxy.route_to(port)`` is the cookie value naming that upstream port;
``proxy.served(route)`` lists the upstream port of each request that carried it (from nginx's access
log); ``proxy.upstream_of(route)`` asks nginx once where it sends that cookie now. For browsers,
``open_through(browser, proxy, port, path)`` opens a page whose cookie names that server, and
``route_of(page)`` reads the cookie its browser holds now.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from digitlib.servers import nginx_site
from tests.support.browser import ServerURL, app_server, free_port, wait_for_run

NGINX = "/usr/sbin/nginx"
COOKIE = nginx_site.COOKIE
ACCESS_LOG = "digits-access.log"

_MAIN = """\
{user}worker_processes 1;
worker_rlimit_nofile 8192;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    access_log off;  # the site logs its own requests, in {folder}/{access}
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    include {folder}/site.conf;
}}
"""


def require_nginx() -> None:
    """Skip on a laptop without nginx; fail in CI, where .ci/run installs it."""
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{NGINX} is missing: .ci/run should have installed Debian's nginx")
        pytest.skip(f"the several-servers tests need {NGINX} (Debian package 'nginx')")


def site_config(upstream_ports: Iterable[int], listen_port: int, logs: Path) -> str:
    """deploy/nginx/digits.conf's site (``digitlib.servers.nginx_site``) for these loopback ports."""
    return nginx_site.render([f"127.0.0.1:{port}" for port in upstream_ports], f"127.0.0.1:{listen_port}", str(logs))


class ProxyURL(str):
    """nginx's base URL, carrying its process id and its folder (configuration, logs)."""

    def __new__(cls, url: str, pid: int, folder: Path, ports: list[int]):
        obj = super().__new__(cls, url)
        obj.pid, obj.folder, obj.ports = pid, folder, ports
        return obj

    def served(self, route: str) -> list[int]:
        """The upstream port that answered each request carrying ``digits_route=route`` so far, in order."""
        log = self.folder / ACCESS_LOG
        ports = []
        for line in (log.read_text(errors="replace").splitlines() if log.exists() else []):
            key, upstream = line.split(" ", 1)[0], line.split('"')[1]
            if key == route and upstream != "-":  # "a:1, b:2" when the first was down
                ports.append(int(upstream.split(",")[-1].rsplit(":", 1)[1]))
        return ports

    def upstream_of(self, route: str) -> int:
        """The upstream port nginx sends the cookie ``digits_route=route`` to (asks it once)."""
        before = len(self.served(route))
        request = urllib.request.Request(self + "/_stcore/health", headers={"Cookie": f"{COOKIE}={route}"})
        try:
            urllib.request.urlopen(request, timeout=10).read()
        except urllib.error.HTTPError:
            pass
        for _ in range(50):  # nginx writes the line once the answer has gone
            if len(ports := self.served(route)) > before:
                return ports[-1]
            time.sleep(0.05)
        raise RuntimeError(f"nginx logged no upstream for route {route!r}")

    def route_to(self, port: int) -> str:
        """The ``digits_route`` cookie value (``s1``, ``s2``…) that names the upstream on ``port``."""
        return f"s{self.ports.index(port) + 1}"


@contextmanager
def nginx_proxy(upstream_ports: Iterable[int], folder: Path | None = None) -> Iterator[ProxyURL]:
    """Run nginx on a free 127.0.0.1 port in front of ``upstream_ports``; yield its base URL."""
    require_nginx()
    made = folder is None
    folder = Path(tempfile.mkdtemp(prefix="digits-nginx-")) if folder is None else Path(folder)
    (folder / "tmp").mkdir(parents=True, exist_ok=True)
    port = free_port()
    upstream_ports = list(upstream_ports)
    (folder / "site.conf").write_text(site_config(upstream_ports, port, folder))
    (folder / ACCESS_LOG).touch()
    if not (folder / "access.log").exists():
        (folder / "access.log").symlink_to(ACCESS_LOG)  # the name it had first (bench.loadtest reads it)
    user = "user root root;\n" if os.geteuid() == 0 else ""  # as root, workers would become "nobody"
    (folder / "nginx.conf").write_text(_MAIN.format(user=user, folder=folder, access=ACCESS_LOG))
    log = open(folder / "nginx.out", "w")
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 20
        while True:
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2).read()
                break
            except urllib.error.HTTPError:  # nginx answers, whatever its upstreams say
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    error = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                    raise RuntimeError(f"nginx did not start: {error}{(folder / 'nginx.out').read_text()}") from None
                time.sleep(0.1)
        yield ProxyURL(base, proc.pid, folder, upstream_ports)
    finally:
        proc.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        if made:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def app_servers(count: int, cache_dir: Path, **env_vars: str) -> Iterator[list[ServerURL]]:
    """``count`` app servers sharing one model folder ``cache_dir`` (and whatever ``env_vars`` name,
    such as ``DIGITS_DATABASE_URL``); their URLs, each with ``.port`` and ``.pid``."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        servers = [stack.enter_context(app_server(cache_dir, **env_vars)) for _ in range(count)]
        for server in servers:
            server.port = int(server.rsplit(":", 1)[1])
        yield servers


def open_through(browser, proxy: ProxyURL, port: int, path: str, viewport: dict | None = None):
    """A new browser context whose route cookie sends it to the server on ``port`` through ``proxy``,
    with a page opened on ``path`` and its first run finished."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    context.add_cookies([{"name": COOKIE, "value": proxy.route_to(port), "url": proxy}])
    page = context.new_page()
    page.goto(proxy + path)
    wait_for_run(page)
    return page


def route_of(page) -> str:
    """The route cookie ``page``'s browser holds now (nginx moves it when another server answers)."""
    return next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
