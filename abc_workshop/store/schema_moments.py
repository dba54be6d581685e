"""Migration for moments of truth that arrive with imports (docs/import-format.md, "Moments of truth"), kept beside
schema.py, which registers it after the doors' (schema_doors.py).

An imported moment carries its import's id, so undoing the import removes it, and has no visit: the scout's visit
stayed on the server it came from. The table's rule "a scout's moment belongs to a visit" therefore holds for the
moments recorded here only. SQLite cannot change a CHECK in place, so the table is rebuilt as its documentation
describes (foreign keys off outside a transaction, a new table, the rows copied, the old one dropped, the new one
renamed, its indexes and triggers made again, the foreign keys checked before the commit).
"""

from __future__ import annotations

from sqlite_utils import Database

from . import schema_doors  # noqa: F401  (its migrations come before this one)
from .schema import NOW, migrations

_COLUMNS = (
    "id, organisation_id, visit_id, source, stage, positive, what_happened, customer_words, effort, business_unit, internal,"
    " photo, photo_type, created_at"
)


@migrations(name="0010_imported_moments_of_truth", transactional=False)
def imported_moments(db: Database) -> None:
    conn = db.conn
    if any(row[1] == "import_id" for row in conn.execute("PRAGMA table_info(moments)")):
        return  # rebuilt already; only the record of this migration was missing
    if conn.in_transaction:
        conn.commit()
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction, hence outside one
    try:
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{_REBUILD}")  # the transaction stays open for the check below
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"Rebuilding moments would break {len(broken)} foreign key(s): {broken[:3]}")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


_REBUILD = f"""
        CREATE TABLE moments_rebuilt (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations(id),
            visit_id INTEGER REFERENCES visits(id),
            source TEXT NOT NULL CHECK (source IN ('scout', 'feedback')),
            stage TEXT NOT NULL CHECK (stage IN ('finding', 'accessing', 'using', 'support')),
            positive INTEGER NOT NULL CHECK (positive IN (0, 1)),
            what_happened TEXT NOT NULL CHECK (length(what_happened) BETWEEN 1 AND 1000),
            customer_words TEXT CHECK (customer_words IS NULL OR length(customer_words) BETWEEN 1 AND 500),
            effort INTEGER CHECK (effort IS NULL OR effort BETWEEN 1 AND 5),
            business_unit TEXT CHECK (business_unit IS NULL OR length(business_unit) BETWEEN 1 AND 120),
            internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
            photo BLOB CHECK (photo IS NULL OR length(photo) <= 2097152),
            photo_type TEXT CHECK (photo_type IS NULL OR photo_type IN ('image/jpeg', 'image/png', 'image/webp')),
            created_at REAL NOT NULL DEFAULT ({NOW}),
            import_id INTEGER REFERENCES imports(id),
            CHECK (import_id IS NOT NULL OR (source = 'scout') = (visit_id IS NOT NULL)),
            CHECK (import_id IS NULL OR (visit_id IS NULL AND photo IS NULL)),
            CHECK ((photo IS NULL) = (photo_type IS NULL))
        );
        INSERT INTO moments_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM moments;
        DROP TABLE moments;
        ALTER TABLE moments_rebuilt RENAME TO moments;
        CREATE INDEX moments_by_organisation ON moments(organisation_id, created_at);
        CREATE INDEX moments_by_visit ON moments(visit_id);
        CREATE INDEX moments_by_import ON moments(import_id) WHERE import_id IS NOT NULL;
        CREATE TRIGGER moments_of_their_visits_organisation BEFORE INSERT ON moments
        WHEN NEW.visit_id IS NOT NULL AND (SELECT organisation_id FROM visits WHERE id = NEW.visit_id) IS NOT NEW.organisation_id
        BEGIN SELECT RAISE(ABORT, 'not_this_programme'); END;
        CREATE TRIGGER moments_photo_only_removed BEFORE UPDATE OF photo ON moments
        WHEN NEW.photo IS NOT NULL AND NEW.photo IS NOT OLD.photo
        BEGIN SELECT RAISE(ABORT, 'photo_is_kept_or_deleted'); END;
        CREATE TRIGGER moment_import_id_is_fixed BEFORE UPDATE OF import_id ON moments
        BEGIN SELECT RAISE(ABORT, 'import_id_is_fixed'); END;
"""
