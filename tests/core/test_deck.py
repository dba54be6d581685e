"""Deck files: the shipped deck is valid, and a bad upload names its line and field and stores nothing."""

from __future__ import annotations

import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.deck import DeckFileError, parse_deck
from abc_workshop.domain import AccessDenied, InvalidInput

HEADER = "id,type,theme,title,description\n"


def test_the_shipped_deck_has_at_least_57_cards_of_all_three_types():
    cards = parse_deck((CARDS_DIR / "ABC-worst-practices.csv").read_bytes())
    assert len(cards) >= 57
    assert {c.type for c in cards} == {"A", "B", "C"}
    titles = {c.title for c in cards}
    for title in (
        "Not my responsibility",
        "Blame culture",
        "IT superiority complex",
        "IT hero",
        "IT has no respect for or understanding of customers and users",
    ):
        assert title in titles


def test_the_shipped_deck_carries_every_card_in_dutch_and_german():
    cards = parse_deck((CARDS_DIR / "ABC-worst-practices.csv").read_bytes())
    for card in cards:
        assert set(card.translations) == {"nl", "de"}, card.key
        for texts in card.translations.values():
            assert set(texts) == {"theme", "title", "description"}, card.key
    by_key = {card.key: card for card in cards}
    assert by_key["abc-06"].translations["nl"]["title"] == "Daar ga ik niet over"
    assert by_key["abc-06"].translations["de"]["title"] == "Dafür bin ich nicht zuständig"


def test_a_deck_with_translations_parses_them_per_language_and_leaves_out_what_is_not_given():
    data = (
        "id,type,theme,title,description,title_nl,description_nl,Title DE,theme_de,title_fr\n"
        "h1,C,Leadership,Hero worship,We reward firefighting.,Heldenverering,We belonen brandjes blussen.,"
        "Heldenverehrung,Führung,Culte du héros\n"
        "h2,B,Ownership,Silo thinking,Teams guard their patch.,Silodenken,,,,\n"
        "h3,A,Ownership,Not mine,Someone else's job.,,,,,\n"
    ).encode()
    hero, silo, mine = parse_deck(data)
    assert hero.translations == {
        "nl": {"title": "Heldenverering", "description": "We belonen brandjes blussen."},
        "de": {"title": "Heldenverehrung", "theme": "Führung"},
    }  # title_fr: a language the app does not speak is another column, ignored
    assert silo.translations == {"nl": {"title": "Silodenken"}}
    assert mine.translations == {}


TRANSLATED = "id,type,theme,title,description,title_nl,description_nl\n"


@pytest.mark.parametrize(
    "content, problem",
    [
        (TRANSLATED + "c1,A,T,Title,D,Titel\x07,B\n", "Line 2: field 'title_nl' holds a control character (U+0007)"),
        (TRANSLATED + "c1,A,T,Title,D,Titel,B\u200b\n", "Line 2: field 'description_nl' holds an invisible character"),
        (
            TRANSLATED + "c1,A,T,Title,D,Titel," + "b" * 401 + "\n",
            "Line 2: field 'description_nl' has 401 characters; the limit is 400",
        ),
        (TRANSLATED + "c1,A,T,Title,D," + "t" * 121 + ",B\n", "Line 2: field 'title_nl' has 121 characters; the limit is 120"),
        (
            "id,type,theme,title,description,theme_de\nc1,A,T,Title,D," + "t" * 61 + "\n",
            "Line 2: field 'theme_de' has 61 characters",
        ),
        (TRANSLATED + "c1,A,T,One,D,Zelfde,B\nc2,A,T,Two,D,zelfde!,B\n", "Line 3: title_nl 'zelfde!' is already used on line 2"),
    ],
)
def test_a_bad_translated_field_is_refused_with_the_line_and_field(content, problem):
    with pytest.raises(DeckFileError) as refusal:
        parse_deck(content.encode())
    assert problem in str(refusal.value)


def test_a_good_file_parses_with_types_by_letter_or_word_columns_in_any_order_and_a_bom():
    data = (
        "\ufefftitle,id,description,type,theme,extra\n"
        "Hero worship,h1,We reward firefighting.,Culture,Leadership,ignored\n"
        "\n"
        "Silo thinking,h2,Teams guard their patch.,b,Ownership,\n"
    ).encode()
    cards = parse_deck(data)
    assert [(c.key, c.type, c.title) for c in cards] == [("h1", "C", "Hero worship"), ("h2", "B", "Silo thinking")]


