"""Slowing down guesses and floods, per network address and per browser session; no Streamlit here.

A join code has 20**6 values, a survey or channel link far more, a facilitator key about 2**69: safe against a
person, not against a script making hundreds of guesses a second. The pages ask a `Guard` before they check
anything typed and tell it each failure. After a few failures, each further attempt must wait, and the page says
for how long; while it waits nothing is checked at all (no database read, no scrypt for a key).

Two kinds of counting, because a whole room may share one public address (a venue's NAT):
- per browser session, a `Backoff`: a few free failures, then each one doubles the wait, up to a cap;
- per address, a `Bucket`: a burst a busy room never reaches, refilled at a steady rate that bounds a script.
The numbers and why they were chosen are in README.md ("Doors") and GUARDS below.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .i18n import N_, _, ngettext

Clock = Callable[[], float]
MAX_TRACKED = 50_000  # addresses or sessions remembered per guard; the least recently seen are forgotten first
# The waiting sentence of each kind of attempt, whole, by what the pages call it (ui/guard.py WHAT) or the guard's name.
_TOO_MANY = {
    "wrong codes or links": N_("Too many wrong codes or links from here in a short time: please wait {wait}, then try again."),
    "wrong keys": N_("Too many wrong keys from here in a short time: please wait {wait}, then try again."),
    "joins": N_("Too many joins from here in a short time: please wait {wait}, then try again."),
}
_TOO_MANY.update({"codes": _TOO_MANY["wrong codes or links"], "keys": _TOO_MANY["wrong keys"]})


@dataclass
class _Debt:
    failures: float = 0  # a level that drains with time, so fractional between failures
    until: float = 0.0  # no attempt before this time
    last: float = 0.0


class Backoff:
    """After `free` failures in a row, a wait of `first` seconds before the next attempt, doubling with each further
    failure up to `longest`; forgotten after `forget` seconds without a failure."""

    def __init__(self, free: int, first: float, longest: float, forget: float):
        self.free, self.first, self.longest, self.forget = free, first, longest, forget

    def wait(self, debt: _Debt, now: float) -> float:
        return max(0.0, debt.until - now)

    def fail(self, debt: _Debt, now: float) -> None:
        if now - debt.last > self.forget:
            debt.failures, debt.until = 0, 0.0
        debt.failures += 1
        debt.last = now
        beyond = debt.failures - self.free
        if beyond >= 0:
            debt.until = now + min(self.longest, self.first * 2**beyond)


class Bucket:
    """Holds `burst` attempts and gains one every `every` seconds: at most burst + t / every attempts in t seconds."""

    def __init__(self, burst: int, every: float):
        self.burst, self.every = burst, every

    def _level(self, debt: _Debt, now: float) -> float:
        # A debt's failures are the bucket's used tokens, paid back one every `every` seconds since the last use.
        return max(0.0, debt.failures - (now - debt.last) / self.every)

    def wait(self, debt: _Debt, now: float) -> float:
        level = self._level(debt, now)
        return 0.0 if level <= self.burst - 1 else (level - (self.burst - 1)) * self.every

    def fail(self, debt: _Debt, now: float) -> None:
        debt.failures, debt.last = self._level(debt, now) + 1, now


class Guard:
    """One kind of attempt (a typed code, a key, a join), counted per address and per session.

    `wait(address, session)` says how many seconds to wait before the next attempt may be checked (0: go ahead);
    `failed(address, session)` counts one more failure (or, for joins, one more use). Thread-safe: every session
    of the server shares one guard of each kind."""

    def __init__(self, per_address: Bucket, per_session: Backoff, clock: Clock = time.monotonic):
        self.per_address, self.per_session, self.clock = per_address, per_session, clock
        self._debts: OrderedDict[tuple[str, str], _Debt] = OrderedDict()
        self._lock = threading.Lock()

    def _debt(self, kind: str, name: str) -> _Debt:
        debt = self._debts.pop((kind, name), None) or _Debt()
        self._debts[(kind, name)] = debt  # most recently seen last
        while len(self._debts) > 2 * MAX_TRACKED:
            self._debts.popitem(last=False)
        return debt

    def wait(self, address: str, session: str) -> float:
        with self._lock:
            now = self.clock()
            return max(
                self.per_address.wait(self._debt("address", address), now),
                self.per_session.wait(self._debt("session", session), now),
            )

    def failed(self, address: str, session: str) -> None:
        with self._lock:
            now = self.clock()
            self.per_address.fail(self._debt("address", address), now)
            self.per_session.fail(self._debt("session", session), now)


def waiting_message(seconds: float, what: str) -> str:
    """The sentence a page shows instead of checking an attempt, in the run's language; `what` names the attempts
    ("wrong keys", or the guard's name "keys")."""
    wait = max(1, math.ceil(seconds))
    if wait < 120:
        clock = ngettext("{n} second", "{n} seconds", wait).format(n=wait)
    else:
        minutes = round(wait / 60)
        clock = ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    if what in _TOO_MANY:
        return _(_TOO_MANY[what]).format(wait=clock)
    return _("Too many {what} from here in a short time: please wait {wait}, then try again.").format(what=what, wait=clock)


def guards(clock: Clock = time.monotonic) -> dict[str, Guard]:
    """The guards a server runs with. The numbers (README.md, "Doors"):

    - codes: wrong join codes, survey links, scout, channel and feedback links. A session gets 5 free failures,
      then waits 2 s, 4 s, 8 s ... up to a minute. An address holds 30 failures (a room of 300 where one in ten
      mistypes at once) and regains one every 6 s: a script is held to 10 guesses a minute, about 14,000 a day,
      which finds one open workshop among 64 million codes about once in 45 days per 100 open workshops.
    - keys: wrong facilitator or server keys. A session gets 3 free failures, then 5 s doubling up to 5 minutes; an
      address holds 10 and regains one every 30 s (2 a minute): a few facilitators mistyping never wait, and a
      guesser costs the server at most 2 scrypt checks a minute per address.
    - joins: every participant who joins. An address holds 1,000 (the largest room bench/README.md measures, all
      behind one venue address, joins within its minute) and regains 5 a second (300 a minute): a script adds at
      most 1,000 and then 18,000 an hour instead of thousands a second; a session may join 3 times, then waits 10 s
      doubling to 5 minutes.
    """
    return {
        "codes": Guard(Bucket(burst=30, every=6.0), Backoff(free=5, first=2.0, longest=60.0, forget=600.0), clock),
        "keys": Guard(Bucket(burst=10, every=30.0), Backoff(free=3, first=5.0, longest=300.0, forget=3600.0), clock),
        "joins": Guard(Bucket(burst=1000, every=0.2), Backoff(free=3, first=10.0, longest=300.0, forget=3600.0), clock),
    }
