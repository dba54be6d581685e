"""The participant's journey in AppTest: join by code, join the workshop, vote, follow the round."""

from __future__ import annotations

import json

import pytest

from tests.pages.conftest import open_page, query_value, texts
from ui.phone import answer_submit


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
    assert phone_data(at)["view"]["round"]["stage"] == [None, None, None, None]


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


def phone_data(at) -> dict:
    """What the page gave the browser's phone view (ui/phone.js draws it; AppTest runs no JavaScript)."""
    (element,) = [e for e in at.get("bidi_component") if e.key == "phone"]
    return json.loads(element.proto.json)


def sent(rnd, cards, nonce="n1") -> dict:
    return {"nonce": nonce, "round": rnd.id, "attempt": rnd.attempt, "cards": cards}


def test_an_open_round_gives_the_browser_its_question_budget_deck_and_no_saved_ballot(page_room):
    rnd = page_room.open_round(pick_limit=2, show_names=True)
    data = phone_data(vote_page(page_room, page_room.join("Ann")))
    assert data["view"]["round"] == {
        "stage": [rnd.id, "open", rnd.attempt, None],
        "spec": {
            "position": rnd.position,
            "question": rnd.question,
            "perspective": rnd.perspective_text,
            "limit": 2,
            "deck": rnd.deck_id,
            "named": True,
        },
        "drafts": [],
    }
    assert data["saved"] == {"key": f"{rnd.id}-{rnd.attempt}", "cards": []}
    # AppTest serves no event stream, so the page polls and the cards come with the page.
    assert data["url"] is None and data["deckUrl"] is None
    cards = page_room.store.cards(page_room.deck_id)
    assert [c["id"] for c in data["cards"][str(rnd.deck_id)]] == [c.id for c in cards]
    assert all(c["description"] for c in data["cards"][str(rnd.deck_id)])
    assert "sees who picked which cards" in data["texts"]["named"]


def test_a_reload_gives_the_browser_the_saved_ballot(page_room):
    rnd = page_room.open_round(pick_limit=3)
    ann = page_room.join()
    first, second = page_room.card_ids(2)
    page_room.vote(ann, rnd, [first, second])
    assert sorted(phone_data(vote_page(page_room, ann))["saved"]["cards"]) == sorted([first, second])


def test_a_submit_is_saved_and_answered_under_its_nonce_with_the_cards_saved(page_room):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join()
    first, second, third = page_room.card_ids(3)
    answer = answer_submit(page_room.store, ann, sent(rnd, [second, first]))
    assert answer == {"nonce": "n1", "ok": True, "message": None, "cards": sorted([first, second])}
    again = answer_submit(page_room.store, ann, sent(rnd, [first, second]))  # a resend saves the same once more
    assert again["ok"] and page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted([first, second])
    over = answer_submit(page_room.store, ann, sent(rnd, [first, second, third], "n2"))
    assert not over["ok"] and "this round allows 2" in over["message"] and over["cards"] is None
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted([first, second])


def test_a_submit_for_an_attempt_that_was_reset_is_refused(page_room):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join()
    page_room.store.reset_round(rnd.id, page_room.key, "a false start")
    page_room.store.open_round(rnd.id, page_room.key)
    answer = answer_submit(page_room.store, ann, sent(rnd, page_room.card_ids(1)))
    assert answer["message"] == "The facilitator reset this round; please vote again."
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt + 1) == []


def test_a_submit_into_another_workshops_round_is_refused(page_room):
    other, other_key = page_room.store.create_workshop("Other", "Other Org", creator_key=page_room.key)
    from abc_workshop.domain import RoundSpec

    theirs = page_room.store.create_round(other.id, other_key, RoundSpec("Theirs?", page_room.deck_id, pick_limit=2))
    page_room.store.open_round(theirs.id, other_key)
    answer = answer_submit(page_room.store, page_room.join(), sent(theirs, page_room.card_ids(1)))
    assert answer["message"] == "There is no such round in this workshop."


@pytest.mark.parametrize("payload", [None, "x", {"cards": [1]}, {"nonce": "", "cards": [1]}, {"nonce": "n" * 65, "cards": [1]}])
def test_what_no_page_sends_is_not_answered(page_room, payload):
    page_room.open_round(pick_limit=2)
    assert answer_submit(page_room.store, page_room.join(), payload) is None


@pytest.mark.parametrize(
    "change",
    [
        {"cards": "1,2"},
        {"cards": [1, "2"]},
        {"cards": [True]},
        {"cards": [1.5]},
        {"cards": list(range(1, 1002))},
        {"round": "1"},
        {"round": None},
        {"attempt": 0},
        {"attempt": 2**63},
        {"cards": [2**63]},
    ],
)
def test_malformed_submits_are_refused_with_a_sentence_and_store_nothing(page_room, change):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join()
    answer = answer_submit(page_room.store, ann, {**sent(rnd, page_room.card_ids(1), "n"), **change})
    assert answer == {"nonce": "n", "ok": False, "message": "That ballot could not be read; please pick again.", "cards": None}
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == []


def test_a_submit_after_the_round_closed_gets_a_clear_message_and_stores_nothing(page_room):
    rnd = page_room.open_round(pick_limit=3)
    ann = page_room.join()
    page_room.store.close_round(rnd.id, page_room.key)
    answer = answer_submit(page_room.store, ann, sent(rnd, page_room.card_ids(1), "late"))
    assert answer["message"] == "Voting is closed for this round; your ballot was not changed."
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == []
    assert phone_data(vote_page(page_room, ann))["view"]["round"]["stage"][1] == "closed"


def test_closed_and_revealed_rounds_give_the_phone_its_picks_and_the_result_by_card_and_team(page_room):
    rnd = page_room.open_round(pick_limit=2)
    ann, bob = page_room.join("Ann"), page_room.join("Bob", team=1)
    first, second = page_room.card_ids(2)
    page_room.vote(ann, rnd, [first, second])
    page_room.vote(bob, rnd, [first])
    page_room.store.close_round(rnd.id, page_room.key)
    closed = phone_data(vote_page(page_room, ann))
    assert closed["view"]["round"]["stage"][1] == "closed" and closed["view"]["result"] is None
    assert sorted(closed["saved"]["cards"]) == sorted([first, second])
    page_room.store.reveal_round(rnd.id, page_room.key)
    data = phone_data(vote_page(page_room, ann))
    ann_team, bob_team = str(page_room.teams[0].id), str(page_room.teams[1].id)
    titles = {card.id: card.title for card in page_room.store.cards(page_room.deck_id)}
    tied = sorted([first, second], key=titles.get)  # a tie keeps both cards at rank 1, ordered by title
    assert data["view"]["result"] == {
        "voted": 2,
        "top": [[1, first, 2], [2, second, 1]],
        "teams": {ann_team: [1, [[1, tied[0], 1], [1, tied[1], 1]]], bob_team: [1, [[1, first, 1]]]},
    }
    assert data["me"]["team"] == page_room.teams[0].id and data["me"]["teamName"] == page_room.teams[0].name
    assert data["me"]["teamLink"].endswith(f"/team?w={page_room.workshop.join_code}&p={ann.token}")
