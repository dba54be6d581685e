"""A browser tab as the live room benchmark needs it: Streamlit's websocket plus the page's event stream.

What the tab does, the way ui/live.js and ui/phone.js do it in a real browser:
* opens ``/_stcore/stream`` (subprotocol ``streamlit``) and runs the page (``ClientState`` with the query
  string and page name; later reruns carry the page's script hash);
* reads the components each run draws (``delta.new_element.bidi_component``: ``abc_live`` gives the
  stream address and the digest the page drew; ``abc_phone`` a participant's stream address, the digest
  of the polls it drew, and the answer to a submit);
* opens the stream (``GET /live/<code>?watch=...``, Server-Sent Events over HTTP/1.1, chunked). A page
  with ``abc_live`` asks for a rerun when an event's digest differs from the one it drew, as the component
  does: a ``json_trigger_value`` ``[{"event": "changed", ...}]`` on the component's trigger widget
  (``$$STREAMLIT_INTERNAL_KEY_<id>__events``). A phone draws the round from the event itself: it has
  drawn a state when the event arrived and it holds the round's deck, which it fetches once
  (``GET /live/deck/<id>``) as soon as an event names it, while the round is still being prepared
  if it can; it asks for a rerun only when the polls part differs from what its page drew;
* submits a ballot as the phone does: a ``submit`` trigger with the round, attempt, card ids and a nonce,
  in the phone's fragment, answered when a run gives the phone that nonce in its ``outcome``.
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

RESEND_SECONDS = 4.0  # ui/phone.js PHONE_RESEND_MS
TRIGGER_ID = "$$STREAMLIT_INTERNAL_KEY_{}__events"  # streamlit/components/v2/bidi_component/main.py
FETCHING = float("inf")


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
    redraws: list[tuple[float, str]] = field(default_factory=list)  # (time, digest of what the screen shows now)
    decks: dict[int, float] = field(default_factory=dict)  # deck id -> when this browser held its cards
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
        info.timezone, info.locale, info.url = (
            "Europe/Amsterdam",
            "en-GB",
            f"http://{self.host}:{self.port}/{self.page}?{self.query}",
        )
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
        while self.phone() is None:  # the join reruns the page (st.rerun) with the new token in the address
            if time.perf_counter() > deadline:
                raise TabError("joined, but the page never showed the participant's view")
            self._finished.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), 1)

    async def submit(self, cards: list[int], nonce: str, timeout: float = 120) -> float:
        """Submit a ballot as ui/phone.js does; returns the seconds until a run gave the answer to this nonce."""
        started = time.perf_counter()
        phone = self.phone()
        if phone is None or not self.events:
            raise TabError("no phone view following the stream on the page")
        round_id, state, attempt, _ = self.events[-1][1]["view"]["round"]["stage"]
        if state != "open":
            raise TabError(f"the round is {state}, not open")
        sent = {"round": round_id, "attempt": attempt, "cards": cards, "nonce": nonce}
        await self.trigger(phone, "submit", sent, timeout)
        while True:
            outcome = (self.phone().data or {}).get("outcome") or {}
            if outcome.get("nonce") == nonce:
                if not outcome.get("ok"):
                    raise TabError(f"ballot refused: {outcome.get('message')}")
                return time.perf_counter() - started
            if time.perf_counter() - started > timeout:
                raise TabError("the ballot's answer never came")
            # The answer went missing (a dropped run): like ui/phone.js, send the same submit again after a while.
            await asyncio.sleep(RESEND_SECONDS)
            await self.trigger(self.phone(), "submit", sent, timeout)

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
            if live is not None and self.phone() is None:
                self.redraws.append((time.perf_counter(), live.data.get("drawn")))
            self._finished.set()

    def live(self) -> Component | None:
        return next((c for c in self.components.values() if c.name == "abc_live" and c.data.get("mode") == "follow"), None)

    def phone(self) -> Component | None:
        return next((c for c in self.components.values() if c.name == "abc_phone"), None)

    # -- the event stream ------------------------------------------------------------------------------

    def listen(self, follow: bool = True) -> None:
        """Open the page's event stream; with `follow`, rerun the page whenever it is behind, as ui/live.js does."""
        listener = self.phone() or self.live()
        if listener is None or not listener.data.get("url"):
            raise TabError("the page drew no component that listens to the event stream")
        self._stream = asyncio.create_task(self._listen(listener.data["url"], follow))

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
                            if self.phone() is not None:
                                self._draw(event)
                            if follow:
                                self._changed.set()
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            self.errors.append(f"stream: {error}")
        finally:
            writer.close()

    def _draw(self, event: dict) -> None:
        """What ui/phone.js does with an event: draw it now, or once the round's deck has come."""
        round_ = event["view"].get("round") or {}
        for deck_id in round_.get("drafts", []):  # fetched ahead of the round's opening
            if deck_id not in self.decks:
                self.decks[deck_id] = FETCHING
                asyncio.ensure_future(self._fetch_deck(deck_id))
        spec = round_.get("spec")
        held = self.decks.get(spec["deck"]) if spec else None
        if spec is None or (held is not None and held != FETCHING):
            self.redraws.append((time.perf_counter(), event["digest"]))
        elif held is None:
            self.decks[spec["deck"]] = FETCHING  # one fetch per deck and browser; its end draws the latest event
            asyncio.ensure_future(self._fetch_deck(spec["deck"]))

    async def _fetch_deck(self, deck_id: int) -> None:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            writer.write(f"GET /live/deck/{deck_id} HTTP/1.1\r\nHost: {self.host}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 60)
            writer.close()
            if b" 200 " not in answer.split(b"\r\n", 1)[0] or not json.loads(answer.split(b"\r\n\r\n", 1)[1]):
                raise TabError(f"deck {deck_id}: {answer[:60]!r}")
        except (OSError, ValueError, TabError, TimeoutError) as error:
            self.errors.append(f"deck: {error!r}")
            del self.decks[deck_id]
            return
        self.decks[deck_id] = time.perf_counter()
        latest = self.events[-1][1]
        if ((latest["view"].get("round") or {}).get("spec") or {}).get("deck") == deck_id:
            self.redraws.append((self.decks[deck_id], latest["digest"]))

    async def follow_forever(self) -> None:
        """Rerun when the page is behind the stream, as ui/live.js (any part) and ui/phone.js (the polls) do."""
        while True:
            await self._changed.wait()
            self._changed.clear()
            latest = self.events[-1][1]
            phone, live = self.phone(), self.live()
            if phone is not None:
                target, behind = phone, latest["parts"].get("polls") != phone.data.get("pollsDrawn")
            else:
                target, behind = live, live is not None and latest["digest"] != live.data.get("drawn")
            if behind:
                try:
                    await self.trigger(target, "changed", latest["digest"])
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
