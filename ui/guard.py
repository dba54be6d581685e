"""The pages' side of abc_workshop/throttle.py: who is asking (their address and browser session), and a refusal
with a wait instead of a check once they have failed too often.

The address is the browser's own (st.context.ip_address) when it reaches the server directly. Behind a reverse
proxy on the same machine every browser arrives from 127.0.0.1, so the address the proxy adds last to
X-Forwarded-For (or puts in X-Real-IP) is used; those headers are believed only from a loopback peer, since any
browser can send them. README.md ("Doors") says how to set up the proxy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from abc_workshop.domain import WorkshopError
from abc_workshop.i18n import ngettext
from abc_workshop.throttle import Guard, guards

T = TypeVar("T")


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


def waiting_message(seconds: float, kind: str) -> str:
    """The sentence a page shows instead of checking an attempt of `kind`: a wait in seconds, or in minutes from two
    minutes on. One whole sentence per kind and unit, so each language words it in its own order."""
    wait = max(1, math.ceil(seconds))
    minutes = wait >= 120
    n = round(wait / 60) if minutes else wait
    sentences = {
        ("codes", False): ngettext(
            "Too many wrong codes or links from here in a short time: please wait {n} second, then try again.",
            "Too many wrong codes or links from here in a short time: please wait {n} seconds, then try again.",
            n,
        ),
        ("codes", True): ngettext(
            "Too many wrong codes or links from here in a short time: please wait {n} minute, then try again.",
            "Too many wrong codes or links from here in a short time: please wait {n} minutes, then try again.",
            n,
        ),
        ("keys", False): ngettext(
            "Too many wrong keys from here in a short time: please wait {n} second, then try again.",
            "Too many wrong keys from here in a short time: please wait {n} seconds, then try again.",
            n,
        ),
        ("keys", True): ngettext(
            "Too many wrong keys from here in a short time: please wait {n} minute, then try again.",
            "Too many wrong keys from here in a short time: please wait {n} minutes, then try again.",
            n,
        ),
        ("joins", False): ngettext(
            "Too many joins from here in a short time: please wait {n} second, then try again.",
            "Too many joins from here in a short time: please wait {n} seconds, then try again.",
            n,
        ),
        ("joins", True): ngettext(
            "Too many joins from here in a short time: please wait {n} minute, then try again.",
            "Too many joins from here in a short time: please wait {n} minutes, then try again.",
            n,
        ),
    }
    return sentences[(kind, minutes)].format(n=n)


def refuse_while_waiting(kind: str) -> bool:
    """Show the wait and return True when this browser must wait before trying `kind` again."""
    wait = wait_before(kind)
    if wait > 0:
        st.error(waiting_message(wait, kind), icon="⏳")
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
