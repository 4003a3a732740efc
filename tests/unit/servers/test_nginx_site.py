"""The nginx site: deploy/nginx/digits.conf is what the generator makes, and Debian's nginx, run with
it in front of two stand-in servers, routes by the cookie, fails over, keeps a moved browser where it
went, logs no query string (a teacher's link carries its key) and compresses the pages' code."""

import gzip
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from digitlib.servers import nginx_site
from digitlib.servers.__main__ import main
from tests.support.browser import free_port
from tests.support.nginx import nginx_proxy
from tests.support.paths import ROOT


def test_the_deployed_site_is_the_generators_for_two_local_servers(capsys):
    assert main(["127.0.0.1:8501", "127.0.0.1:8502"]) == 0
    assert capsys.readouterr().out == (ROOT / "deploy" / "nginx" / "digits.conf").read_text()


@pytest.mark.parametrize("addresses, listen", [([], "80"), (["127.0.0.1:8501"] * 2, "80"),
                                               (["app.school:8501"], "80"), (["127.0.0.1:8501;"], "80"),
                                               (["127.0.0.1:8501"], "80; include /etc/passwd")])
def test_odd_addresses_are_refused(addresses, listen):
    with pytest.raises(ValueError):
        nginx_site.render(addresses, listen)


def _stand_in(port, folder=None):
    """A plain HTTP server standing in for an app server (serving ``folder``, else the working folder)."""
    where = ["--directory", str(folder)] if folder else []
    return subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", *where],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(port):
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answers on {port}")


def _cookie_set(proxy, route=None):
    """The route cookie nginx sets on its answer to a browser sending ``route`` (None: no cookie)."""
    headers = {"Cookie": f"{nginx_site.COOKIE}={route}"} if route else {}
    answer = urllib.request.urlopen(urllib.request.Request(proxy + "/", headers=headers), timeout=10)
    values = [h.split(";")[0].split("=", 1)[1] for h in answer.headers.get_all("Set-Cookie") or []]
    return values[0] if values else None


def test_routing_follows_the_cookie_and_the_browser_stays_where_a_failover_took_it():
    ports = [free_port(), free_port()]
    servers = [_stand_in(port) for port in ports]
    try:
        for port in ports:
            _wait_for(port)
        with nginx_proxy(ports) as proxy:
            assert [proxy.upstream_of("s1"), proxy.upstream_of("s2")] == ports
            assert _cookie_set(proxy) in ("s1", "s2")  # a newcomer gets one
            assert _cookie_set(proxy, "s1") is None  # already right
            assert _cookie_set(proxy, "nonsense") in ("s1", "s2")  # an unknown one is replaced
            servers[0].kill()
            servers[0].wait()
            assert _cookie_set(proxy, "s1") == "s2"  # its server is down: the other answers, the cookie moves
            assert proxy.upstream_of("s1") == ports[1]
            servers[0] = _stand_in(ports[0])  # back again
            _wait_for(ports[0])
            assert proxy.upstream_of("s2") == ports[1]  # the moved browser stays
            assert proxy.served("s1")[0] == ports[0]
            with pytest.raises(urllib.error.HTTPError):  # the stand-in has no such page; nginx logs it all the same
                urllib.request.urlopen(proxy + "/Class?class=ABCDEFGH&teacher=not-in-the-logs", timeout=10)
            for _ in range(40):  # nginx writes the line once the answer has gone
                if '"GET /Class"' in (log := (proxy.folder / "digits-access.log").read_text()):
                    break
                time.sleep(0.05)
            assert '"GET /Class"' in log and "not-in-the-logs" not in log and "ABCDEFGH" not in log
    finally:
        for server in servers:
            server.kill()
            server.wait()


def test_the_pages_code_is_sent_compressed_to_a_browser_that_accepts_it(tmp_path):
    script = b"function lesson(n){return n*2}\n" * 4000  # 124 KB, as Streamlit's code arrives uncompressed
    (tmp_path / "index.js").write_bytes(script)
    port = free_port()
    server = _stand_in(port, tmp_path)
    try:
        _wait_for(port)
        with nginx_proxy([port]) as proxy:
            asked = urllib.request.Request(proxy + "/index.js", headers={"Accept-Encoding": "gzip"})
            answer = urllib.request.urlopen(asked, timeout=10)
            body = answer.read()
            assert answer.headers["Content-Encoding"] == "gzip" and len(body) < len(script) / 10
            assert gzip.decompress(body) == script
            plain = urllib.request.urlopen(proxy + "/index.js", timeout=10)  # a client that does not accept it
            assert plain.headers["Content-Encoding"] is None and plain.read() == script
    finally:
        server.kill()
        server.wait()
