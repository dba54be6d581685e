"""The room's language and each participant's own: stored, checked, and followed by the pages' language choice."""

from __future__ import annotations

import sqlite3

import pytest

from abc_workshop import i18n
from abc_workshop.domain import AccessDenied, InvalidInput


def test_a_workshop_is_created_in_a_language_and_speaks_english_by_default(room):
    assert room.workshop.language == "en"
    german, _key = room.store.create_workshop("Pilot DE", "Acme IT", language="de", creator_key=room.key)
    assert german.language == "de"
    assert room.store.workshop_by_code(german.join_code).language == "de"


def test_only_languages_the_app_speaks_are_taken(room):
    with pytest.raises(InvalidInput, match="does not speak 'fr'"):
        room.store.create_workshop("Pilot FR", "Acme IT", language="fr", creator_key=room.key)
    with pytest.raises(InvalidInput, match="does not speak"):
        room.store.set_workshop_language(room.workshop.id, room.key, "xx")
    assert room.store.workshop(room.workshop.id).language == "en"


def test_the_facilitator_sets_the_room_language_and_the_room_is_told(room):
    before = room.store.version(room.workshop.id)
    changed = room.store.set_workshop_language(room.workshop.id, room.key, "nl")
    assert changed.language == "nl"
    assert room.store.version(room.workshop.id) > before  # the projector and phones redraw
    assert room.store.events(room.workshop.id, room.key)[0].kind == "language"


def test_setting_the_room_language_needs_the_facilitator_key(room):
    with pytest.raises(AccessDenied):
        room.store.set_workshop_language(room.workshop.id, "not-the-key", "de")
    assert room.store.workshop(room.workshop.id).language == "en"


def test_a_participant_choice_is_stored_with_them_and_concerns_their_phone_only(room):
    ann, bob = room.join("Ann"), room.join("Bob", team=1)
    before = room.store.version(room.workshop.id)
    chosen = room.store.set_participant_language(room.workshop.id, ann.token, "de")
    assert chosen.language == "de"
    assert room.store.participant(room.workshop.id, ann.token).language == "de"  # survives a reload: it is stored
    assert room.store.participant(room.workshop.id, bob.token).language is None
    assert room.store.version(room.workshop.id) == before
    assert room.store.set_participant_language(room.workshop.id, ann.token, None).language is None


def test_a_choice_for_nobody_is_refused(room):
    with pytest.raises(InvalidInput, match="belongs to nobody"):
        room.store.set_participant_language(room.workshop.id, "no-such-token", "nl")


def test_the_database_keeps_codes_short_whatever_writes_them(room):
    with pytest.raises(sqlite3.IntegrityError):
        room.store.db.conn.execute("UPDATE workshops SET language = '' WHERE id = ?", (room.workshop.id,))


def test_the_language_is_per_run_and_a_block_can_speak_another():
    assert i18n.use("de-CH") == "de" and i18n.current() == "de"
    with i18n.speaking("nl"):
        assert i18n.current() == "nl"
    assert i18n.current() == "de"
    assert i18n.use("fr-FR") == "en"  # a language without a catalogue falls back to English
    assert i18n.supported("NL_be") == "nl" and i18n.supported(None) is None


def test_numbers_and_days_follow_the_language():
    with i18n.speaking("de"):
        assert (i18n.number(1234.5, 1), i18n.day("2026-12-07")) == ("1.234,5", "07.12.2026")
    with i18n.speaking("en"):
        assert (i18n.number(1234.5, 1), i18n.day("2026-12-07")) == ("1,234.5", "Dec 7, 2026")
