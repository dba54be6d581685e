"""A browser tab as the live room benchmark needs it: Streamlit's websocket plus the page's event stream.

What the tab does, the way ui/live.js and ui/ballot.js do it in a real browser:
* opens ``/_stcore/stream`` (subprotocol ``streamlit``) and runs the page (``ClientState`` with the query
  string and page name; later reruns carry the page's script hash);
* reads the components each run draws (``delta.new_element.bidi_component``: ``abc_live`` gives the
  stream address and the digest the page drew; ``abc_ballot`` the ballot and the answer to a submit);
* opens the stream (``GET /live/<code>?watch=...``, Server-Sent Events over HTTP/1.1, chunked) and, when an
  event's digest differs from the one the page drew, asks for a rerun as the component does: a
  ``json_trigger_value`` ``[{"event": "changed", ...}]`` on the component's trigger widget
  (``$$STREAMLIT_INTERNAL_KEY_<id>__events``);
* submits a ballot as the ballot does: a ``submit`` trigger with the card ids and a nonce, in the ballot's
  fragment, answered when a run draws the ballot with that nonce in its ``outcome``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

RESEND_SECONDS = 4.0  # ui/ballot.js RESEND_MS
TRIGGER_ID = "$$STREAMLIT_INTERNAL_KEY_{}__events"  # streamlit/components/v2/bidi_component/main.py


class TabError(Exception):
    pass


@dataclass
class Component:
    id: str
    name: str
    data: dict
    fragment_id: str = ""


@dataclass
class Tab:
    host: str
    port: int
    page: str
    query: str
    page_hash: str = ""
    components: dict[str, Component] = field(default_factory=dict)
    runs_finished: int = 0
    bytes_received: int = 0
    events: list[tuple[float, dict]] = field(default_factory=list)  # (arrival, event) from the stream
    redraws: list[tuple[float, str]] = field(default_factory=list)  # (time, digest drawn) after each run
    errors: list[str] = field(default_factory=list)
    auto_rerun: tuple[str, float] | None = None  # a run_every fragment's id and interval (the reference page)
    widgets: dict[str, str] = field(default_factory=dict)  # kind -> id of the join form's widgets

    def __post_init__(self):
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._stream: asyncio.Task | None = None
        self._finished = asyncio.Event()
        self._changed = asyncio.Event()
        self._run_components: dict[str, Component] = {}

    # -- Streamlit's websocket ---------------------------------------------------------------------

    async def open(self, timeout: float = 120) -> float:
        """Open the tab and run the page; returns the seconds until its first run finished."""
        started = time.perf_counter()
        self._ws = await connect(
            f"ws://{self.host}:{self.port}/_stcore/stream", subprotocols=["streamlit"], compression=None, proxy=None,
            open_timeout=timeout, ping_interval=None, max_size=None, max_queue=None,
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read())
        await self._rerun(ClientState(), timeout)
        return time.perf_counter() - started

    def _state(self, state: ClientState) -> ClientState:
        state.query_string = self.query
        if self.page_hash:
            state.page_script_hash = self.page_hash
        else:
            state.page_name = self.page
        info = state.context_info
        info.timezone, info.locale, info.url = "Europe/Amsterdam", "en-GB", f"http://{self.host}:{self.port}/{self.page}?{self.query}"
        return state

    async def _rerun(self, state: ClientState, timeout: float) -> None:
        self._finished.clear()
        await self._ws.send(BackMsg(rerun_script=self._state(state)).SerializeToString())
        try:
            await asyncio.wait_for(self._finished.wait(), timeout)
        except TimeoutError:
            raise TabError(f"no run finished within {timeout:.0f} s") from None

    async def tick(self, timeout: float = 120) -> None:
        """One tick of the page's run_every fragment, as a browser's timer sends it."""
        state = ClientState(fragment_id=self.auto_rerun[0], is_auto_rerun=True)
        await self._rerun(state, timeout)

    async def join(self, name: str, team: str, timeout: float = 120) -> None:
        """Fill in the vote page's join form and submit it; the page then reruns as the joined participant."""
        if not {"text_input", "radio", "submit"} <= set(self.widgets):
            raise TabError(f"no join form on the page (saw {sorted(self.widgets)})")
        state = ClientState()
        for widget_id, setter in (
            (self.widgets["text_input"], lambda w: setattr(w, "string_value", name)),
            (self.widgets["radio"], lambda w: setattr(w, "string_value", team)),  # a radio sends its option's label
            (self.widgets["submit"], lambda w: setattr(w, "trigger_value", True)),
        ):
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            setter(widget)
        await self._rerun(state, timeout)
        deadline = time.perf_counter() + timeout
        while self.live() is None:  # the join reruns the page (st.rerun) with the new token in the address
            if time.perf_counter() > deadline:
                raise TabError("joined, but the page never showed the participant's view")
            self._finished.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), 1)

    async def submit(self, cards: list[int], nonce: str, timeout: float = 120) -> float:
        """Submit a ballot as ui/ballot.js does; returns the seconds until a run drew the answer to this nonce."""
        started = time.perf_counter()
        ballot = self.ballot()
        if ballot is None:
            raise TabError("no ballot on the page")
        await self.trigger(ballot, "submit", {"cards": cards, "nonce": nonce}, timeout)
        while True:
            outcome = (self.ballot().data or {}).get("outcome") or {}
            if outcome.get("nonce") == nonce:
                if not outcome.get("ok"):
                    raise TabError(f"ballot refused: {outcome.get('message')}")
                return time.perf_counter() - started
            if time.perf_counter() - started > timeout:
                raise TabError("the ballot's answer never came")
            # The answer went missing (a dropped run): like ui/ballot.js, send the same submit again after a while.
            await asyncio.sleep(RESEND_SECONDS)
            await self.trigger(self.ballot(), "submit", {"cards": cards, "nonce": nonce}, timeout)

    async def trigger(self, component: Component, event: str, value, timeout: float = 120) -> None:
        state = ClientState()
        if component.fragment_id:
            state.fragment_id = component.fragment_id
        widget = state.widget_states.widgets.add()
        widget.id = TRIGGER_ID.format(component.id)
        widget.json_trigger_value = json.dumps([{"event": event, "value": value}])
        await self._rerun(state, timeout)

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                self.bytes_received += len(raw)
                self._handle(raw)
        except ConnectionClosed as closed:
            self.errors.append(f"websocket closed: {closed}")
        finally:
            self._finished.set()

    def _handle(self, raw: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._run_components = {}
        elif kind == "page_info_changed" and msg.page_info_changed.query_string:
            self.query = msg.page_info_changed.query_string
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            element_type = element.WhichOneof("type")
            if element_type in ("text_input", "radio"):
                self.widgets[element_type] = getattr(element, element_type).id
            elif element_type == "button" and element.button.is_form_submitter:
                self.widgets["submit"] = element.button.id
            if element_type == "bidi_component":
                proto = element.bidi_component
                data = json.loads(proto.json) if proto.json else {}
                component = Component(proto.id, proto.component_name, data, msg.delta.fragment_id)
                self.components[proto.id] = self._run_components[proto.id] = component
        elif kind == "auto_rerun":
            self.auto_rerun = (msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "script_finished":
            self.runs_finished += 1
            live = self.live()
            if live is not None:
                self.redraws.append((time.perf_counter(), live.data.get("drawn")))
            self._finished.set()

    def live(self) -> Component | None:
        return next((c for c in self.components.values() if c.name == "abc_live" and c.data.get("mode") == "follow"), None)

    def ballot(self) -> Component | None:
        return next((c for c in self.components.values() if c.name == "abc_ballot"), None)

    # -- the event stream ------------------------------------------------------------------------------

    def listen(self, follow: bool = True) -> None:
        """Open the page's event stream; with `follow`, rerun the page whenever it is behind, as ui/live.js does."""
        live = self.live()
        if live is None:
            raise TabError("the page drew no live component")
        self._stream = asyncio.create_task(self._listen(live.data["url"], follow))

    async def _listen(self, url: str, follow: bool) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(f"GET {url} HTTP/1.1\r\nHost: {self.host}\r\nAccept: text/event-stream\r\n\r\n".encode())
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                raise TabError(f"stream answered {status!r}")
            while (await reader.readline()) not in (b"\r\n", b""):
                pass
            buffer = b""
            while True:
                size_line = await reader.readline()
                if not size_line:
                    return
                size = int(size_line.strip() or b"0", 16)
                chunk = await reader.readexactly(size + 2)
                buffer += chunk[:-2]
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    for line in block.split(b"\n"):
                        if line.startswith(b"data: "):
                            event = json.loads(line[6:])
                            self.events.append((time.perf_counter(), event))
                            if follow:
                                self._changed.set()
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            self.errors.append(f"stream: {error}")
        finally:
            writer.close()

    async def follow_forever(self) -> None:
        """Rerun when the stream's digest differs from the drawn one; one request per new state."""
        while True:
            await self._changed.wait()
            self._changed.clear()
            live = self.live()
            latest = self.events[-1][1]
            if live is not None and latest["digest"] != live.data.get("drawn"):
                try:
                    await self.trigger(live, "changed", latest["digest"])
                except TabError as error:
                    self.errors.append(str(error))

    async def close(self) -> None:
        for task in (self._stream, self._reader):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), 5)
