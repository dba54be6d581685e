"""The server's own routes beside Streamlit's: the live event stream every open page listens to.

GET /live/<join code>?watch=stage,polls streams Server-Sent Events. The first event is the current
state at once (so a page that reconnects after a drop, or after a server restart, catches up on
everything it missed), then one event each time the watched parts change: a small JSON object with
the digest of those parts (abc_workshop/live.py), a digest per part, the parts themselves and the
server's clock.
A comment line every 30 s keeps proxies from closing an idle stream.

One Watcher thread per process notices changes; the Hub, on the server's event loop, hands each
change to the streams of that workshop. Subscribers that watch the same parts share one encoding
of each event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from abc_workshop import i18n
from abc_workshop.live import UnknownTopic, Watcher, change_source, digest, parse_topics, part_digests, project
from abc_workshop.store import Store
from ui.store import database_location

KEEP_ALIVE_SECONDS = 30.0  # proxies commonly close a silent connection after 60 s
RETRY_MILLISECONDS = 2000


@dataclass(eq=False)
class Subscriber:
    workshop_id: int
    topics: tuple[str, ...]
    last_digest: str | None = None
    pending: str | None = None  # the newest event not yet sent; older ones are superseded
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def offer(self, event_digest: str, payload: str) -> None:
        if event_digest != self.last_digest:
            self.last_digest = event_digest
            self.pending = payload
            self.wake.set()


class Hub:
    """Streams by workshop, on the event loop; the watcher's thread reaches it through call_soon_threadsafe."""

    def __init__(self, watcher_factory, loop: asyncio.AbstractEventLoop):
        self._loop = loop
        self._subscribers: dict[int, set[Subscriber]] = {}
        self.watcher: Watcher = watcher_factory(self._from_thread)
        self.events_sent = 0

    def _from_thread(self, workshop_id: int, pulse: dict | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closing: nobody is listening any more
            self._loop.call_soon_threadsafe(self.publish, workshop_id, pulse)

    def subscribe(self, workshop_id: int, topics: tuple[str, ...]) -> Subscriber:
        subscriber = Subscriber(workshop_id, topics)
        pulse = self.watcher.watch(workshop_id)
        self._subscribers.setdefault(workshop_id, set()).add(subscriber)
        subscriber.offer(*encode(pulse, topics))
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        streams = self._subscribers.get(subscriber.workshop_id)
        if streams and subscriber in streams:
            streams.discard(subscriber)
            if not streams:
                del self._subscribers[subscriber.workshop_id]
            self.watcher.unwatch(subscriber.workshop_id)

    def publish(self, workshop_id: int, pulse: dict | None) -> None:
        encoded: dict[tuple[str, ...], tuple[str, str]] = {}
        for subscriber in self._subscribers.get(workshop_id, ()):
            if subscriber.topics not in encoded:
                encoded[subscriber.topics] = encode(pulse, subscriber.topics)
            subscriber.offer(*encoded[subscriber.topics])

    def streams(self) -> int:
        return sum(len(streams) for streams in self._subscribers.values())


def encode(pulse: dict | None, topics: tuple[str, ...]) -> tuple[str, str]:
    view = project(pulse, topics)
    view_digest = digest(view)
    return view_digest, json.dumps({"digest": view_digest, "parts": part_digests(view), "view": view}, separators=(",", ":"))


class Live:
    """What the lifespan starts: the hub, its watcher, and a store for closing rounds whose timer ran out."""

    current: Live | None = None

    def __init__(self, loop: asyncio.AbstractEventLoop):
        location = database_location()
        self.store = Store(location)  # migrates a new database before the first page opens it
        self.source = change_source(location)
        self.hub = Hub(lambda listener: Watcher(self.source, listener, expire=self._expire), loop)
        self.decks: dict[tuple[int, str], str] = {}  # (deck id, language) -> its cards as JSON

    def _expire(self, workshop_id: int, pulse: dict) -> None:
        round_id, state, _, closes_at = pulse["stage"]
        now = time.time()
        if state == "open" and closes_at and closes_at <= now:
            self.store.close_if_expired(round_id)
        for poll_id, poll_state, poll_closes_at in pulse["polls"]:
            if poll_state == "open" and poll_closes_at and poll_closes_at <= now:
                self.store.close_poll_if_expired(poll_id)

    def close(self) -> None:
        self.hub.watcher.stop()
        self.source.close()
        self.store.close()


def running() -> bool:
    """True when this process serves the event stream (started through app.py), so pages can listen to it."""
    return Live.current is not None


async def _stream(request: Request):
    live = Live.current
    if live is None:
        return PlainTextResponse("The live stream is not running on this server.", status_code=503)
    try:
        topics = parse_topics(request.query_params.get("watch", ""))
    except UnknownTopic as refusal:
        return PlainTextResponse(str(refusal), status_code=400)
    workshop_id = await asyncio.to_thread(live.source.workshop_for_code, request.path_params["code"])
    if workshop_id is None:
        return PlainTextResponse("There is no workshop with this code.", status_code=404)
    subscriber = live.hub.subscribe(workshop_id, topics)

    async def events():
        try:
            yield f"retry: {RETRY_MILLISECONDS}\n\n"
            while True:
                if subscriber.pending is not None:
                    payload, subscriber.pending = subscriber.pending, None
                    live.hub.events_sent += 1
                    yield f'data: {payload[:-1]},"now":{time.time():.3f}}}\n\n'
                    continue
                subscriber.wake.clear()
                try:
                    await asyncio.wait_for(subscriber.wake.wait(), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    yield ": still here\n\n"
        finally:
            live.hub.unsubscribe(subscriber)

    headers = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


async def _deck(request: Request):
    """A deck's cards as the ballot draws them, in the language of ?lang= (abc_workshop/i18n.py). A deck's cards never
    change once loaded; their translations may, when a new version of the app brings better ones, so browsers keep
    a deck for an hour and the server until it restarts."""
    live = Live.current
    if live is None:
        return PlainTextResponse("The live routes are not running on this server.", status_code=503)
    deck_id = request.path_params["deck_id"]
    language = i18n.supported(request.query_params.get("lang")) or i18n.DEFAULT
    if (deck_id, language) not in live.decks:
        from ui.phone import cards_for_browser

        with i18n.speaking(language):  # asyncio.to_thread carries the language into the thread that reads
            cards = await asyncio.to_thread(live.store.cards, deck_id)
        if not cards:
            return PlainTextResponse("There is no such deck.", status_code=404)
        live.decks[(deck_id, language)] = json.dumps(cards_for_browser(cards), separators=(",", ":"))
    return Response(
        live.decks[(deck_id, language)], media_type="application/json", headers={"Cache-Control": "public, max-age=3600"}
    )


async def _status(request: Request):
    """How many streams and watched workshops this process holds, and how often it looked: for benchmarks and operators."""
    live = Live.current
    if live is None:
        return JSONResponse({"running": False})
    watcher = live.hub.watcher
    return JSONResponse(
        {
            "running": True,
            "streams": live.hub.streams(),
            "workshops": len(watcher.watched()),
            "checks": watcher.checks,
            "reads": watcher.reads,
            "events_sent": live.hub.events_sent,
        }
    )


def routes() -> list:
    return [Route("/live/status", _status), Route("/live/deck/{deck_id:int}", _deck), Route("/live/{code}", _stream)]


@contextlib.asynccontextmanager
async def lifespan(app):
    live = Live(asyncio.get_running_loop())
    live.hub.watcher.start()
    Live.current = live
    try:
        yield
    finally:
        Live.current = None
        live.close()
