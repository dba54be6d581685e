"""abc_workshop/throttle.py on a simulated clock: a scripted guesser is held to the stated rate, a room behind one
venue address is not."""

from __future__ import annotations

import threading

import pytest

from abc_workshop.keys import new_join_code
from abc_workshop.throttle import Backoff, Bucket, Guard, guards, waiting_message


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_a_session_gets_a_few_free_failures_then_waits_twice_as_long_each_time(clock):
    guard = Guard(Bucket(burst=1000, every=1.0), Backoff(free=5, first=2.0, longest=60.0, forget=600.0), clock)
    for _ in range(4):
        guard.failed("1.2.3.4", "s")
        assert guard.wait("1.2.3.4", "s") == 0
    waits = []
    for _ in range(7):
        guard.failed("1.2.3.4", "s")
        waits.append(guard.wait("1.2.3.4", "s"))
        clock.now += waits[-1]
    assert waits == [2, 4, 8, 16, 32, 60, 60]
    assert guard.wait("1.2.3.4", "another session") == 0, "another browser on the address is not held up"
    clock.now += 601
    guard.failed("1.2.3.4", "s")
    assert guard.wait("1.2.3.4", "s") == 0, "forgotten after ten quiet minutes"


def test_an_address_holds_a_burst_then_refills_at_a_steady_rate(clock):
    guard = Guard(Bucket(burst=30, every=6.0), Backoff(free=10**9, first=1, longest=1, forget=1), clock)
    for n in range(30):
        assert guard.wait("venue", f"phone {n}") == 0
        guard.failed("venue", f"phone {n}")
    assert guard.wait("venue", "phone 31") == pytest.approx(6.0)
    clock.now += 6
    assert guard.wait("venue", "phone 31") == 0
    guard.failed("venue", "phone 31")
    assert guard.wait("venue", "phone 32") == pytest.approx(6.0)
    assert guard.wait("elsewhere", "phone 32") == 0


def scripted_guesser(guard: Guard, clock: Clock, seconds: float, *, new_session_each_time: bool) -> int:
    """Guess as fast as the guard lets one address (a request every 10 ms, as the audit's script managed);
    returns how many guesses were checked."""
    checked, step, end = 0, 0.01, clock.now + seconds
    while clock.now < end:
        session = f"s{checked}" if new_session_each_time else "one"
        if guard.wait("203.0.113.9", session) == 0:
            checked += 1
            guard.failed("203.0.113.9", session)
        clock.now += step
    return checked


def test_a_scripted_guesser_of_codes_is_held_to_10_a_minute(clock):
    codes = guards(clock)["codes"]
    ten_minutes = scripted_guesser(codes, clock, 600, new_session_each_time=True)
    assert 30 + 10 * 10 - 1 <= ten_minutes <= 30 + 10 * 10 + 1, "the burst, then one every 6 s"
    next_hour = scripted_guesser(codes, clock, 3600, new_session_each_time=True)
    assert next_hour <= 601, "10 a minute for as long as it goes on (the audit's script: 183 a second)"


def test_one_browser_guessing_codes_waits_a_minute_between_guesses_soon(clock):
    codes = guards(clock)["codes"]
    first_ten_minutes = scripted_guesser(codes, clock, 600, new_session_each_time=False)
    assert first_ten_minutes <= 5 + 6 + 10, "5 free, then 2, 4 ... 60 s apart"


def test_a_guesser_of_keys_costs_at_most_two_key_checks_a_minute(clock):
    keys = guards(clock)["keys"]
    hour = scripted_guesser(keys, clock, 3600, new_session_each_time=True)
    assert hour <= 10 + 120 + 1


def test_a_room_of_1000_behind_one_venue_address_joins_within_a_minute(clock):
    joins = guards(clock)["joins"]
    joined, start = 0, clock.now
    while joined < 1300:
        phone = f"phone {joined}"
        if joins.wait("venue", phone) == 0:
            joins.failed("venue", phone)  # one join each: a use, not a failure
            joined += 1
        else:
            clock.now += 0.05
        if joined == 1000:
            assert clock.now - start < 1, "a room of 1,000 is never held up"
    assert 59 <= clock.now - start <= 61, "then 5 a second"


def test_a_script_joining_from_one_address_is_held_to_5_a_second(clock):
    joins = guards(clock)["joins"]
    minute = scripted_guesser(joins, clock, 60, new_session_each_time=True)
    assert minute <= 1000 + 300 + 1


def test_guards_count_right_from_many_threads(clock):
    guard = Guard(Bucket(burst=10**6, every=1.0), Backoff(free=10**6, first=1, longest=1, forget=10**6), clock)

    def fail_many():
        for _ in range(1000):
            guard.failed("a", "s")

    threads = [threading.Thread(target=fail_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert guard._debts[("session", "s")].failures == 8000


def test_a_guard_forgets_the_least_recently_seen_beyond_its_bound(clock, monkeypatch):
    from abc_workshop import throttle

    monkeypatch.setattr(throttle, "MAX_TRACKED", 100)
    guard = guards(clock)["codes"]
    for n in range(1000):
        guard.failed(f"10.0.{n // 256}.{n % 256}", new_join_code())
    assert len(guard._debts) <= 200


@pytest.mark.parametrize(("seconds", "said"), [(0.2, "wait 1 second,"), (7.1, "wait 8 seconds,"), (300, "wait 5 minutes,")])
def test_the_wait_is_said_in_seconds_or_minutes(seconds, said):
    assert said in waiting_message(seconds, "wrong codes") and waiting_message(seconds, "wrong codes").endswith("try again.")
