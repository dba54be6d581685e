"""The outside-in programme's writes and the reads its links need: visits and briefings, scouts' moments
of truth and debriefs, the feedback channel, the IT people and their coverage.

The feedback channel and coverage are in outside_in_feedback.py. Who may do what: a workshop's facilitator key (or the server's) opens its organisation's programme; a
scout's token reaches only that scout's visit; a feedback writer's token only that item; the channel
token only lets people write new feedback. Refusal codes from the schema's triggers become sentences here.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from ..domain import AccessDenied, InvalidInput, NotFound
from ..i18n import N_, _
from ..keys import new_participant_token
from ..outside_in import (
    STAGES,
    VISIT_KINDS,
    Briefing,
    Moment,
    Organisation,
    Visit,
    VisitStatus,
    check_photo,
    clean,
)
from ..said import Said
from .base import StoreBase, inserted_id, settled
from .schema import NOW

_VISIT_COLUMNS = (
    "id, organisation_id, kind, person, team, role, place, activity, host, visit_on, look_for, questions, expected,"
    " token, status, summary, should_change, workshop_id, action_id"
)
_MOMENT_COLUMNS = (
    "m.id, m.visit_id, m.source, m.stage, m.positive, m.what_happened, m.customer_words, m.effort, m.business_unit,"
    " m.internal, m.photo IS NOT NULL AS has_photo, m.created_at,"
    " (SELECT group_concat(card_id) FROM moment_cards WHERE moment_id = m.id) AS card_list"
)
PLACE_IS_UNIT = {"business_unit", "store", "call_centre"}  # visits whose place is a business unit, for the heatmap


class OutsideInMixin(StoreBase):
    # -- the organisation ----------------------------------------------------------------------------

    def organisation_of(self, workshop_id: int) -> Organisation | None:
        """The record of the workshop's organisation (README.md, "Doors"); no key needed (a read for the room)."""
        row = self._row(
            "SELECT o.id, o.name, o.channel_token FROM organisations o JOIN workshops w ON w.organisation_id = o.id WHERE w.id = ?",
            (workshop_id,),
        )
        return Organisation(**row) if row else None

    def programme(self, workshop_id: int, key: str | None) -> Organisation:
        """The programme of the workshop's organisation, for a facilitator of one of its workshops."""
        self._require_key(workshop_id, key)
        found = self.organisation_of(workshop_id)
        if found is None:
            raise NotFound(_("There is no such workshop."))
        return found

    def channel(self, channel_token: str | None) -> Organisation | None:
        row = self._row(
            "SELECT id, name, channel_token FROM organisations WHERE channel_token = ?", ((channel_token or "").strip(),)
        )
        return Organisation(**row) if row else None

    # -- IT people and visits --------------------------------------------------------------------------

    def add_person(self, workshop_id: int, key: str, name: str, team: str, role: str) -> None:
        org = self.programme(workshop_id, key)
        person = (
            # Translators: a field's name, in "Please fill in the {name}." and "The {name} is 90 characters long; ..."
            clean("person", name, label=_("name")),
            clean("team", team, label=_("IT team")),
            clean("role", role, label=_("role")),
        )
        with self._write() as db:
            self._upsert_person(db, org.id, *person)

    @staticmethod
    def _upsert_person(db, organisation_id: int, name: str, team: str, role: str) -> None:
        db.execute(
            "INSERT INTO it_people (organisation_id, name, team, role) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (organisation_id, name) DO UPDATE SET team = excluded.team, role = excluded.role",
            (organisation_id, name, team, role),
        )

    def people(self, workshop_id: int, key: str) -> list[dict]:
        org = self.programme(workshop_id, key)
        return self._rows("SELECT id, name, team, role FROM it_people WHERE organisation_id = ? ORDER BY team, name", (org.id,))

    def plan_visit(
        self,
        workshop_id: int,
        key: str,
        *,
        kind: str,
        person: str,
        team: str,
        role: str,
        place: str,
        activity: str,
        visit_on: datetime.date,
        briefing: Briefing,
        host: str | None = None,
        action_id: int | None = None,
    ) -> Visit:
        """Schedule one immersion visit with its single customer activity and its own briefing."""
        org = self.programme(workshop_id, key)
        if kind not in VISIT_KINDS:
            raise InvalidInput(_("Unknown kind of visit '{kind}'.").format(kind=kind))
        if not isinstance(visit_on, datetime.date):
            raise InvalidInput(_("Please pick the date of the visit."))
        who = (
            # Translators: a field's name, in "Please fill in the {name}." and "The {name} is 90 characters long; ..."
            clean("person", person, label=_("name of who goes")),
            clean("team", team, label=_("IT team")),
            clean("role", role, label=_("role")),
        )
        values = (
            # Translators: a field's name, in "Please fill in the {name}." and "The {name} is 130 characters long; ..."
            clean("place", place, label=_("place (where the visit happens)")),
            # Translators: a field's name, in "Please fill in the {name}." and "The {name} is 310 characters long; ..."
            clean("activity", activity, label=_("customer activity to observe")),
            # Translators: a field's name (the person in the business who receives the visitor), in "The {name} is ..."
            clean("host", host, required=False, label=_("host")),
        )
        brief = _clean_briefing(briefing)
        if action_id is not None and action_id not in {a["id"] for a in self._organisation_actions(org.id)}:
            raise InvalidInput(_("That action is not one of this organisation's workshops' actions."))
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO visits (organisation_id, kind, person, team, role, place, activity, host, visit_on, look_for, questions,"
                " expected, token, workshop_id, action_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    org.id,
                    kind,
                    *who,
                    *values,
                    visit_on.isoformat(),
                    brief.look_for,
                    brief.questions,
                    brief.expected,
                    new_participant_token(),
                    workshop_id,
                    action_id,
                ),
            )
            if kind != "undercover_customer":  # an undercover customer comes from the business, not IT
                self._upsert_person(db, org.id, *who)
            self._changed(
                db,
                workshop_id,
                "visit_planned",
                N_("Immersion visit planned: {person} at {place} on {day}"),
                person=who[0],
                place=values[0],
                day=visit_on.isoformat(),
            )
        visit = self._visit("id = ?", inserted_id(cursor))
        assert visit is not None, "the visit was just written"
        return visit

    def _organisation_actions(self, organisation_id: int) -> list[dict]:
        return self._rows(
            "SELECT a.id, a.what, a.owner, a.status, w.title AS workshop_title FROM actions a JOIN topics t ON t.id = a.topic_id"
            " JOIN rounds r ON r.id = t.round_id JOIN workshops w ON w.id = r.workshop_id"
            f" WHERE w.organisation_id = ? AND a.hidden = 0 AND {settled('t.import_id')} ORDER BY a.id",
            (organisation_id,),
        )

    def programme_actions(self, workshop_id: int, key: str) -> list[dict]:
        """Actions of this organisation's workshops that an immersion visit can carry out."""
        return self._organisation_actions(self.programme(workshop_id, key).id)

    def _visit(self, where: str, value) -> Visit | None:
        row = self._row(f"SELECT {_VISIT_COLUMNS} FROM visits WHERE {where}", (value,))
        return _visit(row) if row else None

    def visits(self, workshop_id: int, key: str) -> list[Visit]:
        org = self.programme(workshop_id, key)
        rows = self._rows(
            f"SELECT {_VISIT_COLUMNS} FROM visits WHERE organisation_id = ? ORDER BY visit_on DESC, id DESC", (org.id,)
        )
        return [_visit(row) for row in rows]

    def _programme_visit(self, workshop_id: int, key: str, visit_id: int) -> tuple[Organisation, Visit]:
        org = self.programme(workshop_id, key)
        visit = self._visit("id = ?", visit_id)
        if visit is None or visit.organisation_id != org.id:
            raise NotFound(_("That visit is not in this organisation's programme."))
        return org, visit

    def edit_briefing(self, workshop_id: int, key: str, visit_id: int, briefing: Briefing) -> None:
        _, visit = self._programme_visit(workshop_id, key, visit_id)
        brief = _clean_briefing(briefing)
        with self._write() as db:
            db.execute(
                "UPDATE visits SET look_for = ?, questions = ?, expected = ? WHERE id = ?",
                (brief.look_for, brief.questions, brief.expected, visit.id),
            )
            self._changed(
                db,
                workshop_id,
                "briefing_edited",
                N_("Briefing edited for {person}'s visit on {day}"),
                person=visit.person,
                day=visit.visit_on,
            )

    def set_visit_status(self, workshop_id: int, key: str, visit_id: int, status: VisitStatus | str) -> None:
        status = VisitStatus(status)
        _, visit = self._programme_visit(workshop_id, key, visit_id)
        if visit.status is status:
            return
        with self._write() as db:
            db.execute("UPDATE visits SET status = ? WHERE id = ?", (status.value, visit.id))
            if status is VisitStatus.DONE:
                self._action_done(db, visit)
            self._changed(
                db,
                workshop_id,
                "visit_status",
                # Translators: the log's line; {status} is the visit's new status: planned, done or cancelled.
                N_("{person}'s visit on {day} -> {status}"),
                person=visit.person,
                day=visit.visit_on,
                status=status,
            )

    def _action_done(self, db, visit: Visit) -> None:
        """A workshop action carried out by this visit is done once the visit is; the action's own workshop logs it."""
        if visit.action_id is None:
            return
        home = db.execute(
            "SELECT r.workshop_id FROM actions a JOIN topics t ON t.id = a.topic_id JOIN rounds r ON r.id = t.round_id"
            " WHERE a.id = ?",
            (visit.action_id,),
        ).fetchone()[0]
        db.execute(
            "UPDATE actions SET status = 'done', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            (visit.action_id,),
        )
        db.execute(
            "INSERT INTO action_updates (action_id, workshop_id, status, note) VALUES (?, ?, 'done', ?)",
            (visit.action_id, home, f"Immersion visit by {visit.person} on {visit.visit_on}"[:300]),
        )
        self._changed(
            db,
            home,
            "action_status",
            # Translators: the log's line; "done" is the action's new status.
            N_("Action {action} -> done: immersion visit by {person} on {day}"),
            action=visit.action_id,
            person=visit.person,
            day=visit.visit_on,
        )

    # -- a scout's link ---------------------------------------------------------------------------------

    def visit_by_token(self, token: str | None) -> Visit | None:
        return self._visit("token = ?", (token or "").strip()) if token else None

    def _scout_visit(self, token: str | None) -> Visit:
        visit = self.visit_by_token(token)
        if visit is None:
            raise AccessDenied(_("This scout link is not valid; ask the programme's lead for yours."))
        if visit.status is VisitStatus.CANCELLED:
            raise InvalidInput(_("This visit was cancelled; nothing can be recorded for it."))
        return visit

    def record_moment(
        self,
        token: str,
        *,
        stage: str,
        positive: bool,
        what_happened: str,
        customer_words: str | None = None,
        effort: int | None = None,
        internal: bool = False,
        card_ids: Sequence[int] = (),
        photo: bytes | None = None,
        photo_type: str | None = None,
    ) -> int:
        """A scout's moment of truth, on their own visit only."""
        visit = self._scout_visit(token)
        unit = visit.place if visit.kind in PLACE_IS_UNIT else None
        return self._insert_moment(
            visit.organisation_id,
            visit.id,
            "scout",
            stage,
            positive,
            what_happened,
            customer_words,
            effort,
            unit,
            internal,
            card_ids,
            photo,
            photo_type,
        )

    def _insert_moment(
        self,
        organisation_id,
        visit_id,
        source,
        stage,
        positive,
        what_happened,
        customer_words,
        effort,
        business_unit,
        internal,
        card_ids,
        photo,
        photo_type,
    ) -> int:
        if stage not in STAGES:
            raise InvalidInput(_("Please pick the stage of the customer journey."))
        if effort is not None and effort not in range(1, 6):
            raise InvalidInput(_("Effort is 1 (effortless) to 5 (exhausting)."))
        text = (
            # Translators: a field's name, in "Please fill in the {name}." and "The {name} is 1010 characters long; ..."
            clean("what_happened", what_happened, label=_("description of what happened")),
            # Translators: a field's name, in "The {name} is 510 characters long; the limit is 500."
            clean("customer_words", customer_words, required=False, label=_("customer's own words")),
            # Translators: a field's name, in "The {name} is 130 characters long; the limit is 120."
            clean("business_unit", business_unit, required=False, label=_("business unit")),
        )
        photo, photo_type = check_photo(photo, photo_type)
        cards = self._known_cards(card_ids)
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO moments (organisation_id, visit_id, source, stage, positive, what_happened, customer_words, effort,"
                " business_unit, internal, photo, photo_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    organisation_id,
                    visit_id,
                    source,
                    stage,
                    int(bool(positive)),
                    text[0],
                    text[1],
                    effort,
                    text[2],
                    int(bool(internal)),
                    photo,
                    photo_type,
                ),
            )
            db.conn.executemany(
                "INSERT INTO moment_cards (moment_id, card_id) VALUES (?, ?)", [(inserted_id(cursor), c) for c in cards]
            )
        return inserted_id(cursor)

    def _known_cards(self, card_ids) -> list[int]:
        wanted = sorted({int(c) for c in card_ids or ()})
        if wanted:
            found = {r["id"] for r in self._rows(f"SELECT id FROM cards WHERE id IN ({','.join('?' * len(wanted))})", wanted)}
            if set(wanted) - found:
                raise InvalidInput(_("One of those cards does not exist."))
        return wanted

    def scout_moments(self, token: str) -> list[Moment]:
        visit = self.visit_by_token(token)
        if visit is None:
            raise AccessDenied(_("This scout link is not valid; ask the programme's lead for yours."))
        return self._moments("m.visit_id = ?", (visit.id,))

    def _moments(self, where: str, params) -> list[Moment]:
        rows = self._rows(
            f"SELECT {_MOMENT_COLUMNS} FROM moments m WHERE {where} AND {settled('m.import_id')} ORDER BY m.created_at, m.id",
            params,
        )
        return [_moment(row) for row in rows]

    def debrief(self, token: str, summary: str, should_change: str | None = None) -> None:
        """The scout's summary and what should change; the visit counts as done from now on."""
        visit = self._scout_visit(token)
        text = (
            # Translators: a field's name (the scout's summary of the visit), in "Please fill in the {name}."
            clean("summary", summary, label=_("summary")),
            # Translators: a field's name, in "The {name} is 2010 characters long; the limit is 2000."
            clean("should_change", should_change, required=False, label=_("what should change")),
        )
        with self._write() as db:
            db.execute(
                f"UPDATE visits SET summary = ?, should_change = ?, debriefed_at = {NOW}, status = 'done' WHERE id = ?",
                (*text, visit.id),
            )
            if visit.status is VisitStatus.PLANNED:
                self._action_done(db, visit)

    def moment_photo(
        self, moment_id: int, *, token: str | None = None, workshop_id: int | None = None, key: str | None = None
    ) -> tuple[bytes, str] | None:
        """A photo for its scout (their token) or for a facilitator of the organisation (a key)."""
        row = self._row(
            "SELECT m.photo, m.photo_type, m.organisation_id, v.token FROM moments m LEFT JOIN visits v ON v.id = m.visit_id"
            " WHERE m.id = ?",
            (moment_id,),
        )
        if row is None:
            raise NotFound(_("There is no such moment of truth."))
        if (token is None or row["token"] != token) and (
            workshop_id is None or self.programme(workshop_id, key).id != row["organisation_id"]
        ):
            raise AccessDenied(_("That photo belongs to someone else's record."))
        return (row["photo"], row["photo_type"]) if row["photo"] is not None else None

    def delete_photo(self, workshop_id: int, key: str, moment_id: int) -> None:
        org = self.programme(workshop_id, key)
        if self._value("SELECT organisation_id FROM moments WHERE id = ? AND photo IS NOT NULL", (moment_id,)) != org.id:
            raise NotFound(_("That photo is not in this organisation's programme."))
        with self._write() as db:
            db.execute("UPDATE moments SET photo = NULL, photo_type = NULL WHERE id = ?", (moment_id,))
            self._changed(db, workshop_id, "photo_deleted", N_("Photo of moment of truth #{moment} deleted"), moment=moment_id)

    def link_cards(self, workshop_id: int, key: str, moment_id: int, card_ids: list[int]) -> None:
        """The facilitator confirms which cards a moment of truth (often a feedback item) is evidence for."""
        org = self.programme(workshop_id, key)
        if self._value("SELECT organisation_id FROM moments WHERE id = ?", (moment_id,)) != org.id:
            raise NotFound(_("That moment of truth is not in this organisation's programme."))
        cards = self._known_cards(card_ids)
        with self._write() as db:
            db.execute("DELETE FROM moment_cards WHERE moment_id = ?", (moment_id,))
            db.conn.executemany("INSERT INTO moment_cards (moment_id, card_id) VALUES (?, ?)", [(moment_id, c) for c in cards])
            self._changed(
                db,
                workshop_id,
                "evidence_linked",
                Said.ngettext(
                    "Moment of truth #{moment} linked to {n} card",
                    "Moment of truth #{moment} linked to {n} cards",
                    len(cards),
                    moment=moment_id,
                ),
            )

    def programme_moments(self, workshop_id: int, key: str) -> list[Moment]:
        """Every moment of truth of the organisation, internal notes included (the lead's view)."""
        return self._moments("m.organisation_id = ?", (self.programme(workshop_id, key).id,))


def _clean_briefing(briefing: Briefing) -> Briefing:
    return Briefing(
        *(
            clean("briefing", getattr(briefing, part), required=False, label=label) or ""
            for part, label in (
                # Translators: the parts of a visit's briefing, in "The {name} is 1010 characters long; the limit is 1000."
                ("look_for", _("what to look for")),
                ("questions", _("questions to ask")),
                ("expected", _("expected outcome")),
            )
        )
    )


def _visit(row: dict) -> Visit:
    return Visit(**{**row, "status": VisitStatus(row["status"])})


def _moment(row: dict) -> Moment:
    cards = tuple(sorted(int(c) for c in row["card_list"].split(","))) if row["card_list"] else ()
    return Moment(
        id=row["id"],
        visit_id=row["visit_id"],
        source=row["source"],
        stage=row["stage"],
        positive=bool(row["positive"]),
        what_happened=row["what_happened"],
        customer_words=row["customer_words"],
        effort=row["effort"],
        business_unit=row["business_unit"],
        internal=bool(row["internal"]),
        has_photo=bool(row["has_photo"]),
        created_at=row["created_at"],
        card_ids=cards,
    )
