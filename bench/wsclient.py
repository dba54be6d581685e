"""A minimal Streamlit browser stand-in: speaks the websocket protocol of Streamlit 1.67.

What a browser tab does, and what this module does the same way (checked against the installed
streamlit/proto/*_pb2.pyi files and the frontend bundle in streamlit/static):

* open ``ws://host/_stcore/stream`` with subprotocol ``streamlit``;
* first rerun: ``BackMsg.rerun_script`` = ``ClientState(query_string="w=..&p=..", page_name="vote",
  page_script_hash="")``; the server resolves the page by its url path and answers with
  ``new_session``, ``navigation`` (its ``page_script_hash`` is the page the tab is on from then on),
  the deltas, ``auto_rerun`` (fragment id + interval of each ``st.fragment(run_every=...)``) and
  ``script_finished``;
* every later rerun sends ``page_script_hash`` = that page hash and an empty ``page_name``;
* a ``run_every`` fragment is a browser ``setInterval``: ``ClientState(fragment_id=..., is_auto_rerun=True)``
  every ``interval`` seconds whether or not the last tick was answered;
* a widget inside a fragment reruns that fragment: ``fragment_id`` = the ``delta.fragment_id`` the
  widget arrived with, and ``widget_states`` carries the values of the ballot's widgets (a checkbox
  ``bool_value``; a multi-select ``st.pills`` group a ``string_array_value`` of the selected options'
  formatted labels, as in ``ButtonGroup.options[i].content``) and, for a click, the button's
  ``trigger_value=True``.

Two ballot layouts are understood, so the benchmark follows the app as it changes: one checkbox per
card (key ``card-{round}-{attempt}-{card_id}``) and one ``st.pills`` group per card type (key
``pills-{round}-{attempt}-{A|B|C}``, options in deck order). The submit button has key ``submit``.

Each run the server starts sends ``new_session`` (its ``metadata.run`` names the run and the fragments
it runs) and ends with ``script_finished`` (FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
or FINISHED_EARLY_FOR_RERUN when ``st.rerun`` or a newer request ended it). An interaction is answered
by the first run that *starts after it was sent* and covers its fragment; its latency ends at that
run's ``script_finished``. A run that ends "early" hands its interactions on to the next run if that
run covers their fragment again; otherwise, once a run that does not cover them completes (not cut
short itself), they are answered by what the early run drew. (Measured:
a poll tick that arrives while the ballot fragment runs does not cut the ballot short; the ballot
run completes, shows "Your ballot is saved", and only its status says FINISHED_EARLY_FOR_RERUN.)
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import re
import time
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

FINISHED_OK = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FINISHED_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
FINISHED_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
FINISHED_FRAGMENT_OK = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY

CARD_KEY = re.compile(r"card-(\d+)-(\d+)-(\d+)$")
PILLS_KEY = re.compile(r"pills-(\d+)-(\d+)-([A-Za-z])$")


class ProtocolError(Exception):
    """The page did not look like the vote page, or the server said something unexpected."""


@dataclass
class Interaction:
    """One BackMsg rerun we sent and wait for: a page load, a poll tick, a pick (tap) or the submit."""

    kind: str  # "load" | "tick" | "click" | "submit"
    fragment_id: str | None
    sent: float
    started: bool = False
    run_id: str = ""  # the run that answers it (metadata.run.script_run_id of its new_session)
    early_at: float | None = None  # its run ended FINISHED_EARLY_FOR_RERUN at this time
    passed_over_by: str = ""  # a run, started after the cut, that does not cover it; if that run completes, so does this
    done: asyncio.Future | None = None
    finished: float | None = None
    # For "submit": when the confirmation text arrived.
    confirmed: float | None = None
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Choice:
    """One card as the ballot offers it: a checkbox (``group`` None, ``key`` the card id) or a pill
    (``group`` the card type letter, ``key`` the option's index in that group, ``label`` its text)."""

    widget_id: str
    group: str | None
    key: int
    label: str = ""


@dataclass
class PageModel:
    """What the session learned from the vote page's elements."""

    page_script_hash: str = ""
    title: str = ""
    poll_fragment: str | None = None
    poll_interval: float | None = None
    ballot_fragment: str | None = None
    choices: list[Choice] = field(default_factory=list)  # every card the ballot offers, in page order
    submit_button: str | None = None
    submit_label: str = ""
    notes: list[str] = field(default_factory=list)  # alerts and headings seen, to explain a wrong page


class VoteSession:
    """One participant's browser tab on /vote?w=CODE&p=TOKEN."""

    def __init__(self, url: str, query_string: str, page_name: str = "vote", *, saved_marker: bytes = b"Your ballot is saved"):
        self.url = url
        self.query_string = query_string
        self.page_name = page_name
        self.saved_marker = saved_marker
        self.ws: ClientConnection | None = None
        self.page = PageModel()
        self.pending: list[Interaction] = []
        self.reader: asyncio.Task | None = None
        self.closed = asyncio.Event()
        self.close_reason: str | None = None
        self.errors: list[str] = []  # errors seen outside of any interaction we waited for
        # The ballot's widget values, sent with every rerun as a browser does: checkbox id -> bool,
        # pills id -> selected labels.
        self.checkbox_values: dict[str, bool] = {}
        self.pill_values: dict[str, list[str]] = {}
        self.send_widget_states = True
        self.msgs_received = 0
        self.bytes_received = 0
        self._collect_page = False
        self._run_fragments: list[str] = []
        # The last messages each way, to explain a failed interaction: (time, direction, summary).
        self.trace: collections.deque = collections.deque(maxlen=400)

    # -- connection -------------------------------------------------------------------------
    async def connect(self, open_timeout: float = 30) -> None:
        self.ws = await connect(
            self.url,
            subprotocols=["streamlit"],
            compression=None,  # the server has server.enableWebsocketCompression off by default
            proxy=None,  # never through a proxy: the benchmark only talks to 127.0.0.1
            open_timeout=open_timeout,
            ping_interval=None,  # browsers never ping; the server's pings are still answered
            max_size=None,
            max_queue=None,
            user_agent_header="abc-workshop-bench",
        )
        self.reader = asyncio.create_task(self._read_loop())

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(ConnectionClosed, OSError, TimeoutError):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.reader

    # -- what a tab sends -----------------------------------------------------------------------
    def _client_state(self, fragment_id: str | None = None, is_auto_rerun: bool = False) -> ClientState:
        state = ClientState(query_string=self.query_string, is_auto_rerun=is_auto_rerun)
        if self.page.page_script_hash:
            state.page_script_hash = self.page.page_script_hash
        else:
            state.page_name = self.page_name
        if fragment_id:
            state.fragment_id = fragment_id
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Amsterdam", -60, "en-GB"
        info.url = self.url.replace("ws://", "http://").replace("/_stcore/stream", f"/{self.page_name}?{self.query_string}")
        info.is_embedded, info.color_scheme = False, "light"
        if self.send_widget_states:
            for widget_id, value in self.checkbox_values.items():
                widget = state.widget_states.widgets.add()
                widget.id, widget.bool_value = widget_id, value
            for widget_id, labels in self.pill_values.items():
                widget = state.widget_states.widgets.add()
                widget.id = widget_id
                widget.string_array_value.data.extend(labels)
        return state

    async def _send(self, kind: str, state: ClientState) -> Interaction:
        if self.ws is None or self.closed.is_set():
            raise ProtocolError(f"connection closed ({self.close_reason})")
        interaction = Interaction(
            kind, state.fragment_id or None, time.perf_counter(), done=asyncio.get_running_loop().create_future()
        )
        self.pending.append(interaction)
        self.trace.append(
            (
                interaction.sent,
                "send",
                f"{kind} fragment={(state.fragment_id or '')[:8]} widgets={len(state.widget_states.widgets)}",
            )
        )
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        return interaction

    async def _wait(self, interaction: Interaction, timeout: float) -> Interaction:
        try:
            await asyncio.wait_for(asyncio.shield(interaction.done), timeout)
        except TimeoutError:
            if interaction in self.pending:
                self.pending.remove(interaction)
            raise ProtocolError(f"{interaction.kind}: no answer within {timeout:.0f} s") from None
        if interaction.errors:
            raise ProtocolError(f"{interaction.kind}: " + "; ".join(interaction.errors))
        return interaction

    async def load(self, timeout: float = 60) -> float:
        """The first rerun of a freshly opened tab; returns the seconds until script_finished."""
        self._collect_page = True
        try:
            interaction = await self._wait(await self._send("load", self._client_state()), timeout)
        finally:
            self._collect_page = False
        page = self.page
        page.choices = list(dict.fromkeys(page.choices))  # a run may draw the ballot twice
        problems = []
        if not page.page_script_hash:
            problems.append("no navigation.page_script_hash")
        if page.poll_fragment is None or not page.poll_interval:
            problems.append("no auto_rerun (poll fragment) message")
        if not page.choices:
            problems.append("no cards to pick (checkboxes or pills): not the vote page with an open round")
        if page.submit_button is None:
            problems.append("no submit button")
        if problems:
            raise ProtocolError("page load: " + ", ".join(problems) + f"; the page showed: {page.notes[:6]}")
        self.checkbox_values = {c.widget_id: False for c in page.choices if c.group is None}
        self.pill_values = {c.widget_id: [] for c in page.choices if c.group is not None}
        return interaction.finished - interaction.sent

    async def tick(self) -> Interaction:
        """Send one auto-rerun of the poll fragment (does not wait; see Interaction.done)."""
        return await self._send("tick", self._client_state(self.page.poll_fragment, is_auto_rerun=True))

    def choose(self, choice: Choice, picked: bool) -> None:
        """Change the ballot's widget value locally (sent with the next rerun)."""
        if choice.group is None:
            self.checkbox_values[choice.widget_id] = picked
            return
        labels = self.pill_values[choice.widget_id]
        if picked and choice.label not in labels:
            labels.append(choice.label)
        elif not picked and choice.label in labels:
            labels.remove(choice.label)

    async def tap(self, choice: Choice, picked: bool) -> Interaction:
        """A tap on a card without waiting for the answer (see Interaction.done)."""
        self.choose(choice, picked)
        return await self._send("click", self._client_state(self.page.ballot_fragment))

    async def pick(self, choice: Choice, picked: bool, timeout: float) -> float:
        """A tap on a card: the ballot fragment reruns with the new value; returns the seconds until it finished."""
        self.choose(choice, picked)
        interaction = await self._wait(await self._send("click", self._client_state(self.page.ballot_fragment)), timeout)
        return interaction.finished - interaction.sent

    async def vote(self, choices: list[Choice], timeout: float, *, set_choices: bool = True) -> Interaction:
        """The submit: one ballot-fragment rerun with the submit trigger (and, by default, the picks set in it too).

        Returns the interaction: ``confirmed - sent`` is the vote confirmation time, ``finished - sent``
        the time until the run that showed the confirmation ended.
        """
        if set_choices:
            for choice in choices:
                self.choose(choice, True)
        state = self._client_state(self.page.ballot_fragment)
        trigger = state.widget_states.widgets.add()
        trigger.id, trigger.trigger_value = self.page.submit_button, True
        interaction = await self._wait(await self._send("submit", state), timeout)
        if interaction.confirmed is None:
            raise ProtocolError("submit: the run ended without 'Your ballot is saved'")
        return interaction

    # -- what a tab receives ----------------------------------------------------------------------
    async def _read_loop(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                self.msgs_received += 1
                self.bytes_received += len(raw)
                self._handle(raw, now)
            self.close_reason = f"closed by server (code {self.ws.close_code})"
        except ConnectionClosed as closed:
            self.close_reason = f"connection closed: {closed}"
        except Exception as error:  # noqa: BLE001 - a bug in this client: end this tab visibly instead of hanging
            self.close_reason = f"client error: {error!r}"
        finally:
            self.closed.set()
            for interaction in self.pending:
                if not interaction.done.done():
                    interaction.errors.append(self.close_reason or "closed")
                    interaction.done.set_result(None)
            self.pending.clear()

    def _handle(self, raw: bytes, now: float) -> None:
        if self.saved_marker in raw:
            for interaction in self.pending:
                if interaction.kind == "submit" and interaction.started and interaction.confirmed is None:
                    interaction.confirmed = now
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind != "delta":
            detail = ""
            if kind == "new_session":
                detail = f" run={msg.metadata.run.script_run_id[:8]} fragments={[f[:8] for f in msg.metadata.run.fragment_ids]}"
            elif kind == "script_finished":
                detail = f" status={ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)} run={msg.metadata.run.script_run_id[:8]}"
            elif kind == "session_status_changed":
                detail = f" running={msg.session_status_changed.script_is_running}"
            self.trace.append((now, "recv", kind + detail))
        else:
            delta = msg.delta
            what = delta.new_element.WhichOneof("type") if delta.WhichOneof("type") == "new_element" else delta.WhichOneof("type")
            marker = " WITH THE SAVED MARKER" if self.saved_marker in raw else ""
            self.trace.append(
                (now, "recv", f"delta {what} fragment={delta.fragment_id[:8]} path={list(msg.metadata.delta_path)}{marker}")
            )
        if kind == "new_session":
            # A run starts. It answers every interaction sent before now that it covers: a full run covers
            # everything, a fragment run the fragments in metadata.run.fragment_ids.
            fragments = list(msg.metadata.run.fragment_ids)
            self._run_fragments = fragments
            remaining = []
            for interaction in self.pending:
                covered = not fragments or interaction.fragment_id in fragments
                if interaction.started:
                    pass  # its run has not finished yet (runs of one session do not overlap; its end is still queued)
                elif covered:
                    interaction.started = True
                    interaction.run_id = msg.metadata.run.script_run_id
                    interaction.early_at = None
                elif interaction.early_at is not None:
                    # Its run ended "early" because another request was waiting, and the run that follows
                    # does not include its fragment. If that run completes, what the cut run drew is the
                    # answer; if it is cut short too (e.g. by an st.rerun() that redraws the whole page),
                    # a later full run may still draw the answer, so keep waiting.
                    interaction.passed_over_by = msg.metadata.run.script_run_id
                remaining.append(interaction)
            self.pending = remaining
        elif kind == "script_finished":
            status = msg.script_finished
            run_id = msg.metadata.run.script_run_id  # empty only when the server failed to handle a request
            remaining = []
            for interaction in self.pending:
                if interaction.passed_over_by and interaction.passed_over_by == run_id:
                    interaction.passed_over_by = ""
                    if status != FINISHED_EARLY:
                        self._complete(interaction, interaction.early_at)
                        if interaction.kind == "submit" and interaction.confirmed is None:
                            interaction.errors.append("ballot run cut short before the confirmation, and not rerun")
                        continue
                if not interaction.started or (run_id and interaction.run_id and interaction.run_id != run_id):
                    remaining.append(interaction)
                elif status == FINISHED_EARLY and not (interaction.kind == "submit" and interaction.confirmed is not None):
                    # st.rerun() or a newer request ended this run; the next run may take it up again.
                    interaction.started = False
                    interaction.early_at = now
                    remaining.append(interaction)
                else:
                    if status == FINISHED_COMPILE_ERROR:
                        interaction.errors.append("script compile error")
                    self._complete(interaction, now)
            self.pending = remaining
        elif kind == "delta":
            delta = msg.delta
            if delta.WhichOneof("type") != "new_element":
                return
            element = delta.new_element
            element_type = element.WhichOneof("type")
            if element_type == "exception":
                self._error(f"exception on page: {element.exception.type}: {element.exception.message[:200]}")
            elif element_type == "alert" and element.alert.format == Alert.Format.ERROR:
                self._error(f"error shown: {element.alert.body[:200]}")
            if not self._collect_page:
                return
            if element_type == "checkbox":
                match = CARD_KEY.search(element.checkbox.id)
                if match:
                    self.page.choices.append(Choice(element.checkbox.id, None, int(match.group(3))))
                    self.page.ballot_fragment = delta.fragment_id or None
            elif element_type == "button_group":
                match = PILLS_KEY.search(element.button_group.id)
                if match:
                    group = match.group(3)
                    for index, option in enumerate(element.button_group.options):
                        self.page.choices.append(Choice(element.button_group.id, group, index, option.content))
                    self.page.ballot_fragment = delta.fragment_id or None
            elif element_type == "button" and element.button.id.endswith("-submit"):
                self.page.submit_button = element.button.id
                self.page.submit_label = element.button.label
            elif element_type == "heading":
                self.page.title = self.page.title or element.heading.body
                self.page.notes.append(f"heading {element.heading.body[:60]!r}")
            elif element_type == "alert":
                self.page.notes.append(f"alert {element.alert.body[:80]!r}")
        elif kind == "navigation":
            self.page.page_script_hash = msg.navigation.page_script_hash
        elif kind == "auto_rerun":
            self.page.poll_fragment = msg.auto_rerun.fragment_id
            self.page.poll_interval = msg.auto_rerun.interval
        elif kind == "page_not_found":
            self._error(f"page not found: {msg.page_not_found.page_name!r}")

    @staticmethod
    def _complete(interaction: Interaction, when: float) -> None:
        interaction.finished = when
        if not interaction.done.done():
            interaction.done.set_result(None)

    def _error(self, text: str) -> None:
        started = [i for i in self.pending if i.started]
        if started:
            for interaction in started:
                interaction.errors.append(text)
        else:
            self.errors.append(text)
