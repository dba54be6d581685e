"""Keep the translation catalogues (abc_workshop/locales/) in step with the code. README.md, "Languages".

    python3 scripts/catalogues.py update            # add new messages to every catalogue, mark vanished ones obsolete
    python3 scripts/catalogues.py missing [LANG]    # list messages without a translation (exit 1 if any)
    python3 scripts/catalogues.py merge FILE.json   # take translations from {"msgid": {"nl": ..., "de": ...}}
    python3 scripts/catalogues.py new LANG          # start a catalogue for a new language

Messages are found by Babel in abc_workshop/, ui/ and pages/: the arguments of _, ngettext, pgettext and N_.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from abc_workshop.i18n import DEFAULT, DOMAIN, LANGUAGES, catalogue_path

SOURCES = ("abc_workshop", "ui", "pages")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def template() -> Catalog:
    """Every message the code marks, with where it is used."""
    found = Catalog(domain=DOMAIN, project="ABC Workshop", charset="utf-8")
    for folder in SOURCES:
        for file_name, line, message, comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            found.add(message, locations=[(f"{folder}/{file_name}", line)], auto_comments=comments, context=context)
    return found


def read(code: str) -> Catalog:
    path = catalogue_path(code)
    if not path.exists():
        return Catalog(locale=code, domain=DOMAIN, project="ABC Workshop")
    with path.open("rb") as source:
        return read_po(source, locale=code)


def write(catalog: Catalog, code: str) -> None:
    path = catalogue_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        write_po(target, catalog, width=120, omit_header=False, sort_output=True, include_previous=False)


def languages() -> Iterable[str]:
    return [code for code in LANGUAGES if code != DEFAULT]


def update() -> None:
    source = template()
    for code in languages():
        catalog = read(code)
        catalog.update(source, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write(catalog, code)
        print(f"{code}: {len(catalog)} messages")


def missing(codes: Iterable[str]) -> int:
    source = template()
    gaps = 0
    for code in codes:
        catalog = read(code)
        for message in source:
            if not message.id:
                continue
            have = catalog.get(message.id, context=message.context)
            strings = [] if have is None else ([have.string] if isinstance(have.string, str) else list(have.string))
            if have is None or have.fuzzy or not strings or not all(strings):
                gaps += 1
                print(f"{code}: {message.id!r}")
    return gaps


def merge(file: Path) -> None:
    """A translator's file: each msgid (a plural as 'singular\\u0000plural') to its text in each language."""
    given = json.loads(file.read_text(encoding="utf-8"))
    for code in languages():
        catalog = read(code)
        taken = 0
        for key, texts in given.items():
            text = texts.get(code)
            if not text:
                continue
            msgid = tuple(key.split("\u0000")) if "\u0000" in key else key
            context = texts.get("context")
            existing = catalog.get(msgid, context=context)
            if existing is None:
                catalog.add(msgid, text if isinstance(text, str) else tuple(text), context=context)
            else:
                existing.string = text if isinstance(text, str) else tuple(text)
                existing.flags.discard("fuzzy")
            taken += 1
        write(catalog, code)
        print(f"{code}: {taken} translations taken from {file.name}")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"update", "missing", "merge", "new"}:
        print(__doc__)
        return 2
    if argv[0] == "update":
        update()
    elif argv[0] == "missing":
        return 1 if missing(argv[1:] or languages()) else 0
    elif argv[0] == "merge":
        for name in argv[1:]:
            merge(Path(name))
    elif argv[0] == "new":
        code = argv[1]
        catalog = Catalog(locale=code, domain=DOMAIN, project="ABC Workshop")
        catalog.update(template(), no_fuzzy_matching=True)
        write(catalog, code)
        print(f"Started {catalogue_path(code)}; add '{code}' to LANGUAGES in abc_workshop/i18n.py once it is complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
