"""Imports of past results, each recorded and undoable: written in steps that leave the write lock free between them,
unseen until the last, and removed whole if one fails; an undo removes them in one transaction.

A file is read and checked (abc_workshop/importer.py) before the write lock is taken, so a large file does not stall a
live room. The first step re-checks what may have changed meanwhile and claims what the import will store (its
workshops by their keys, its moments of truth), so that two imports at the same time cannot both store the same one;
then steps of a few thousand rows each (import_writer.py, import_steps.py) write it, and the last marks it stored.
Until then it is 'storing': the imports listing leaves it out, and every read leaves out its rows (base.settled). An
import that fails, or whose process died, is removed and marked 'failed' (import_steps.py).

Imported picks become ballots of rounds marked with the import's id, the only ballots the schema lets anyone delete.
A file may add to a workshop an earlier import stored what that import did not hold; such an import is undone before
the one it added to.
"""

from __future__ import annotations

from .. import i18n
from ..domain import AccessDenied, ImportRecord, InvalidInput, NotFound
from ..i18n import _, ngettext
from ..import_batch import MomentKey, StoredWorkshop, WorkshopKey
from ..import_moments import moment_key
from ..import_moments import name_key as moment_name_key
from ..importer import Catalogue, Decisions, ImportBatch, Progress, parse_import
from .base import inserted_id, settled
from .engines import Lock
from .import_steps import ImportStepsMixin
from .import_writer import IMPORTED_KEY_HASH, BatchWriter  # noqa: F401  (IMPORTED_KEY_HASH: read from here)

_RECORD_COLUMNS = "id, kind, file_name, rows, summary, imported_at, undone_at, undoing = 1 AS undoing"
# What each workshop an import brought holds (import_batch.HOLDINGS): a later file may add what it lacks.
# Only what stored imports wrote counts: another import's rows still being stored are unseen here as everywhere.
_ROUNDS_OF_W = f"rounds r WHERE r.workshop_id = w.id AND {settled('r.import_id')}"
_HOLDINGS = f"""
    SELECT w.id, w.organisation, w.title, w.held_on, w.country, w.import_id, i.file_name,
           EXISTS (SELECT 1 FROM {_ROUNDS_OF_W}) AS rounds,
           EXISTS (SELECT 1 FROM {_ROUNDS_OF_W} AND EXISTS (SELECT 1 FROM tally_teams t WHERE t.round_id = r.id))
           OR EXISTS (SELECT 1 FROM {_ROUNDS_OF_W} AND EXISTS (SELECT 1 FROM published_ranks p WHERE p.round_id = r.id)) AS cards,
           EXISTS (SELECT 1 FROM polls p WHERE p.workshop_id = w.id AND {settled("p.import_id")}) AS answers,
           EXISTS (SELECT 1 FROM rounds r JOIN topics t ON t.round_id = r.id WHERE r.workshop_id = w.id AND {settled("t.import_id")})
           AS analyses
    FROM workshops w JOIN imports i ON i.id = w.import_id
    WHERE w.held_on IS NOT NULL AND i.state = 'stored' AND i.undoing = 0"""
# Later imports that added rows to an import's workshops: they are undone first.
_ADDED_LATER = """
    SELECT DISTINCT x.import_id FROM (
        SELECT import_id, workshop_id FROM rounds UNION ALL SELECT import_id, workshop_id FROM polls
        UNION ALL SELECT import_id, workshop_id FROM teams UNION ALL SELECT import_id, workshop_id FROM participants
        UNION ALL SELECT t.import_id, r.workshop_id FROM topics t JOIN rounds r ON r.id = t.round_id
    ) x WHERE x.workshop_id IN (SELECT id FROM workshops WHERE import_id = ?1) AND x.import_id != ?1 ORDER BY 1"""
# Imports still being stored that claimed an import's workshops to add to them (schema_import_steps.py).
_ADDING_NOW = """
    SELECT DISTINCT import_id FROM import_claims WHERE workshop_id IN (SELECT id FROM workshops WHERE import_id = ?1)
    AND import_id != ?1 ORDER BY 1"""