@pytest.mark.parametrize(
    "content, problem",
    [
        ("", "The file is empty"),
        ("id,type,title,description\nx,A,T,D\n", "Line 1: the header lacks the column(s) theme"),
        (HEADER, "no cards"),
        (HEADER + "c1,A,Theme,Title,\n", "Line 2: field 'description' is empty"),
        (HEADER + "c1,X,Theme,Title,Desc\n", "Line 2: field 'type' is 'X'; use A, B or C"),
        (HEADER + "c1,A,Theme,One,Desc\nC1,B,Theme,Two,Desc\n", "Line 3: id 'C1' is already used on line 2"),
        (HEADER + "c1,A,Theme,Same,Desc\nc2,B,Theme,same,Desc\n", "Line 3: title 'same' is already used on line 2"),
        (HEADER + "c1,A,Theme," + "t" * 121 + ",Desc\n", "Line 2: field 'title' has 121 characters; the limit is 120"),
        (HEADER + 'c1,A,Theme,"Title,Desc\n', "Line"),
    ],
)
def test_a_bad_file_is_refused_with_the_line_and_field(content, problem):
    with pytest.raises(DeckFileError) as refusal:
        parse_deck(content.encode())
    assert problem in str(refusal.value)


def test_every_bad_line_is_reported_not_just_the_first():
    with pytest.raises(DeckFileError) as refusal:
        parse_deck((HEADER + "c1,A,T,Title,\nc2,Q,T,Other,D\nc3,B,T,Fine,D\n").encode())
    assert refusal.value.problems == [
        "Line 2: field 'description' is empty.",
        "Line 3: field 'type' is 'Q'; use A, B or C (Attitude, Behaviour, Culture).",
    ]


def test_a_deck_saved_as_windows_1252_or_utf16_reads_the_same_and_undecodable_bytes_are_refused():
    text = HEADER + "c1,A,T,Caf\u00e9 \u2026,D\n"
    for encoded in (text.encode("cp1252"), text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        assert parse_deck(encoded)[0].title == "Caf\u00e9 \u2026"
    with pytest.raises(DeckFileError, match="Line 2: byte 42 cannot be read as UTF-8 or Windows-1252 text"):
        parse_deck(HEADER.encode() + b"c1,A,T,Caf\x81,D\n")


def test_an_oversized_file_is_refused():
    with pytest.raises(DeckFileError, match="at most 512 KB"):
        parse_deck(b"x" * (600 * 1024))


def test_importing_a_bad_deck_writes_nothing(room):
    before = (room.store._value("SELECT count(*) FROM decks"), room.store._value("SELECT count(*) FROM cards"))
    with pytest.raises(DeckFileError):
        room.store.import_deck(room.workshop.id, room.key, "Mine", "mine.csv", (HEADER + "c1,A,T,T1,D\nc2,Z,T,T2,D\n").encode())
    with pytest.raises(AccessDenied):
        room.store.import_deck(room.workshop.id, "", "Mine", "mine.csv", (HEADER + "c1,A,T,T1,D\n").encode())
    after = (room.store._value("SELECT count(*) FROM decks"), room.store._value("SELECT count(*) FROM cards"))
    assert after == before


def test_an_imported_deck_is_stored_whole_logged_and_its_name_is_unique(room):
    data = (HEADER + "c1,A,T,T1,D\nc2,C,T,T2,D\n").encode()
    deck = room.store.import_deck(room.workshop.id, room.key, "Our own deck", "own.csv", data)
    assert (deck.name, deck.card_count, deck.source) == ("Our own deck", 2, "upload: own.csv")
    assert [c.key for c in room.store.cards(deck.id)] == ["c1", "c2"]
    assert room.store.events(room.workshop.id, room.key)[0].kind == "deck_imported"
    with pytest.raises(InvalidInput, match="already"):
        room.store.import_deck(room.workshop.id, room.key, "our OWN deck", "own.csv", data)
