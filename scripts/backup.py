"""Back the database up while the app runs, and restore a backup. README.md, "Backups".

    python3 scripts/backup.py save                      # data/backups/abc_workshop-<UTC time>.sqlite3
    python3 scripts/backup.py save --to FILE            # a copy at FILE (never overwrites)
    python3 scripts/backup.py check FILE                # what a backup holds, after an integrity check
    python3 scripts/backup.py restore FILE              # into an empty place (ABC_DB_PATH or data/abc_workshop.sqlite3)
    python3 scripts/backup.py restore FILE --replace    # over a stopped app's database, which is kept aside

The database is the app's: ABC_DB_PATH, else data/abc_workshop.sqlite3 (`--database` says otherwise). A problem is one
sentence on stderr and exit status 2, with nothing written.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from abc_workshop.config import database_path
from abc_workshop.store.backup import BackupProblem, backup, check, restore


def default_target(database: Path) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return database.parent / "backups" / f"{database.stem}-{stamp}.sqlite3"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Back up or restore the ABC Workshop database.")
    parser.add_argument("--database", type=Path, default=None, help="the app's database file (default: as the app finds it)")
    commands = parser.add_subparsers(dest="command", required=True)
    save = commands.add_parser("save", help="write a consistent copy while the app runs")
    save.add_argument("--to", type=Path, default=None, help="where the copy goes (default: data/backups/…)")
    checking = commands.add_parser("check", help="say what a backup holds, after an integrity check")
    checking.add_argument("file", type=Path)
    restoring = commands.add_parser("restore", help="put a backup in the database's place (stop the app first)")
    restoring.add_argument("file", type=Path)
    restoring.add_argument("--replace", action="store_true", help="replace an existing database, keeping it aside")
    args = parser.parse_args(argv)
    database = args.database or database_path()
    try:
        if args.command == "save":
            copy = backup(database, args.to or default_target(database))
            print(f"Backed up to {copy.describe()}")
        elif args.command == "check":
            print(f"Backup is sound: {check(args.file).describe()}")
        else:
            copy, kept = restore(args.file, database, replace=args.replace)
            print(f"Restored {copy.describe()} to {database}")
            if kept:
                print(f"The database it replaced is kept at {kept}")
    except BackupProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
