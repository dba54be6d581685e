"""A workshop's pulse: the few numbers that say whether any open page of it must redraw.

One read of a handful of indexed rows. The server's watcher reads it on its own connection whenever
the database changed (abc_workshop/live.py), and every page reads it at the start of its run, so the
page and the event stream compare the very same thing (README, "How it is built").
"""

from __future__ import annotations

import sqlite3

from ..keys import normalise_join_code
from .base import StoreBase


def read_pulse(conn: sqlite3.Connection, workshop_id: int, *, counts: bool = True) -> dict | None:
    """The workshop's pulse as plain JSON-ready values, or None if there is no such workshop.

    Without `counts`, the parts that count rows (progress, answers) are left out: a phone's page, which
    does not show them, reads the pulse on every run.

    - version: bumped by every change a facilitator or a team makes (store/base.py `_changed`);
    - stage: the current round's id, state, attempt and closing time, what participants' screens show;
    - polls: the open or revealed polls with their closing times;
    - answers: how many have answered each open poll;
    - projector: what the facilitator put on the projector (view and projected poll);
    - teams: each team's version (its workspace changed);
    - progress: who joined and who voted in the current round, per team.
    """
    # Every read here is fetched to the end: a statement left half-read keeps its connection's read
    # snapshot open, and that connection would go on seeing the database as it was.
    rows = conn.execute(
        "SELECT w.version, w.current_round_id, r.state, r.attempt, r.closes_at, w.projector_view,"
        " (SELECT id FROM polls WHERE workshop_id = w.id AND on_projector = 1)"
        " FROM workshops w LEFT JOIN rounds r ON r.id = w.current_round_id WHERE w.id = ?",
        (workshop_id,),
    ).fetchall()
    if not rows:
        return None
    version, round_id, state, attempt, closes_at, projector_view, projected_poll = rows[0]
    polls = conn.execute(
        "SELECT id, state, closes_at FROM polls WHERE workshop_id = ? AND state IN ('open', 'revealed') ORDER BY id",
        (workshop_id,),
    ).fetchall()
    answers = [] if not counts else conn.execute(
        "SELECT s.poll_id, count(DISTINCT a.participant_id) FROM polls p JOIN statements s ON s.poll_id = p.id"
        " JOIN answers a ON a.statement_id = s.id WHERE p.workshop_id = ? AND p.state = 'open' GROUP BY s.poll_id",
        (workshop_id,),
    ).fetchall()
    teams = conn.execute("SELECT id, name, version FROM teams WHERE workshop_id = ? ORDER BY position, id", (workshop_id,)).fetchall()
    tally = {} if not counts else {
        team_id: (joined, voted)
        for team_id, joined, voted in conn.execute(
            "SELECT p.team_id, count(p.id), count(b.id) FROM participants p"
            " LEFT JOIN ballots b ON b.participant_id = p.id AND b.round_id = ? AND b.attempt = ?"
            " WHERE p.workshop_id = ? GROUP BY p.team_id",
            (round_id, attempt, workshop_id),
        ).fetchall()
    }
    per_team = [[name, *tally.get(team_id, (0, 0))] for team_id, name, _ in teams]
    if None in tally:
        per_team.append([None, *tally[None]])
    return {
        "version": version,
        "stage": [round_id, state, attempt, closes_at],
        "polls": [list(poll) for poll in polls],
        "answers": {str(poll_id): count for poll_id, count in answers} if counts else None,
        "projector": [projector_view, projected_poll],
        "teams": {str(team_id): team_version for team_id, _, team_version in teams},
        "progress": {
            "joined": sum(team[1] for team in per_team),
            "voted": sum(team[2] for team in per_team),
            "teams": per_team,
        } if counts else None,
    }


def workshop_for_code(conn: sqlite3.Connection, code: str) -> int | None:
    """The id of the workshop a join code opens, or None."""
    rows = conn.execute("SELECT id FROM workshops WHERE join_code = ?", (normalise_join_code(code or ""),)).fetchall()
    return rows[0][0] if rows else None


class PulseMixin(StoreBase):
    def pulse(self, workshop_id: int, *, counts: bool = True) -> dict | None:
        with self._lock:
            return read_pulse(self.db.conn, workshop_id, counts=counts)
