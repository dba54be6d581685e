"""Imports of past results, each recorded and undoable: whole workshops arrive in one transaction and leave in one.

A file is read and checked (abc_workshop/importer.py) before the write lock is taken, so a large file
does not stall a live room; the transaction then re-checks what may have changed meanwhile. Imported
picks become ballots of rounds marked with the import's id, the only ballots the schema lets anyone delete.
A file may add to a workshop an earlier import stored what that import did not hold; such an import is
undone before the one it added to.
"""

from __future__ import annotations

from ..domain import AccessDenied, ImportRecord, InvalidInput, NotFound
from ..import_batch import MomentKey, StoredWorkshop, WorkshopKey
from ..import_moments import moment_key
from ..import_moments import name_key as moment_name_key
from ..importer import Catalogue, Decisions, ImportBatch, Progress, parse_import
from .base import StoreBase, inserted_id
from .import_writer import IMPORTED_KEY_HASH, BatchWriter  # noqa: F401  (IMPORTED_KEY_HASH: read from here)

_RECORD_COLUMNS = "id, kind, file_name, rows, summary, imported_at, undone_at"
# What an undo removes, children before parents. Each names the rows of one import (the parameter ?1).
_UNDO = [
    ("moment_cards", "moment_id IN (SELECT id FROM moments WHERE import_id = ?1)"),
    ("moments", "import_id = ?1"),
    ("action_updates", "action_id IN (SELECT id FROM actions WHERE topic_id IN ({topics}))"),
    ("actions", "topic_id IN ({topics})"),
    ("behaviours", "topic_id IN ({topics})"),
    ("risk_decisions", "topic_id IN ({topics})"),
    ("impact_scores", "topic_id IN ({topics})"),
    ("imported_impact_scores", "topic_id IN ({topics})"),
    ("impact_notes", "topic_id IN ({topics})"),
    ("shortlist_changes", "topic_id IN ({topics})"),
    ("topics", "id IN ({topics})"),
    ("picks", "ballot_id IN (SELECT id FROM ballots WHERE round_id IN ({rounds}))"),
    ("ballots", "round_id IN ({rounds})"),
    ("imported_card_counts", "round_id IN ({rounds})"),
    ("imported_team_sizes", "round_id IN ({rounds})"),
    ("published_ranks", "round_id IN ({rounds})"),
    ("tally_cards", "round_id IN ({rounds})"),
    ("tally_teams", "round_id IN ({rounds})"),
    ("imported_answer_counts", "statement_id IN (SELECT id FROM statements WHERE poll_id IN ({polls}))"),
    ("statements", "poll_id IN ({polls})"),
    ("polls", "id IN ({polls})"),
    ("events", "workshop_id IN ({workshops})"),
    ("participants", "workshop_id IN ({workshops}) OR import_id = ?1"),
    ("rounds", "id IN ({rounds})"),
    ("teams", "workshop_id IN ({workshops}) OR import_id = ?1"),
    ("workshops", "id IN ({workshops})"),
]
_SCOPES = {
    "workshops": "SELECT id FROM workshops WHERE import_id = ?1",
    "rounds": "SELECT id FROM rounds WHERE import_id = ?1",
    "polls": "SELECT id FROM polls WHERE import_id = ?1",
    # its own analyses, and whatever teams recorded since on its rounds
    "topics": "SELECT id FROM topics WHERE import_id = ?1 OR round_id IN (SELECT id FROM rounds WHERE import_id = ?1)",
}
# What each workshop an import brought holds (import_batch.HOLDINGS): a later file may add what it lacks.
_HOLDINGS = """
    SELECT w.id, w.organisation, w.title, w.held_on, w.country, w.import_id, i.file_name,
           EXISTS (SELECT 1 FROM rounds r WHERE r.workshop_id = w.id) AS rounds,
           EXISTS (SELECT 1 FROM rounds r JOIN tally_teams t ON t.round_id = r.id WHERE r.workshop_id = w.id)
           OR EXISTS (SELECT 1 FROM rounds r JOIN published_ranks p ON p.round_id = r.id WHERE r.workshop_id = w.id) AS cards,
           EXISTS (SELECT 1 FROM polls p WHERE p.workshop_id = w.id) AS answers,
           EXISTS (SELECT 1 FROM rounds r JOIN topics t ON t.round_id = r.id WHERE r.workshop_id = w.id) AS analyses
    FROM workshops w JOIN imports i ON i.id = w.import_id WHERE w.held_on IS NOT NULL"""
# Later imports that added rows to an import's workshops: they are undone first.
_ADDED_LATER = """
    SELECT DISTINCT x.import_id FROM (
        SELECT import_id, workshop_id FROM rounds UNION ALL SELECT import_id, workshop_id FROM polls
        UNION ALL SELECT import_id, workshop_id FROM teams UNION ALL SELECT import_id, workshop_id FROM participants
        UNION ALL SELECT t.import_id, r.workshop_id FROM topics t JOIN rounds r ON r.id = t.round_id
    ) x WHERE x.workshop_id IN (SELECT id FROM workshops WHERE import_id = ?1) AND x.import_id != ?1 ORDER BY 1"""


