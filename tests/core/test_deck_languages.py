"""Decks in several languages: one card, one id, its texts shown in the reader's language wherever the store reads them."""

from __future__ import annotations

import pytest
import sqlite_utils

from abc_workshop import i18n
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import CompareFilter
from abc_workshop.store import Store
from abc_workshop.store.schema import migrations

HEADER = "id,type,theme,title,description,theme_nl,title_nl,description_nl\n"


def test_the_shipped_deck_reads_in_dutch_and_german_with_the_same_ids(store):
    deck = store.decks()[0].id
    english = store.cards(deck)
    with i18n.speaking("nl"):
        dutch = store.cards(deck)
    with i18n.speaking("de"):
        german = store.cards(deck)
    assert [c.id for c in dutch] == [c.id for c in german] == [c.id for c in english]
    assert [c.key for c in dutch] == [c.key for c in english]
    assert [c.type for c in dutch] == [c.type for c in english]
    by_key = {c.key: c for c in dutch}
    assert (by_key["abc-06"].title, by_key["abc-06"].theme) == ("Daar ga ik niet over", "Eigenaarschap")
    assert by_key["abc-06"].description.startswith("Medewerkers houden zich strikt")
    assert {c.key: c for c in german}["abc-06"].title == "Dafür bin ich nicht zuständig"
    assert {c.key: c for c in english}["abc-06"].title == "Not my responsibility"
    assert all(d.title != e.title for d, e in zip(dutch, english))


def test_the_language_is_the_callers_each_time_the_same_query_runs(store):
    deck = store.decks()[0].id
    titles = []
    for language in ("en", "nl", "en", "de", "nl"):
        with i18n.speaking(language):
            titles.append(store.cards(deck)[0].title)
    assert titles[0] == titles[2] != titles[1] == titles[4] != titles[3]


def test_a_card_without_a_translation_falls_back_to_the_decks_own_words(room):
    data = (
        HEADER + "o1,A,Own,Heroes,We reward heroes.,Eigen,Helden,We belonen helden.\n"
        "o2,B,Own,Silos,Teams guard their patch.,,Silo's,\n"
        "o3,C,Own,Nobody's job,Nobody owns it.,,,\n"
    ).encode()
    deck = room.store.import_deck(room.workshop.id, room.key, "Own deck", "own.csv", data)
    with i18n.speaking("nl"):
        dutch = room.store.cards(deck.id)
    with i18n.speaking("de"):  # the file has no German: every text in the deck's own words
        german = room.store.cards(deck.id)
    assert [(c.theme, c.title, c.description) for c in dutch] == [
        ("Eigen", "Helden", "We belonen helden."),
        ("Own", "Silo's", "Teams guard their patch."),
        ("Own", "Nobody's job", "Nobody owns it."),
    ]
    assert [(c.id, c.title) for c in german] == [(c.id, c.title) for c in room.store.cards(deck.id)]


def test_a_deck_written_in_dutch_may_give_english_titles_for_english_readers(room):
    data = b"id,type,theme,title,description,title_en\nn1,A,Eigen,Helden,We belonen helden.,Heroes\n"
    deck = room.store.import_deck(room.workshop.id, room.key, "Eigen kaartspel", "eigen.csv", data)
    with i18n.speaking("nl"):
        assert room.store.cards(deck.id)[0].title == "Helden"
    assert room.store.cards(deck.id)[0].title == "Heroes"


def test_ballots_cast_in_dutch_and_in_english_count_for_the_same_card(room):
    rnd = room.open_round()
    with i18n.speaking("nl"):
        dutch_card = room.store.cards(room.deck_id)[5]
        room.vote(room.join("Anna"), rnd, [dutch_card.id])
    english_card = room.store.cards(room.deck_id)[5]
    room.vote(room.join("Ben"), rnd, [english_card.id])
    assert dutch_card.id == english_card.id and dutch_card.title != english_card.title
    counts, ballots = room.store.pick_counts(rnd.id)
    assert counts == [{"card_id": english_card.id, "team_id": room.teams[0].id, "picks": 2}]
    assert ballots == {room.teams[0].id: 2}

    room.store.close_round(rnd.id, room.key)
    for language, title in (("nl", dutch_card.title), ("en", english_card.title)):
        with i18n.speaking(language):
            cards, _ = room.store.card_totals(CompareFilter())
            iceberg = room.store.iceberg(rnd.id)
        assert cards[["card_id", "title", "picks"]].values.tolist() == [[english_card.id, title, 2]]
        assert [(row["card_id"], row["title"], row["picks"]) for row in iceberg] == [(english_card.id, title, 2)]


