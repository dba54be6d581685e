"""Property tests (hypothesis) of the deck parser and the importer: whatever bytes arrive, the answer is cards, a
batch, or a refusal with sentences; valid files generated at random read back exactly as written.

The suite runs the same 150 examples each time (derandomized, so it cannot fail by chance); set
ABC_PROPERTY_EXAMPLES=3000 for a wider random search (3,000 per property passed when this was written)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from abc_workshop.config import CARDS_DIR
from abc_workshop.deck import DeckFileError, parse_deck
from abc_workshop.import_batch import ImportFileError
from abc_workshop.importer import parse_import
from abc_workshop.store import Store
from abc_workshop.titles import title_key

SETTINGS = settings(
    max_examples=int(os.environ.get("ABC_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    derandomize=not os.environ.get("ABC_PROPERTY_EXAMPLES"),  # CI: the same examples every run; a wider search on request
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Text people type: letters, digits, punctuation, spaces and symbols; no control, invisible or line-break characters.
TYPED = (
    st.text(
        st.characters(categories=("L", "N", "P", "Zs", "S"), exclude_characters="\u00a0\u2028\u2029\u3000\u1680\ue000"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
DECK_HEADER = "id,type,theme,title,description\n"
IMPORT_HEADER = "organisation,workshop,date,perspective,participant,card,rank\n"


@pytest.fixture(scope="module")
def catalogue():
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "properties.sqlite3")
        store.load_shipped_decks(CARDS_DIR)
        yield store.import_catalogue()
        store.close()


def write_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


@SETTINGS
@given(st.binary(max_size=2_000))
@example(b'\r"')
def test_any_bytes_are_a_deck_or_a_refusal_with_sentences(data):
    try:
        parse_deck(data)
    except DeckFileError as refusal:
        assert refusal.problems and all(isinstance(p, str) and p.endswith((".", ")")) for p in refusal.problems)


@SETTINGS
@given(st.text(max_size=300).map(lambda body: DECK_HEADER + body))
def test_any_text_under_a_deck_header_is_a_deck_or_a_refusal(text):
    for encoded in (text.encode("utf-8"), text.encode("utf-16")):
        try:
            parse_deck(encoded)
        except DeckFileError as refusal:
            assert refusal.problems


@SETTINGS
@given(
    st.lists(
        st.tuples(TYPED, st.sampled_from("ABC"), TYPED, TYPED, TYPED),
        min_size=1,
        max_size=20,
        unique_by=(lambda c: c[0].lower(), lambda c: title_key(c[3])),
    )
)
def test_a_valid_deck_reads_back_as_written(cards):
    cards = [c for c in cards if title_key(c[3])] or [("k", "A", "t", "title", "d")]
    keys = {c[0].lower() for c in cards}
    if len(keys) != len(cards):
        return
    parsed = parse_deck(write_csv([["id", "type", "theme", "title", "description"], *map(list, cards)]))
    assert [(c.key, c.type, c.theme, c.title, c.description) for c in parsed] == cards


@SETTINGS
@given(st.binary(max_size=2_000))
@example(b'\r"')  # found by hypothesis: a quote opened after a lone carriage return crashed the quote finder
@example(b'a,"b\rc,d')
def test_any_bytes_are_an_import_or_a_refusal(catalogue, data):
    try:
        parse_import(data, "any.csv", catalogue)
    except ImportFileError as refusal:
        assert refusal.problems or refusal.questions


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=9), max_size=12))
def test_any_rows_under_an_import_header_are_an_import_or_a_refusal_naming_lines(catalogue, rows):
    try:
        parse_import(IMPORT_HEADER.encode() + write_csv(rows), "rows.csv", catalogue)
    except ImportFileError as refusal:
        for problem in refusal.problems:
            assert problem.startswith(("Line", "The file", "The dates")), problem


@SETTINGS
@given(
    st.dictionaries(
        TYPED.filter(lambda p: len(p) <= 40),
        st.lists(st.integers(1, 60), min_size=1, max_size=10, unique=True),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_generated_picks_are_read_exactly(catalogue, ballots, ranked):
    deck = catalogue.decks[catalogue.default_deck.lower()]
    keys = {f"abc-{n:02d}": card for n, card in ((n, catalogue.cards[deck][f"abc-{n:02d}"]) for n in range(1, 61))}
    rows = [["organisation", "workshop", "date", "perspective", "participant", "card", "rank"]]
    for participant, cards in ballots.items():
        for rank, n in enumerate(cards, start=1):
            rows.append(["Org", "Paper", "2020", "recognise", participant, f"abc-{n:02d}", str(rank) if ranked else ""])
    batch = parse_import(write_csv(rows), "picks.csv", catalogue)
    (rnd,) = batch.rounds.values()
    read = {ballot.participant: [(card, rank) for card, rank in ballot.picks] for ballot in rnd.ballots.values()}
    lowered = {}
    for participant, cards in ballots.items():
        lowered.setdefault(participant.lower(), (participant, cards))
    if len(lowered) == len(ballots):
        assert read == {
            p: [(keys[f"abc-{n:02d}"], r if ranked else None) for r, n in enumerate(cards, start=1)]
            for p, cards in ballots.items()
        }
    assert next(iter(batch.workshops.values())).precision == "year"


@SETTINGS
@given(TYPED)
def test_title_keys_ignore_typography_and_are_stable(title):
    key = title_key(title)
    assert title_key(key) == key
    curly = title.replace("'", "’").replace("...", "…").replace('"', "“")
    assert title_key(curly) == key
