"""The participant's journey in AppTest: join by code, join the workshop, vote, follow the round."""

from __future__ import annotations

from abc_workshop.domain import RoundState
from tests.pages.conftest import open_page, query_value, texts


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


def pills(at):
    """The three pill groups (Attitude, Behaviour, Culture) keyed by their letter."""
    return {p.label[0]: p for p in at.get("button_group") if p.label[:1] in "ABC"}


def test_a_participant_picks_cards_up_to_the_budget_and_submits(page_room):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join("Ann")
    at = vote_page(page_room, ann)
    cards = page_room.store.cards(page_room.deck_id)
    by_type = {letter: [c.id for c in cards if c.type == letter] for letter in "ABC"}
    assert sum(len(p.options) for p in pills(at).values()) == len(cards)
    pills(at)["A"].set_value([by_type["A"][0]]).run()
    pills(at)["B"].set_value([by_type["B"][0]]).run()
    assert "2 of 2 cards picked" in str(at.get("progress")[0].proto)
    pills(at)["C"].set_value([by_type["C"][0]]).run()  # a third card is over the budget
    assert "You can pick 2 cards. Untick one before you pick another." in texts(at)
    assert pills(at)["C"].value == []
    at.button(key="submit").click().run()
    assert "Your ballot is saved (2 cards)" in texts(at)
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted([by_type["A"][0], by_type["B"][0]])


def test_the_filter_and_search_narrow_the_card_descriptions(page_room):
    page_room.open_round(pick_limit=3)
    at = vote_page(page_room, page_room.join())
    cards = page_room.store.cards(page_room.deck_id)
    at.text_input(key="card-search").input("blame").run()
    described = texts(at)
    matching = [c for c in cards if "blame" in f"{c.title} {c.description} {c.theme}".lower()]
    assert matching and len(matching) < len(cards)
    assert all(c.description in described for c in matching)
    assert not any(c.description in described for c in cards if c not in matching)
    at.text_input(key="card-search").input("").run()
    at.segmented_control(key="card-filter").set_value("C").run()
    described = texts(at)
    assert all((c.description in described) == (c.type == "C") for c in cards)


def test_a_reload_shows_the_saved_ballot_not_a_new_one(page_room):
    rnd = page_room.open_round(pick_limit=3)
    ann = page_room.join()
    first, second = page_room.card_ids(2)
    page_room.vote(ann, rnd, [first, second])
    at = vote_page(page_room, ann)
    assert "Your ballot is saved (2 cards)" in texts(at)
    chosen = {card_id for group in pills(at).values() for card_id in group.value}
    assert chosen == {first, second}


def test_a_submit_after_the_round_closed_gets_a_clear_message_and_stores_nothing(page_room):
    """AppTest reruns the whole page on a click, so the page itself says the round closed.

    (In a browser the click reruns only the ballot fragment and the store's refusal is shown;
    the browser test covers that path.)"""
    rnd = page_room.open_round(pick_limit=3)
    ann = page_room.join()
    at = vote_page(page_room, ann)
    pills(at)["A"].set_value([pills(at)["A"].options[0]]).run()
    page_room.store.close_round(rnd.id, page_room.key)
    at.button(key="submit").click().run()
    assert "Voting has closed. Watch the screen for the result." in texts(at)
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == []


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
