"""What a browser does besides the websocket, and a light client must too behind a proxy: load the page's
HTML, keep the cookies it is given (nginx's route cookie: sticky routing), send them back on every
request, fetch the page's images."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from pathlib import Path


class Cookies:
    """The cookies one browser tab holds for the site (names and values only: one site, one path)."""

    def __init__(self):
        self.values: dict[str, str] = {}

    def take(self, set_cookie_headers) -> None:
        """Keep what ``Set-Cookie`` headers set."""
        for header in set_cookie_headers:
            jar = SimpleCookie()
            jar.load(header)
            self.values.update({name: morsel.value for name, morsel in jar.items()})

    def header(self) -> dict[str, str]:
        """The ``Cookie`` header to send, if any."""
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.values.items())} if self.values else {}


async def get(host: str, port: int, url: str, cookies: Cookies) -> int:
    """GET ``url`` as the browser would (HTTP/1.1, read to the end, cookies sent and kept); the status code."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        extra = "".join(f"{k}: {v}\r\n" for k, v in cookies.header().items())
        writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}Connection: close\r\n\r\n".encode())
        status = (await reader.readline()).split()
        set_cookie = []
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "set-cookie":
                set_cookie.append(value.strip())
        await reader.read()
        cookies.take(set_cookie)
        return int(status[1]) if len(status) > 1 and status[1].isdigit() else 0
    finally:
        writer.close()


def upstreams(access_log: Path) -> dict[str, int]:
    """Each route cookie's upstream port, from nginx's access log in tests/support/nginx.py's format
    (``$cookie_digits_route "$upstream_addr" ...``; the last address when nginx had to try another)."""
    routes = {}
    for line in access_log.read_text(errors="replace").splitlines():
        route, _, rest = line.partition(" ")
        upstream = rest.split('"')[1] if rest.count('"') >= 2 else "-"
        if route not in ("", "-") and upstream != "-":
            routes[route] = int(upstream.split(",")[-1].rsplit(":", 1)[1])
    return routes
