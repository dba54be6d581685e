"""The participant's journey in AppTest: join by code, join the workshop, vote, follow the round."""

from __future__ import annotations

import json

import pytest

from abc_workshop.domain import RoundState
from tests.pages.conftest import open_page, query_value, texts
from ui.ballot import answer_submit


def test_the_start_page_refuses_a_wrong_join_code(page_room):
    at = open_page()
    assert "ABC Workshop" in texts(at)
    at.text_input[0].input("ZZZZ99")
    at.button[0].click().run()
    assert "No workshop has the join code 'ZZZZ99'" in texts(at)


def test_the_start_page_sends_a_right_code_to_the_vote_page(page_room):
    at = open_page()
    at.text_input[0].input(page_room.workshop.join_code.lower())
    at.button[0].click().run()
    assert "Join the workshop" in texts(at)


def test_joining_puts_a_token_in_the_url_and_waits_for_a_round(page_room):
    at = open_page("pages/vote.py", w=page_room.workshop.join_code)
    at.text_input[0].input("Ann")
    at.radio[0].set_value(page_room.teams[1])
    at.button[0].click().run()
    joined = page_room.store.participant(page_room.workshop.id, query_value(at, "p"))
    assert joined.display_name == "Ann" and joined.team_id == page_room.teams[1].id
    assert "Waiting for the facilitator to open a round" in texts(at)


def test_joining_without_a_team_is_refused(page_room):
    at = open_page("pages/vote.py", w=page_room.workshop.join_code)
    at.button[0].click().run()
    assert "Please pick your team" in texts(at)
    assert page_room.store._value("SELECT count(*) FROM participants") == 0


def test_an_unknown_token_asks_to_join_again(page_room):
    at = open_page("pages/vote.py", w=page_room.workshop.join_code, p="forged")
    assert "belongs to nobody in this workshop" in texts(at)


def vote_page(room, participant):
    return open_page("pages/vote.py", w=room.workshop.join_code, p=participant.token)


def ballot_data(at) -> dict:
    """What the page gave the browser's ballot (ui/ballot.js draws it; AppTest runs no JavaScript)."""
    (element,) = [e for e in at.get("bidi_component") if str(e.key).startswith("ballot-")]
    return json.loads(element.proto.json)


def test_an_open_round_gives_the_browser_every_card_the_budget_and_no_saved_ballot(page_room):
    rnd = page_room.open_round(pick_limit=2, show_names=True)
    at = vote_page(page_room, page_room.join("Ann"))
    data = ballot_data(at)
    cards = page_room.store.cards(page_room.deck_id)
    assert [c["id"] for c in data["cards"]] == [c.id for c in cards]
    assert {c["title"] for c in data["cards"]} == {c.title for c in cards}
    assert all(c["description"] for c in data["cards"])
    assert (data["limit"], data["saved"], data["question"]) == (2, [], rnd.question)
    assert data["named"] and "sees who picked which cards" in data["namedText"]


def test_a_reload_gives_the_browser_the_saved_ballot(page_room):
    rnd = page_room.open_round(pick_limit=3)
    ann = page_room.join()
    first, second = page_room.card_ids(2)
    page_room.vote(ann, rnd, [first, second])
    assert sorted(ballot_data(vote_page(page_room, ann))["saved"]) == sorted([first, second])


def test_a_submit_is_saved_and_answered_under_its_nonce(page_room):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join()
    first, second, third = page_room.card_ids(3)
    assert answer_submit(page_room.store, ann, rnd, {"nonce": "n1", "cards": [first, second]}) == {"nonce": "n1", "ok": True, "message": None}
    again = answer_submit(page_room.store, ann, rnd, {"nonce": "n1", "cards": [first, second]})  # a resend saves the same once more
    assert again["ok"] and page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted([first, second])
    over = answer_submit(page_room.store, ann, rnd, {"nonce": "n2", "cards": [first, second, third]})
    assert not over["ok"] and "this round allows 2" in over["message"]
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted([first, second])


@pytest.mark.parametrize("sent", [None, "x", {"cards": [1]}, {"nonce": "", "cards": [1]}, {"nonce": "n" * 65, "cards": [1]}])
def test_what_no_page_sends_is_not_answered(page_room, sent):
    rnd = page_room.open_round(pick_limit=2)
    assert answer_submit(page_room.store, page_room.join(), rnd, sent) is None


@pytest.mark.parametrize("cards", ["1,2", [1, "2"], [True], [1.5], list(range(1001))])
def test_malformed_picks_are_refused_with_a_sentence_and_store_nothing(page_room, cards):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join()
    answer = answer_submit(page_room.store, ann, rnd, {"nonce": "n", "cards": cards})
    assert answer == {"nonce": "n", "ok": False, "message": "That ballot could not be read; please pick again."}
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == []


def test_a_submit_after_the_round_closed_gets_a_clear_message_and_stores_nothing(page_room):
    rnd = page_room.open_round(pick_limit=3)
    ann = page_room.join()
    page_room.store.close_round(rnd.id, page_room.key)
    answer = answer_submit(page_room.store, ann, rnd, {"nonce": "late", "cards": page_room.card_ids(1)})
    assert answer["message"] == "Voting is closed for this round; your ballot was not changed."
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == []
    assert "Voting has closed. Watch the screen for the result." in texts(vote_page(page_room, ann))


def test_closed_and_revealed_rounds_show_the_participant_what_happened(page_room):
    rnd = page_room.open_round(pick_limit=2)
    ann, bob = page_room.join("Ann"), page_room.join("Bob", team=1)
    first, second = page_room.card_ids(2)
    page_room.vote(ann, rnd, [first, second])
    page_room.vote(bob, rnd, [first])
    page_room.store.close_round(rnd.id, page_room.key)
    assert "Voting has closed" in texts(vote_page(page_room, ann))
    assert page_room.store.reveal_round(rnd.id, page_room.key).state is RoundState.REVEALED
    said = texts(vote_page(page_room, ann))
    title = page_room.store.cards(page_room.deck_id)[0].title
    assert "2 participants voted" in said
    assert f"1. {title}: 2 (100%)" in said
    assert f"• {title}" in said
