"""A light Streamlit client: the browser's websocket protocol, without a browser.

It talks to ``ws://HOST:PORT/_stcore/stream`` (subprotocol ``streamlit``) as the frontend does,
as seen by sniffing chromium on this app (Streamlit 1.67):

* the browser sends ``BackMsg.rerun_script`` (a ``ClientState``): on opening a URL with
  ``page_name`` (the URL path) and ``query_string``; on a sidebar link with the page's
  ``page_script_hash`` and no widget states; on a widget change with the page's hash, the
  query string and the value of every widget on the page (buttons once, as a trigger); a
  widget inside an ``st.fragment`` adds the delta's ``fragment_id``; an ``AutoRerun`` message
  (``st.fragment(run_every=…)``) makes it send ``is_auto_rerun`` with that fragment id, every
  interval for as long as the page is open (the client times each one: ``auto_runs``);
* ``page_info_changed`` is the script changing the address bar's query (``st.query_params``):
  every later rerun sends that query string, as the browser does from its address bar;
* a link (``st.page_link``) sends the page's hash with the query string the link carries;
* each run answers with ``new_session`` (its ``script_run_id``, fragment ids), ``delta``
  messages (an element or block at a ``delta_path``) and ``script_finished`` (status); after a
  finished run the browser drops the elements that run did not send again (for a fragment run,
  only the fragment's); ``FINISHED_EARLY_FOR_RERUN`` means another run follows (``st.rerun``).

Widgets are found by label or by key (``$$ID-<hash>-<key>``), never by a fixed id, so the
client keeps working when the page is rearranged. Images (``/media/…``) are fetched once each,
as the browser's cache would, but not waited for. What it records is in runs.py; the canvas
values it sends for a drawing in canvas.py.
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

from bench.loadtest import routing
from bench.loadtest.runs import EARLY, Answer, AutoRun, Element, Run


class StreamlitClient:
    """One browser tab's worth of Streamlit session, driven from Python (asyncio)."""

    def __init__(self, base_url: str, *, fetch_media: bool = True, timeout: float = 120.0, load_page: bool = False):
        """``load_page``: GET the page's HTML before each websocket, as a browser does (behind a proxy, the
        route cookie comes with it); cookies are kept for the tab's life either way."""
        parts = urlsplit(base_url)
        self.base, self.host, self.port = base_url.rstrip("/"), parts.hostname, parts.port or 80
        self.fetch_media, self.timeout, self.load_page = fetch_media, timeout, load_page
        self.cookies = routing.Cookies()
        self.ws = None
        self.auto_runs: list[AutoRun] = []  # every fragment auto-rerun, kept across sessions
        self._reset()

    def _reset(self) -> None:
        self.pages: dict[str, str] = {}  # URL path ("" for the main page) -> page script hash
        self.page_hash = self.query = self.path = ""
        self.elements: dict[tuple[int, ...], Element] = {}
        self.runs: list[Run] = []
        self.errors: list[str] = []  # everything the server showed as an error, in order
        self.requests: list[tuple[int, float, str]] = []  # reruns asked for: (run count, time, fragment)
        self._values: dict[str, WidgetState] = {}
        self._dirty: set[str] = set()  # widgets changed since the last request
        self._triggers: dict[str, WidgetState] = {}
        self._auto: dict[str, asyncio.Task] = {}
        self._media: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        self._seq = 0
        self._closed: str | None = None
        self._changed = asyncio.Condition()

    # -- navigation and widgets -------------------------------------------------------------

    async def open(self, page: str = "", query: str = "", until=None) -> Answer:
        """Open ``/page?query`` in a fresh session (a new tab, or typing the URL)."""
        await self.close()
        self._reset()
        started = time.perf_counter()
        if self.load_page:
            status = await routing.get(self.host, self.port, f"/{page}" + (f"?{query}" if query else ""),
                                       self.cookies)
            if status != 200:
                raise ConnectionError(f"the page /{page} answered HTTP {status}")
        url = f"ws://{self.host}:{self.port}/_stcore/stream"
        self.ws = await connect(url, subprotocols=["streamlit"], origin=self.base, max_size=2**27,
                                open_timeout=self.timeout, additional_headers=self.cookies.header())
        self.cookies.take(self.ws.response.headers.get_all("Set-Cookie"))
        self._spawn(self._read())
        self.path, self.query = page, query
        answer = await self._request(page_name=page, until=until)
        answer.sent = started  # timed from before the connection, as a page load is
        return answer

    async def goto(self, page: str, query: str = "", until=None) -> Answer:
        """Follow a link to another page in the same session (session state kept)."""
        self.path, self.query = page, query
        self._values.clear()
        return await self._request(page_hash=self.pages[page], until=until)

    async def follow(self, label: str, until=None) -> Answer:
        """Click the link (``st.page_link``, e.g. in the sidebar) labelled ``label``: its page, its query."""
        link = next((el for el in self.elements.values() if el.kind == "page_link" and el.label == label), None)
        if link is None:
            raise LookupError(f"no link labelled {label!r} on the page")
        path = next((p for p, h in self.pages.items() if h == link.proto.page_script_hash), link.proto.page)
        return await self.goto(path, link.proto.query_string, until=until)

    def widget(self, label: str | None = None, key: str | None = None, kind: str | None = None) -> Element:
        """The widget on the page with this label or key (a key ending in ``-`` matches any suffix)."""
        for el in self.elements.values():
            if not el.id or (kind and el.kind != kind) or (label is not None and el.label != label):
                continue
            if key is None or el.key == key or (key.endswith("-") and (el.key or "").startswith(key)):
                return el
        raise LookupError(f"no widget with label={label!r} key={key!r} on the page")

    def set(self, widget: Element, value) -> None:
        """Give a widget a value for the next rerun, encoded as the browser encodes it."""
        state = WidgetState(id=widget.id)
        self._dirty.add(widget.id)
        p, kind = widget.proto, widget.kind
        if kind == "button":
            state.trigger_value = True
            self._triggers[widget.id] = state
            return
        if kind == "bidi_component":
            state.json_value = json.dumps(value)
        elif kind == "slider" and len(p.options):
            state.string_array_value.data[:] = [str(value)]
        elif kind == "slider":
            state.double_array_value.data[:] = [float(value)]
        elif kind == "button_group":  # st.segmented_control / st.pills: the chosen options as shown
            chosen = value if isinstance(value, (list, tuple)) else [] if value is None else [value]
            state.string_array_value.data[:] = [str(v) for v in chosen]
        elif kind in ("radio", "selectbox", "text_input", "text_area"):
            state.string_value = str(value)
        elif kind == "number_input":
            if p.data_type == p.INT:
                state.int_value = int(value)
            else:
                state.double_value = float(value)
        elif kind in ("checkbox", "toggle"):
            state.bool_value = bool(value)
        else:
            raise TypeError(f"setting a {kind} widget is not supported")
        self._values[widget.id] = state

    async def rerun(self, until=None, wait: str = "finish") -> Answer | None:
        """Send the widget values set so far, as the browser does after a change."""
        present = self.elements_by_id()
        fragments = {present[i].fragment_id for i in self._dirty if i in present}
        fragment = fragments.pop() if len(fragments) == 1 else ""
        return await self._request(page_hash=self.page_hash, fragment_id=fragment, until=until, wait=wait)

    def elements_by_id(self) -> dict[str, Element]:
        return {el.id: el for el in self.elements.values() if el.id}

    def metric(self, label: str) -> str | None:
        """A metric's value as shown on the page, or None."""
        for el in self.elements.values():
            if el.kind == "metric" and el.label == label:
                return el.text
        return None

    def texts(self, kind: str) -> list[str]:
        """The visible text of every element of one kind, in page order."""
        return [el.text for _, el in sorted(self.elements.items()) if el.kind == kind]

    async def close(self) -> None:
        for task in [*self._tasks, *self._auto.values()]:
            task.cancel()
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    # -- protocol ----------------------------------------------------------------------------

    async def _request(self, page_name=None, page_hash="", fragment_id="", auto=False, until=None,
                       wait="finish") -> Answer | None:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        if page_name is not None:
            cs.page_name = page_name
        else:
            cs.page_script_hash = page_hash
        cs.fragment_id, cs.is_auto_rerun = fragment_id, auto
        present = self.elements_by_id()
        cs.widget_states.widgets.extend(s for i, s in self._values.items() if i in present)
        cs.widget_states.widgets.extend(self._triggers.values())
        self._triggers.clear()
        self._dirty.clear()
        ci = cs.context_info
        ci.timezone, ci.locale, ci.color_scheme = "UTC", "en-US", "light"
        ci.url = f"{self.base}/{self.path}"
        seq, sent = self._seq, time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        self.requests.append((seq, sent, fragment_id))
        if wait == "start":  # only until the run has begun (a stroke the student does not wait for)
            await self._wait(lambda: any(r.seq > seq for r in self.runs))
            return None
        if wait == "none":  # the request itself, for the caller to time
            return seq, sent, fragment_id
        return await self._answer(seq, sent, fragment_id, until)

    def observe(self, payload: bytes, sent: bool = False) -> None:
        """Follow a real browser's websocket frames instead: the same bookkeeping, nothing sent."""
        now = time.perf_counter()
        if sent:
            msg = BackMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "rerun_script":
                self.requests.append((self._seq, now, msg.rerun_script.fragment_id))
        else:
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            self._handle(msg, now)
        asyncio.get_running_loop().create_task(self._notify())

    async def answer_to(self, request: tuple[int, float, str], until=None) -> Answer:
        """The answer to one of ``requests`` (for a browser being observed)."""
        return await self._answer(*request, until)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _answer(self, seq, sent, fragment_id, until) -> Answer:
        found: list[Element] = []

        def done():
            runs = [r for r in self.runs if r.seq > seq]
            if until is not None and not found:
                found.extend(el for r in runs for el in r.elements if until(el))
            # an auto-rerun of some other fragment does not answer a full rerun
            mine = [r for r in runs if not r.fragment_ids or fragment_id in r.fragment_ids]
            return next((r for r in mine if r.status is not None and r.status != EARLY), None)

        final = await self._wait(done)
        runs = [r for r in self.runs if r.seq > seq and r.seq <= final.seq]
        el = found[0] if found else None
        return Answer(sent, final.finished, final.status, runs, el.at if el else None, el)

    async def _wait(self, predicate):
        async with asyncio.timeout(self.timeout), self._changed:
            while True:
                result = predicate()
                if result:
                    return result
                if self._closed:
                    raise ConnectionError(self._closed)
                await self._changed.wait()

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg, time.perf_counter())
                await self._notify()
        except Exception as exc:  # the connection broke: tell whoever waits
            self._closed = f"websocket closed: {exc!r}"
        else:
            self._closed = "websocket closed by the server"
        async with self._changed:
            self._changed.notify_all()

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        run = self.runs[-1] if self.runs else None
        if kind == "new_session":
            self._seq += 1
            frags = tuple(msg.metadata.run.fragment_ids)
            run = Run(msg.metadata.run.script_run_id, frags, self._seq, now)
            self.runs = [*self.runs[-50:], run]
            if not frags:
                for task in self._auto.values():
                    task.cancel()
                self._auto.clear()
        elif kind == "navigation":  # the page this run shows (new_session names the main script)
            for p in msg.navigation.app_pages:
                self.pages["" if p.is_default else (p.url_pathname or p.page_name)] = p.page_script_hash
            if msg.navigation.page_script_hash != self.page_hash:
                self.elements.clear()
                self.page_hash = msg.navigation.page_script_hash
        elif kind == "delta" and run is not None:
            self._delta(msg, run, now)
        elif kind == "script_finished" and run is not None:
            run.finished, run.status = now, ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            if run.status == "FINISHED_WITH_COMPILE_ERROR":
                self._error(run, "script did not compile")
            if run.status != EARLY:
                self._drop_stale(run)
        elif kind == "session_event":
            event = msg.session_event
            if event.WhichOneof("type") == "script_compilation_exception":
                exc = event.script_compilation_exception
                self._error(run, f"compile error: {exc.type}: {exc.message}")
        elif kind == "page_info_changed":  # the script changed st.query_params: the address bar follows
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self._error(run, f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "auto_rerun":
            frag = msg.auto_rerun.fragment_id
            if frag not in self._auto and self.ws is not None:  # an observed browser reruns by itself
                self._auto[frag] = asyncio.ensure_future(self._auto_rerun(frag, msg.auto_rerun.interval))
        elif kind == "stop_auto_rerun":
            for frag in msg.stop_auto_rerun.fragment_ids:
                task = self._auto.pop(frag, None)
                if task:
                    task.cancel()

    def _delta(self, msg: ForwardMsg, run: Run, now: float) -> None:
        delta, path = msg.delta, tuple(msg.metadata.delta_path)
        which = delta.WhichOneof("type")
        if which == "new_element":
            kind = delta.new_element.WhichOneof("type")
            el = Element(path, kind, getattr(delta.new_element, kind), delta.fragment_id, run.run_id, now)
        elif which == "add_block":
            el = Element(path, "block", delta.add_block, delta.fragment_id, run.run_id, now)
        else:
            return  # transient elements (spinners) come and go
        self.elements[path] = el
        run.elements.append(el)
        if el.kind == "exception":
            self._error(run, el.text)
        elif el.kind == "alert" and el.proto.format == el.proto.ERROR:
            self._error(run, f"st.error: {el.text}")
        elif el.kind == "imgs" and self.fetch_media:
            for img in el.proto.imgs:
                if img.url.startswith("/media/") and img.url not in self._media:
                    self._media.add(img.url)
                    self._spawn(self._fetch(img.url, run))

    def _drop_stale(self, run: Run) -> None:
        """What the browser does when a run finishes: forget what that run did not send again."""
        for path, el in list(self.elements.items()):
            if el.run_id != run.run_id and (not run.fragment_ids or el.fragment_id in run.fragment_ids):
                del self.elements[path]

    def _error(self, run: Run | None, text: str) -> None:
        self.errors.append(text)
        if run is not None:
            run.errors.append(text)

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        """The browser's timer for a ``run_every`` fragment: a rerun of it every ``interval`` seconds."""
        try:
            while self.ws is not None:
                await asyncio.sleep(interval)
                request = await self._request(page_hash=self.page_hash, fragment_id=fragment_id, auto=True,
                                              wait="none")
                auto = AutoRun(self.path, fragment_id, interval)
                self.auto_runs.append(auto)
                self._spawn(self._time_auto(auto, request))
                await self._wait(lambda request=request: any(r.seq > request[0] for r in self.runs))
        except (ConnectionError, TimeoutError) as exc:
            self._error(None, f"auto-rerun of a fragment failed: {exc!r}")

    async def _time_auto(self, auto: AutoRun, request) -> None:
        try:
            answer = await self._answer(*request, None)
        except asyncio.CancelledError:
            auto.error = "the page was left before the answer"
            raise
        except (ConnectionError, TimeoutError) as exc:
            auto.error = f"no answer: {exc!r}"
            self._error(None, f"auto-rerun of a fragment got no answer: {exc!r}")
            return
        if not answer.runs[-1].fragment_ids:
            auto.error = "answered by a full run"  # the page was rerun or left meanwhile
        else:
            auto.answer = answer

    async def _fetch(self, url: str, run: Run) -> None:
        """GET an image as the browser would (routing.get: read to the end, cookies sent and kept)."""
        try:
            status = await routing.get(self.host, self.port, url, self.cookies)
            if status != 200:
                self._error(run, f"image {url}: HTTP {status}")
        except OSError as exc:
            self._error(run, f"image {url}: {exc!r}")

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
