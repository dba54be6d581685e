"""A workshop's pulse: the few numbers that say whether any open page of it must redraw.

One read of a handful of indexed rows. The server's watcher reads it on its own connection whenever
the database changed (abc_workshop/live.py), and every page reads it at the start of its run, so the
page and the event stream compare the very same thing (README, "How it is built").
"""

from __future__ import annotations

import sqlite3
import threading

from ..domain import PERSPECTIVE_LABELS, Perspective
from ..keys import normalise_join_code
from ..tallies import top_picks
from .base import StoreBase


def read_pulse(conn: sqlite3.Connection, workshop_id: int, *, counts: bool = True, result: bool = False) -> dict | None:
    """The workshop's pulse as plain JSON-ready values, or None if there is no such workshop.

    Without `counts`, the parts that count rows (progress, answers) are left out: a page that does not
    show them reads the pulse on every run. With `result`, a revealed round's result comes too: the
    server's watcher reads it once per change for every phone of the room (abc_workshop/live.py).

    - version: bumped by every change a facilitator or a team makes (store/base.py `_changed`);
    - stage: the current round's id, state, attempt and closing time, what participants' screens show;
    - round: what a phone needs to draw the current round's ballot (question, perspective, budget, deck);
    - drafts: the decks of the rounds being prepared, which phones fetch ahead of the round's opening;
    - result: once the current round is revealed, its top cards overall and per team (see `read_result`);
    - polls: the open or revealed polls with their closing times;
    - answers: how many have answered each open poll;
    - projector: what the facilitator put on the projector (view and projected poll);
    - teams: each team's version (its workspace changed; the workshop's version does not move with it);
    - progress: who joined and who voted in the current round, per team.
    """
    # Every read here is fetched to the end: a statement left half-read keeps its connection's read
    # snapshot open, and that connection would go on seeing the database as it was.
    rows = conn.execute(
        "SELECT w.version, w.current_round_id, r.state, r.attempt, r.closes_at, w.projector_view,"
        " (SELECT id FROM polls WHERE workshop_id = w.id AND on_projector = 1),"
        " r.position, r.question, r.perspective, r.perspective_label, r.pick_limit, r.deck_id, r.show_names"
        " FROM workshops w LEFT JOIN rounds r ON r.id = w.current_round_id WHERE w.id = ?",
        (workshop_id,),
    ).fetchall()
    if not rows:
        return None
    version, round_id, state, attempt, closes_at, projector_view, projected_poll, *spec = rows[0]
    drafts = conn.execute(
        "SELECT DISTINCT deck_id FROM rounds WHERE workshop_id = ? AND state = 'draft' ORDER BY deck_id", (workshop_id,)
    ).fetchall()
    polls = conn.execute(
        "SELECT id, state, closes_at FROM polls WHERE workshop_id = ? AND state IN ('open', 'revealed') ORDER BY id",
        (workshop_id,),
    ).fetchall()
    answers = (
        []
        if not counts
        else conn.execute(
            "SELECT s.poll_id, count(DISTINCT a.participant_id) FROM polls p JOIN statements s ON s.poll_id = p.id"
            " JOIN answers a ON a.statement_id = s.id WHERE p.workshop_id = ? AND p.state = 'open' GROUP BY s.poll_id",
            (workshop_id,),
        ).fetchall()
    )
    teams = conn.execute(
        "SELECT id, name, version FROM teams WHERE workshop_id = ? ORDER BY position, id", (workshop_id,)
    ).fetchall()
    tally = (
        {}
        if not counts
        else {
            team_id: (joined, voted)
            for team_id, joined, voted in conn.execute(
                "SELECT p.team_id, count(p.id), count(b.id) FROM participants p"
                " LEFT JOIN ballots b ON b.participant_id = p.id AND b.round_id = ? AND b.attempt = ?"
                " WHERE p.workshop_id = ? AND (p.via_survey = 0 OR b.id IS NOT NULL) GROUP BY p.team_id",
                (round_id, attempt, workshop_id),
            ).fetchall()
        }
    )
    per_team = [[name, *tally.get(team_id, (0, 0))] for team_id, name, _ in teams]
    if None in tally:
        per_team.append([None, *tally[None]])
    return {
        "version": version,
        "stage": [round_id, state, attempt, closes_at],
        "round": _round_spec(round_id, *spec),
        "drafts": [deck_id for (deck_id,) in drafts],
        "result": read_result(conn, round_id, attempt) if result and state == "revealed" else None,
        "polls": [list(poll) for poll in polls],
        "answers": {str(poll_id): count for poll_id, count in answers} if counts else None,
        "projector": [projector_view, projected_poll],
        "teams": {str(team_id): team_version for team_id, _, team_version in teams},
        "progress": {
            "joined": sum(team[1] for team in per_team),
            "voted": sum(team[2] for team in per_team),
            "teams": per_team,
        }
        if counts
        else None,
    }