def test_a_facilitators_view_of_named_ballots_and_shortlists_reads_in_the_callers_language(room):
    rnd = room.open_round(show_names=True)
    card = room.store.cards(room.deck_id)[1]
    room.vote(room.join("Anna"), rnd, [card.id])
    room.store.close_round(rnd.id, room.key)
    with i18n.speaking("de"):
        german = room.store.cards(room.deck_id)[1].title
        named = room.store.named_ballots(rnd.id, room.key)
        topics = room.store.round_topics(rnd.id)
    assert named[0]["cards"] == german
    assert {topic.card_title for topic in topics} <= {german}


def test_a_results_file_in_dutch_titles_maps_to_the_same_cards(store):
    deck = store.decks()[0].id
    with i18n.speaking("nl"):
        dutch = {c.key: c.title for c in store.cards(deck)}
    english = {c.key: c for c in store.cards(deck)}
    lines = [
        "organisation,workshop,date,team,perspective,participant,card",
        f"Acme IT,Paper,2023-05-01,Desk,recognise,P1,{dutch['abc-06']}",
        f"Acme IT,Paper,2023-05-01,Desk,recognise,P2,{dutch['abc-02'].upper()}",
        f"Acme IT,Paper,2023-05-01,Desk,recognise,P3,{english['abc-06'].title}",
    ]
    store.import_results("dutch.csv", "\n".join(lines).encode())
    cards, _ = store.card_totals(CompareFilter())
    assert dict(zip(cards["key"], cards["picks"])) == {"abc-06": 2, "abc-02": 1}


@pytest.mark.sqlite_only  # an upgrade of a SQLite file made by an earlier version
def test_a_database_from_before_translations_gains_the_default_decks_texts_on_start_with_the_same_ids(db_path):
    """A file left by the release before this one (migrations up to 0010, the deck loaded without texts) opens today."""
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0012_card_translations")
    assert "card_texts" not in old.table_names()
    old.execute("INSERT INTO decks (name, source) VALUES ('ABC worst practices', 'cards/ABC-worst-practices.csv')")
    old.conn.executemany(
        "INSERT INTO cards (deck_id, card_key, type, theme, title, description, position) VALUES (1, ?, 'A', 'T', ?, 'D', ?)",
        [(f"abc-{n:02d}", f"Old title {n}", n) for n in range(1, 61)],
    )
    old.conn.commit()
    before = old.execute("SELECT id, card_key FROM cards ORDER BY id").fetchall()
    old.conn.close()

    store = Store(db_path)
    assert store.load_shipped_decks(CARDS_DIR) == []
    assert store._value("SELECT count(*) FROM decks") == 1
    assert store.db.execute("SELECT id, card_key FROM cards ORDER BY id").fetchall() == before
    with i18n.speaking("nl"):
        dutch = {c.key: c for c in store.cards(1)}
    assert dutch["abc-06"].title == "Daar ga ik niet over"
    assert [c.title for c in store.cards(1)][:2] == ["Old title 1", "Old title 2"]  # the English stays as stored
    store.close()


def test_texts_lost_or_changed_come_back_from_the_shipped_file_and_an_unchanged_start_writes_nothing(db_path, room):
    rnd = room.open_round()
    room.vote(room.join(), rnd, room.card_ids(2))
    deck = room.deck_id
    ids = [c.id for c in room.store.cards(deck)]
    texts = room.store._value("SELECT count(*) FROM card_texts")
    assert texts == 120
    with room.store._write() as db:
        db.execute("DELETE FROM card_texts WHERE language = 'de'")
        db.execute("UPDATE card_texts SET title = 'Verkeerd' WHERE card_id = ?", (ids[0],))
    room.store.close()

    again = Store(db_path)
    assert again.load_shipped_decks(CARDS_DIR) == []
    assert [c.id for c in again.cards(deck)] == ids
    assert again._value("SELECT count(*) FROM card_texts") == texts
    with i18n.speaking("nl"):
        assert again.cards(deck)[0].title != "Verkeerd"
    changes = again.db.conn.total_changes
    again.load_shipped_decks(CARDS_DIR)
    assert again.db.conn.total_changes == changes
    assert again.progress(rnd.id).voted == 1
    again.close()