class ImportsMixin(StoreBase):
    def _refuse_moments_for_running_programmes(self, batch: ImportBatch) -> None:
        """Moments of truth become quotes on the projector of their organisation's next workshop: without the server's
        key they may go only to an organisation no workshop runs here (README.md, "Doors": a stranger's file must not
        put words into Acme IT's room)."""
        names = sorted({moment.organisation for moment in batch.moments})
        running = {
            row["name"]
            for row in self._rows(
                "SELECT DISTINCT o.name FROM organisations o JOIN workshops w ON w.organisation_id = o.id"
                f" WHERE w.import_id IS NULL AND o.name_key IN ({','.join(['lower(trim(?))'] * len(names))})",
                tuple(names),
            )
        }
        if running:
            raise AccessDenied(
                f"Moments of truth for {', '.join(repr(name) for name in sorted(running))}, whose workshops run on this "
                "server, are imported only with the server's facilitator key: they show in its next workshop."
            )

    def _require_lead(self, key: str | None) -> None:
        """Imports reach across workshops, so once the server has a facilitator key, they need it."""
        if self.server_key and not self._is_server_key(key):
            raise AccessDenied("Imports need this server's facilitator key.")

    def import_catalogue(self) -> Catalogue:
        decks = self._rows("SELECT id, name FROM decks ORDER BY id")
        keys, imported = self._stored_workshops()
        cards: dict[int, dict[str, int]] = {deck["id"]: {} for deck in decks}
        titles: dict[int, dict[int, str]] = {deck["id"]: {} for deck in decks}
        for card in self._rows("SELECT id, deck_id, card_key, title FROM cards ORDER BY position"):
            cards[card["deck_id"]].setdefault(card["title"].lower(), card["id"])
            cards[card["deck_id"]][card["card_key"].lower()] = card["id"]
            titles[card["deck_id"]][card["id"]] = card["title"]
        # A file written in another language names cards by their translated titles (store/schema_texts.py): each
        # matches its card too, unless an id or English title reads the same or two cards share it.
        translated: dict[tuple[int, str], set[int]] = {}
        for card in self._rows("SELECT c.id, c.deck_id, t.title FROM card_texts t JOIN cards c ON c.id = t.card_id"):
            if card["title"]:
                translated.setdefault((card["deck_id"], card["title"].lower()), set()).add(card["id"])
        for (deck_id, title), ids in translated.items():
            if len(ids) == 1:
                cards[deck_id].setdefault(title, *ids)
        mappings = {
            (row["source"].lower(), row["deck_id"], row["title_key"]): row["card_id"]
            for row in self._rows("SELECT source, deck_id, title_key, card_id FROM title_mappings")
        }
        return Catalogue(
            decks={deck["name"].lower(): deck["id"] for deck in decks},
            default_deck=decks[0]["name"] if decks else "",
            cards=cards,
            existing_workshops=keys,
            titles=titles,
            mappings=mappings,
            imported=imported,
            moments=self._stored_moments(),
        )

    def _stored_moments(self) -> frozenset[MomentKey]:
        """Every stored moment of truth as import_moments.moment_key sees it, so a file cannot bring one twice."""
        rows = self._rows(
            "SELECT o.name_key, date(m.created_at, 'unixepoch') AS day, m.stage, m.positive, m.what_happened FROM moments m"
            " JOIN organisations o ON o.id = m.organisation_id"
        )
        return frozenset(moment_key(r["name_key"], r["day"], r["stage"], r["positive"], r["what_happened"]) for r in rows)

    def _stored_workshops(self) -> tuple[frozenset[WorkshopKey], dict[WorkshopKey, StoredWorkshop]]:
        """Every stored workshop's key (organisation, title and date, case folded as the importer folds them), and what
        each workshop an import brought holds, so that a later file may add what it lacks."""
        rows = self._rows("SELECT organisation, title, held_on FROM workshops WHERE held_on IS NOT NULL")
        keys = frozenset((row["organisation"].lower(), row["title"].lower(), row["held_on"]) for row in rows)
        rounds: dict[int, dict] = {}
        for row in self._rows(
            "SELECT r.workshop_id, r.id, r.perspective, r.question, r.deck_id FROM rounds r"
            " JOIN workshops w ON w.id = r.workshop_id WHERE w.import_id IS NOT NULL"
        ):
            rounds.setdefault(row["workshop_id"], {})[(row["perspective"], row["question"].lower())] = (
                row["id"],
                row["deck_id"],
                row["question"],
            )
        imported = {}
        for row in self._rows(_HOLDINGS):
            holds = frozenset(name for name in ("rounds", "cards", "answers", "analyses") if row[name])
            imported[(row["organisation"].lower(), row["title"].lower(), row["held_on"])] = StoredWorkshop(
                row["id"], row["import_id"], row["file_name"], row["country"], holds, rounds.get(row["id"], {})
            )
        return keys, imported

    def import_results(
        self,
        file_name: str,
        data: bytes | list[tuple[str, bytes]],
        key: str | None = None,
        decisions: Decisions | None = None,
        progress: Progress | None = None,
    ) -> ImportRecord:
        """Check a file of past results (CSV or the compare page's workbook) and store all of it, or raise
        ImportFileError naming each cause with its lines, or asking what only the lead can decide."""
        self._require_lead(key)
        tell = progress or (lambda fraction, text: None)
        batch = parse_import(data, file_name, self.import_catalogue(), decisions, lambda f, t: tell(0.6 * f, t))
        return self.store_import(batch, key, lambda f, t: tell(0.6 + 0.4 * f, t))

    def store_import(self, batch: ImportBatch, key: str | None = None, progress: Progress | None = None) -> ImportRecord:
        """Store a checked batch (from a file, or a synthetic history) as one recorded, undoable import; the lead's
        decisions about titles are remembered for the next file from the same source."""
        self._require_lead(key)
        with self._write() as db:
            earlier = self._row(
                "SELECT id, imported_at FROM imports WHERE file_sha256 = ? AND undone_at IS NULL AND kind != 'synthetic'",
                (batch.sha256,),
            )
            if earlier and batch.kind != "synthetic":
                raise InvalidInput(
                    f"This file was imported already (import #{earlier['id']}, {earlier['imported_at']}); undo that import first."
                )
            keys, imported = self._stored_workshops()
            if batch.moments and not self._is_server_key(key):
                self._refuse_moments_for_running_programmes(batch)
            stored_moments = self._stored_moments() if batch.moments else frozenset()
            for moment in batch.moments:
                if (
                    moment_key(
                        moment_name_key(moment.organisation), moment.day, moment.stage, moment.positive, moment.what_happened
                    )
                    in stored_moments
                ):
                    raise InvalidInput(
                        f"Line {moment.line}: a moment of truth of '{moment.organisation}' on {moment.day} was stored while "
                        "the file was checked (the same stage and what happened); nothing was imported."
                    )
            for workshop_key, workshop in batch.workshops.items():
                named = f"The workshop '{workshop.title}' of '{workshop.organisation}' on {workshop.held_on}"
                if workshop.stored is None and workshop_key in keys:
                    raise InvalidInput(f"{named} is stored already; nothing was imported.")
                if workshop.stored is not None and imported.get(workshop_key) != workshop.stored:
                    raise InvalidInput(
                        f"{named} changed while the file was checked (another import or an undo); nothing was imported. "
                        "Import the file again."
                    )
            import_id = inserted_id(
                db.execute(
                    "INSERT INTO imports (kind, file_name, file_sha256, rows, summary) VALUES (?, ?, ?, ?, ?)",
                    (batch.kind, batch.file_name[:200], batch.sha256, batch.rows, batch.summary()),
                )
            )
            BatchWriter(db.conn, import_id, batch, progress).write()
            db.conn.executemany(
                "INSERT OR REPLACE INTO title_mappings (source, deck_id, title_key, card_id) VALUES (?, ?, ?, ?)",
                [
                    (source[:120], deck_id, title, card_id)
                    for source, deck_id, title, card_id in batch.decided
                    if 0 < len(title) <= 400  # a key longer than the table allows is used for this import only
                ],
            )
            if progress:
                progress(0.98, "Updating the statistics the compare page's queries use")
            db.execute("ANALYZE")  # fresh statistics, so the compare page's queries pick the right index
        return self.import_record(import_id)

    def import_record(self, import_id: int) -> ImportRecord:
        row = self._row(f"SELECT {_RECORD_COLUMNS} FROM imports WHERE id = ?", (import_id,))
        if row is None:
            raise NotFound("There is no such import.")
        return ImportRecord(**row)

    def imports(self) -> list[ImportRecord]:
        return [ImportRecord(**row) for row in self._rows(f"SELECT {_RECORD_COLUMNS} FROM imports ORDER BY id DESC")]

    def undo_import(self, import_id: int, key: str | None = None, progress: Progress | None = None) -> ImportRecord:
        """Remove everything an import brought, and anything recorded since about its workshops; keep the record.
        It wipes a lead's history, so once any key exists here it needs one (README.md, "Doors")."""
        self._require_lead(key)
        self._require_door_key(key, "Undoing an import")
        record = self.import_record(import_id)
        if record.undone_at:
            raise InvalidInput(f"Import #{import_id} was undone already ({record.undone_at}).")
        with self._write() as db:
            later = [f"#{row[0]}" for row in db.execute(_ADDED_LATER, (import_id,)).fetchall()]
            if later:
                raise InvalidInput(
                    f"Import {', '.join(later)} added to the workshops of import #{import_id}; undo "
                    f"{'it' if len(later) == 1 else 'them'} first, then this one."
                )
            for step, (table, condition) in enumerate(_UNDO):
                if progress:
                    progress(step / len(_UNDO), f"Removing {table.replace('_', ' ')}")
                db.execute(f"DELETE FROM {table} WHERE {condition.format(**_SCOPES)}", (import_id,))
            db.execute("UPDATE imports SET undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", (import_id,))
            db.execute("ANALYZE")
        return self.import_record(import_id)