def _round_spec(round_id, position, question, perspective, perspective_label, pick_limit, deck_id, show_names) -> dict | None:
    """A round's question and rules as a phone draws them; they never change once the round exists.

    The pulse is the same for every page and the watcher's thread, whatever language each speaks, so a standard
    perspective comes in English (a PERSPECTIVE_LABELS value): the phone shows it through `_`."""
    if round_id is None:
        return None
    custom = perspective == Perspective.CUSTOM.value and perspective_label
    shown = perspective_label if custom else PERSPECTIVE_LABELS[Perspective(perspective)]
    return {"position": position, "question": question, "perspective": shown, "limit": pick_limit, "deck": deck_id,
            "named": bool(show_names)}  # fmt: skip


_RESULTS: dict[tuple, dict] = {}  # (file, round, attempt, ballots, last change) -> result; see read_result
_RESULTS_KEPT = 64
_RESULTS_LOCK = threading.Lock()  # the watcher's thread and the pages' threads share the results


def read_result(conn: sqlite3.Connection, round_id: int, attempt: int) -> dict:
    """A round's result as every phone shows it: how many voted, and the top cards overall and per team.

    Cards are named by id ([rank, card id, picks], ties sharing a rank), so each phone words them from
    its own deck; teams by id, so a phone finds its own. Counted once per process and kept for as long
    as the round's ballots stay as they are (a revealed round's cannot change): a phone joining or a team
    writing a note while the result is up costs one indexed look, not a recount.
    """
    path = getattr(conn, "url", None) or next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
    stamp = conn.execute(
        "SELECT count(*), max(updated_at) FROM ballots WHERE round_id = ? AND attempt = ?", (round_id, attempt)
    ).fetchall()[0]
    key = (path, round_id, attempt, *stamp)
    with _RESULTS_LOCK:
        known = _RESULTS.get(key)
    if known is None:
        known = _count_result(conn, round_id, attempt)
        with _RESULTS_LOCK:
            while len(_RESULTS) >= _RESULTS_KEPT:
                _RESULTS.pop(next(iter(_RESULTS)))
            _RESULTS[key] = known
    return known


def _count_result(conn: sqlite3.Connection, round_id: int, attempt: int) -> dict:
    picks = conn.execute(
        "SELECT p.card_id, b.team_id, count(*) FROM picks p JOIN ballots b ON b.id = p.ballot_id"
        " WHERE b.round_id = ? AND b.attempt = ? GROUP BY p.card_id, b.team_id",
        (round_id, attempt),
    ).fetchall()
    ballots = dict(
        conn.execute(
            "SELECT team_id, count(*) FROM ballots WHERE round_id = ? AND attempt = ? GROUP BY team_id", (round_id, attempt)
        ).fetchall()
    )
    titles = dict(
        conn.execute(
            "SELECT c.id, c.title FROM cards c JOIN rounds r ON r.deck_id = c.deck_id WHERE r.id = ?", (round_id,)
        ).fetchall()
    )
    overall: dict[int, int] = {}
    by_team: dict[int | None, dict[int, int]] = {}
    for card_id, team_id, count in picks:
        overall[card_id] = overall.get(card_id, 0) + count
        by_team.setdefault(team_id, {})[card_id] = count
    teams = {str(team): [voted, top_picks(by_team.get(team, {}), titles)] for team, voted in ballots.items() if team is not None}
    return {"voted": sum(ballots.values()), "top": top_picks(overall, titles), "teams": teams}


def workshop_for_code(conn: sqlite3.Connection, code: str) -> int | None:
    """The id of the workshop a join code opens, or None."""
    rows = conn.execute("SELECT id FROM workshops WHERE join_code = ?", (normalise_join_code(code or ""),)).fetchall()
    return rows[0][0] if rows else None


class PulseMixin(StoreBase):
    def pulse(self, workshop_id: int, *, counts: bool = True, result: bool = False) -> dict | None:
        with self._snapshot() as conn:
            return read_pulse(conn, workshop_id, counts=counts, result=result)
