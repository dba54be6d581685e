"""Backups (store/backup.py, scripts/backup.py): a consistent copy while the room votes, and a restore that gives the
same workshops and never overwrites a database in use."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from abc_workshop.store import Store
from abc_workshop.store.backup import BackupProblem, backup, check, restore

pytestmark = pytest.mark.sqlite_only  # backups of the SQLite file (on PostgreSQL, pg_dump: README.md, "PostgreSQL")

ROOT = Path(__file__).resolve().parents[2]


def snapshot_of(store: Store) -> dict:
    """What a restore must give back: every workshop with its teams, and every ballot with its cards."""
    return {
        "workshops": store._rows("SELECT id, title, organisation, join_code FROM workshops ORDER BY id"),
        "teams": store._rows("SELECT id, workshop_id, name FROM teams ORDER BY id"),
        "ballots": store._rows(
            "SELECT b.id, b.participant_id, b.round_id, group_concat(p.card_id) AS cards FROM ballots b"
            " JOIN picks p ON p.ballot_id = b.id GROUP BY b.id ORDER BY b.id"
        ),
    }


def test_a_backup_taken_while_the_room_votes_is_whole_and_restores_the_same_workshops(room, db_path, tmp_path):
    rnd = room.open_round()
    people = [room.join(f"P{n}", team=n % 2) for n in range(60)]
    for person in people[:20]:
        room.vote(person, rnd, room.card_ids(3))
    voting = threading.Thread(target=lambda: [room.vote(person, rnd, room.card_ids(2)) for person in people[20:]])
    voting.start()
    copy = backup(db_path, tmp_path / "backups" / "during.sqlite3")  # while the other thread is still voting
    voting.join()
    assert copy.counts["workshops"] == 1 and 20 <= copy.counts["ballots"] <= 60
    assert check(copy.path).counts == copy.counts, "the copy passes SQLite's integrity check as it was written"
    assert not list((tmp_path / "backups").glob(".*")), "no partial file is left beside it"

    at_the_end = snapshot_of(room.store)
    later = backup(db_path, tmp_path / "after.sqlite3")
    room.store.create_workshop("After the backup", "Acme IT", creator_key=room.key)
    room.store.close()
    restored_copy, kept = restore(later.path, db_path, replace=True)
    assert kept is not None and kept.exists(), "the replaced database is kept aside"
    restored = Store(db_path)
    assert snapshot_of(restored) == at_the_end, "the same workshops, teams and ballots; nothing after the backup"
    assert restored.progress(rnd.id).voted == 60
    assert restored_copy.counts == later.counts
    restored.close()
    assert Store(kept)._value("SELECT count(*) FROM workshops") == 2, "what was replaced is whole in the kept file"


def test_a_backup_never_overwrites_and_a_restore_never_replaces_unasked(store, db_path, tmp_path):
    target = tmp_path / "taken.sqlite3"
    target.write_bytes(b"someone's file")
    with pytest.raises(BackupProblem, match="never overwrites"):
        backup(db_path, target)
    assert target.read_bytes() == b"someone's file"
    copy = backup(db_path, tmp_path / "copy.sqlite3")
    with pytest.raises(BackupProblem, match="needs --replace"):
        restore(copy.path, db_path)


def test_a_restore_over_a_database_in_use_is_refused_and_changes_nothing(room, db_path, tmp_path):
    copy = backup(db_path, tmp_path / "copy.sqlite3")
    room.store.create_workshop("Made after the copy", "Acme IT", creator_key=room.key)
    with pytest.raises(BackupProblem, match="in use"):
        restore(copy.path, db_path, replace=True)
    assert room.store._value("SELECT count(*) FROM workshops") == 2
    assert [p.name for p in db_path.parent.iterdir() if "restor" in p.name] == []


def test_damaged_foreign_and_later_files_are_refused(store, db_path, tmp_path):
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("a b c\n" * 1000)
    with pytest.raises(BackupProblem, match="not a database|cannot be opened"):
        check(not_a_database)

    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE things (id INTEGER)").connection.commit()
    with pytest.raises(BackupProblem, match="not a database of this app"):
        check(other)

    later = backup(db_path, tmp_path / "later.sqlite3").path
    conn = sqlite3.connect(later)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('abc_workshop', '0099_x', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(BackupProblem, match="later version"):
        check(later)

    damaged = backup(db_path, tmp_path / "damaged.sqlite3").path
    data = bytearray(damaged.read_bytes())
    page = int.from_bytes(data[16:18], "big")  # the page size, from the file's header
    for number in range(2, 12):
        data[(number - 1) * page] = 0x07  # no b-tree page has this type: ten pages of the copy are garbage
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupProblem, match="damaged|not a database"):
        check(damaged)


def run_script(*args: str, database: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/backup.py", "--database", str(database), *args],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )


def test_the_command_saves_checks_and_restores_and_says_why_when_it_cannot(room, db_path, tmp_path):
    saved = run_script("save", "--to", str(tmp_path / "cli.sqlite3"), database=db_path)
    assert saved.returncode == 0 and "Backed up to" in saved.stdout and "1 workshops" in saved.stdout
    checked = run_script("check", str(tmp_path / "cli.sqlite3"), database=db_path)
    assert checked.returncode == 0 and "Backup is sound" in checked.stdout
    refused = run_script("restore", str(tmp_path / "cli.sqlite3"), "--replace", database=db_path)
    assert refused.returncode == 2 and "in use" in refused.stderr and refused.stdout == ""
    fresh = tmp_path / "fresh" / "abc.sqlite3"
    restored = run_script("restore", str(tmp_path / "cli.sqlite3"), database=fresh)
    assert restored.returncode == 0, restored.stderr
    assert Store(fresh).workshop(room.workshop.id).title == "Pilot"
    missing = run_script("check", str(tmp_path / "nowhere.sqlite3"), database=db_path)
    assert missing.returncode == 2 and "There is no backup" in missing.stderr
