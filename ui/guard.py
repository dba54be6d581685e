"""The pages' side of abc_workshop/throttle.py: who is asking (their address and browser session), and a refusal
with a wait instead of a check once they have failed too often.

The address is the browser's own (st.context.ip_address) when it reaches the server directly. Behind a reverse
proxy on the same machine every browser arrives from 127.0.0.1, so the address the proxy adds last to
X-Forwarded-For (or puts in X-Real-IP) is used; those headers are believed only from a loopback peer, since any
browser can send them. README.md ("Doors") says how to set up the proxy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from abc_workshop.domain import WorkshopError
from abc_workshop.throttle import Guard, guards, waiting_message

T = TypeVar("T")
# What each kind of attempt is called; abc_workshop/throttle.py's waiting_message says its whole sentence for it.
WHAT = {"codes": "wrong codes or links", "keys": "wrong keys", "joins": "joins"}


@st.cache_resource(show_spinner=False)
def _server_guards() -> dict[str, Guard]:
    """One set of guards per server process, shared by every session (cleared with the caches in tests)."""
    return guards()


def client_address() -> str:
    direct = st.context.ip_address
    if direct:
        return direct
    forwarded = [part.strip() for part in st.context.headers.get_all("X-Forwarded-For") for part in part.split(",")]
    forwarded = [part for part in forwarded if part]
    if forwarded:
        return forwarded[-1]
    return st.context.headers.get("X-Real-IP", "").strip() or "local"


def browser_session() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "no-session"


def wait_before(kind: str) -> float:
    """Seconds this browser must wait before its next attempt of `kind` is checked (0: now)."""
    return _server_guards()[kind].wait(client_address(), browser_session())


def count(kind: str) -> None:
    """One more failure of `kind` (for joins: one more join) from this browser."""
    _server_guards()[kind].failed(client_address(), browser_session())


def refuse_while_waiting(kind: str) -> bool:
    """Show the wait and return True when this browser must wait before trying `kind` again."""
    wait = wait_before(kind)
    if wait > 0:
        st.error(waiting_message(wait, WHAT[kind]), icon="⏳")
    return wait > 0


def look_up(kind: str, typed: str | None, lookup: Callable[[str], T | None], not_found: str) -> T | None:
    """What a typed code or link opens, or None after saying why (wrong, or wait first); an empty one is not a guess."""
    if not typed or refuse_while_waiting(kind):
        return None
    found = lookup(typed)
    if found is None:
        count(kind)
        st.error(not_found)
    return found


def guarded(kind: str, check: Callable[[], T | None], *, failures: tuple[type[Exception], ...] = (WorkshopError,)) -> T | None:
    """Run `check` unless this browser must wait first; a None result or one of `failures` counts as a failure
    (which is raised on, for the page to show). Returns what `check` found, or None."""
    if refuse_while_waiting(kind):
        return None
    try:
        found = check()
    except failures:
        count(kind)
        raise
    if found is None:
        count(kind)
    return found