class ImportsMixin(ImportStepsMixin):
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
                _(
                    "Moments of truth for {organisations}, whose workshops run on this server, are imported only with the "
                    "server's facilitator key: they show in its next workshop."
                ).format(organisations=", ".join(repr(name) for name in sorted(running)))
            )

    def _require_lead(self, key: str | None) -> None:
        """Imports reach across workshops, so once the server has a facilitator key, they need it."""
        if self.server_key and not self._is_server_key(key):
            raise AccessDenied(_("Imports need this server's facilitator key."))

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
            f" JOIN organisations o ON o.id = m.organisation_id WHERE {settled('m.import_id')}"
        )
        return frozenset(moment_key(r["name_key"], r["day"], r["stage"], r["positive"], r["what_happened"]) for r in rows)

    def _stored_workshops(self) -> tuple[frozenset[WorkshopKey], dict[WorkshopKey, StoredWorkshop]]:
        """Every stored workshop's key (organisation, title and date, case folded as the importer folds them), and what
        each workshop an import brought holds, so that a later file may add what it lacks."""
        rows = self._rows(
            f"SELECT organisation, title, held_on FROM workshops WHERE held_on IS NOT NULL AND {settled('import_id')}"
        )
        keys = frozenset((row["organisation"].lower(), row["title"].lower(), row["held_on"]) for row in rows)
        rounds: dict[int, dict] = {}
        for row in self._rows(
            "SELECT r.workshop_id, r.id, r.perspective, r.question, r.deck_id FROM rounds r"
            f" JOIN workshops w ON w.id = r.workshop_id WHERE w.import_id IS NOT NULL AND {settled('r.import_id')}"
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
        """Store a checked batch (from a file, or a synthetic history) as one recorded, undoable import, in steps with the
        write lock free between them; the lead's decisions about titles are remembered for the next file from the same
        source. `progress` is told between steps, never inside a transaction. If a step fails, what the import wrote is
        removed before the error goes on (import_steps.py)."""
        self._require_lead(key)
        tell = progress or (lambda fraction, text: None)
        self.clear_abandoned_imports()
        tell(
            0.0,
            ngettext("Storing {n} workshop", "Storing {n} workshops", len(batch.workshops)).format(
                n=i18n.number(len(batch.workshops))
            ),
        )
        import_id, lock = self._begin_import(batch, key)
        try:
            self._write_steps(BatchWriter(import_id, batch).steps(), tell)
            with self._write() as db:
                db.conn.executemany(
                    "INSERT INTO title_mappings (source, deck_id, title_key, card_id) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (source, deck_id, title_key) DO UPDATE SET card_id = excluded.card_id,"
                    " decided_at = excluded.decided_at",
                    [
                        (source[:120], deck_id, title, card_id)
                        for source, deck_id, title, card_id in batch.decided
                        if 0 < len(title) <= 400  # a key longer than the table allows is used for this import only
                    ],
                )
                db.execute("DELETE FROM import_claims WHERE import_id = ?", (import_id,))
                db.execute("UPDATE imports SET state = 'stored' WHERE id = ?", (import_id,))
        except BaseException as error:
            try:
                self._remove_unfinished(import_id)
            except Exception as removal:  # noqa: BLE001  (the step's error is the one to report; this says what is left)
                error.add_note(f"Import #{import_id} is not removed yet ({removal}); the next Store to open the file removes it.")
            raise
        finally:
            lock.release()
        tell(0.98, _("Updating the statistics the compare page's queries use"))
        self._analyze()
        return self.import_record(import_id)

    @staticmethod
    def _may_undo(db, import_id: int) -> None:
        """Refuse, with a sentence, the undo of an import still being stored, failed, or added to by another import; an
        undo that was under way when its process died goes on."""
        if db.execute("SELECT undoing FROM imports WHERE id = ?", (import_id,)).fetchone()[0]:
            return
        state = db.execute("SELECT state FROM imports WHERE id = ?", (import_id,)).fetchone()[0]
        if state == "storing":
            raise InvalidInput(
                _("Import #{number} is still being imported; it can be undone once it is stored.").format(number=import_id)
            )
        if state == "failed":
            raise InvalidInput(
                _("Import #{number} failed and what it had written was removed; there is nothing to undo.").format(
                    number=import_id
                )
            )
        adding = [f"#{row[0]}" for row in db.execute(_ADDING_NOW, (import_id,)).fetchall()]
        if adding:
            raise InvalidInput(
                ngettext(
                    "Import {imports}, still being imported, adds to the workshops of import #{number}; once it is "
                    "stored, undo it first, then this one.",
                    "Imports {imports}, still being imported, add to the workshops of import #{number}; once they are "
                    "stored, undo them first, then this one.",
                    len(adding),
                ).format(imports=", ".join(adding), number=import_id)
            )
        later = [f"#{row[0]}" for row in db.execute(_ADDED_LATER, (import_id,)).fetchall()]
        if later:
            raise InvalidInput(
                ngettext(
                    "Import {imports} added to the workshops of import #{number}; undo it first, then this one.",
                    "Imports {imports} added to the workshops of import #{number}; undo them first, then this one.",
                    len(later),
                ).format(imports=", ".join(later), number=import_id)
            )

    def _begin_import(self, batch: ImportBatch, key: str | None) -> tuple[int, Lock]:
        """The first step: check again what may have changed while the file was checked, record the import as being
        stored, claim what it will store, and take its lock (import_lock.py) before anyone can see it."""
        lock = None
        try:
            with self._write() as db:
                self._check_again(batch, key)
                import_id = inserted_id(
                    db.execute(
                        "INSERT INTO imports (kind, file_name, file_sha256, rows, summary, state)"
                        " VALUES (?, ?, ?, ?, ?, 'storing')",
                        (batch.kind, batch.file_name[:200], batch.sha256, batch.rows, batch.summary()),
                    )
                )
                self._claim(db, import_id, batch)
                lock = self.engine.import_lock(import_id)
                if lock is None:
                    raise RuntimeError(f"The lock of import #{import_id} is held by someone else.")
        except BaseException:
            if lock is not None:  # the commit failed: nobody may see the import, and nobody holds it
                lock.release()
            raise
        return import_id, lock

    def _check_again(self, batch: ImportBatch, key: str | None) -> None:
        earlier = self._row(
            "SELECT id, imported_at, state, undoing FROM imports"
            " WHERE file_sha256 = ? AND undone_at IS NULL AND state != 'failed' AND kind != 'synthetic'",
            (batch.sha256,),
        )
        if earlier and batch.kind != "synthetic":
            if earlier["undoing"]:
                raise InvalidInput(
                    _("This file's earlier import (#{number}) is being undone; import it again once that is done.").format(
                        number=earlier["id"]
                    )
                )
            if earlier["state"] == "storing":
                raise InvalidInput(
                    _("This file is being imported already (import #{number}, started {at}).").format(
                        number=earlier["id"], at=earlier["imported_at"]
                    )
                )
            raise InvalidInput(
                _("This file was imported already (import #{number}, {at}); undo that import first.").format(
                    number=earlier["id"], at=earlier["imported_at"]
                )
            )
        keys, imported = self._stored_workshops()
        if batch.moments and not self._is_server_key(key):
            self._refuse_moments_for_running_programmes(batch)
        stored_moments = self._stored_moments() if batch.moments else frozenset()
        for moment in batch.moments:
            if _moment_key(moment) in stored_moments:
                raise InvalidInput(
                    _(
                        "Line {line}: a moment of truth of '{organisation}' on {day} was stored while the file was checked "
                        "(the same stage and what happened); nothing was imported."
                    ).format(line=moment.line, organisation=moment.organisation, day=moment.day)
                )
        for workshop_key, workshop in batch.workshops.items():
            named = _named(workshop)
            if workshop.stored is None and workshop_key in keys:
                raise InvalidInput(_("{workshop} is stored already; nothing was imported.").format(workshop=named))
            if workshop.stored is not None and imported.get(workshop_key) != workshop.stored:
                raise InvalidInput(
                    _(
                        "{workshop} changed while the file was checked (another import or an undo); nothing was imported. "
                        "Import the file again."
                    ).format(workshop=named)
                )

    def _claim(self, db, import_id: int, batch: ImportBatch) -> None:
        """Claim each workshop (new, or an earlier import's to add to) and each moment the batch stores; a claim another
        import still being stored holds refuses this one. Its stored rows are checked by _check_again; its rows still
        to come are claimed."""
        claims: dict[str, tuple[int | None, str]] = {}
        for workshop_key, workshop in batch.workshops.items():
            claims["\x1f".join(("workshop", *workshop_key))] = (workshop.stored.id if workshop.stored else None, _named(workshop))
        for moment in batch.moments:
            text = _("Line {line}: a moment of truth of '{organisation}' on {day} (the same stage and what happened)").format(
                line=moment.line, organisation=moment.organisation, day=moment.day
            )
            claims["\x1f".join(("moment", *map(str, _moment_key(moment))))] = (None, text)
        before = db.conn.total_changes
        db.conn.executemany(
            "INSERT INTO import_claims (claim, import_id, workshop_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(claim, import_id, workshop_id) for claim, (workshop_id, _) in claims.items()],
        )
        if db.conn.total_changes - before == len(claims):
            return
        names = list(claims)
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            taken = dict(
                db.execute(
                    f"SELECT claim, import_id FROM import_claims WHERE import_id != ? AND claim IN ({','.join('?' * len(chunk))})",
                    (import_id, *chunk),
                ).fetchall()
            )
            for claim in chunk:
                if claim in taken:
                    raise InvalidInput(
                        _("{what} is in import #{number}, which is still being stored; nothing was imported.").format(
                            what=claims[claim][1], number=taken[claim]
                        )
                    )

    def import_record(self, import_id: int) -> ImportRecord:
        row = self._row(f"SELECT {_RECORD_COLUMNS} FROM imports WHERE id = ?", (import_id,))
        if row is None:
            raise NotFound(_("There is no such import."))
        return ImportRecord(**row)

    def imports(self) -> list[ImportRecord]:
        """The stored imports, newest first; one still being stored is listed once its last step is written, and one
        that failed never is (it left nothing)."""
        rows = self._rows(f"SELECT {_RECORD_COLUMNS} FROM imports WHERE state = 'stored' ORDER BY id DESC")
        return [ImportRecord(**row) for row in rows]

    def undo_import(self, import_id: int, key: str | None = None, progress: Progress | None = None) -> ImportRecord:
        """Remove everything an import brought, and anything recorded since about its workshops; keep the record.
        It wipes a lead's history, so once any key exists here it needs one (README.md, "Doors")."""
        self._require_lead(key)
        self._require_door_key(key, "Undoing an import")
        record = self.import_record(import_id)
        if record.undone_at:
            raise InvalidInput(_("Import #{number} was undone already ({at}).").format(number=import_id, at=record.undone_at))
        lock = self.engine.import_lock(import_id)  # held by whoever stores or undoes it now
        if lock is None:
            storing = self._value("SELECT state = 'storing' FROM imports WHERE id = ?", (import_id,))
            raise InvalidInput(
                _("Import #{number} is still being imported; it can be undone once it is stored.").format(number=import_id)
                if storing
                else _("Import #{number} is being undone already.").format(number=import_id)
            )
        try:
            with self._write() as db:
                self._may_undo(db, import_id)
                # From here every read leaves the import out (`importing`); an undo whose process died is finished here.
                db.execute("UPDATE imports SET undoing = 1 WHERE id = ?", (import_id,))
            self._finish_undo(import_id, progress)
        finally:
            lock.release()
        self._analyze()
        return self.import_record(import_id)


def _named(workshop) -> str:
    return _("The workshop '{title}' of '{organisation}' on {day}").format(
        title=workshop.title, organisation=workshop.organisation, day=workshop.held_on
    )


def _moment_key(moment) -> MomentKey:
    return moment_key(moment_name_key(moment.organisation), moment.day, moment.stage, moment.positive, moment.what_happened)
