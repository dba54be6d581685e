"""The facilitator's line about the projector, in AppTest."""

from __future__ import annotations

from tests.pages.conftest import open_page, texts


def unlocked(room):
    at = open_page("pages/facilitate.py", w=room.workshop.join_code)
    at.text_input[0].input(room.key)
    at.button[0].click().run()
    return at


def said(at) -> str:
    return texts(at).replace("**", "")  # the sentence is drawn in bold


def live_buttons(at):
    return [b for b in at.button if b.label == "Show the live round"]


def test_the_facilitator_sees_what_the_projector_shows_and_brings_back_the_live_round(page_room):
    store, wid, key = page_room.store, page_room.workshop.id, page_room.key
    page_room.open_round()
    at = unlocked(page_room)
    assert "Projector shows: Round 1: voting open - join screen" in said(at)
    assert not live_buttons(at)  # the live round is up: nothing to bring back
    poll = store.create_poll(wid, key, "Customer *focus*", ["IT listens"], "agree3")
    store.open_poll(poll.id, key)
    store.show_poll_on_projector(poll.id, key, True)
    at.run()
    assert "Projector shows: Poll: Customer *focus*" in said(at)  # people's text stays text
    (button,) = live_buttons(at)
    button.click().run()
    assert store.projected_poll(wid) is None
    assert store.projector_now(wid).live
    assert "Projector shows: Round 1: voting open - join screen" in said(at)
    assert not live_buttons(at)


def test_the_line_follows_a_chosen_view(page_room):
    store = page_room.store
    store.set_projector_view(page_room.workshop.id, page_room.key, "review")
    at = unlocked(page_room)
    assert "Projector shows: Earlier actions of Acme IT" in said(at)
    live_buttons(at)[0].click().run()
    assert store.projector_view(page_room.workshop.id) == {"mode": "round"}
    assert "Projector shows: Waiting for the first round - join screen" in said(at)


def test_on_a_revealed_result_one_button_steps_through_the_teams_pages(page_room):
    store, wid, key = page_room.store, page_room.workshop.id, page_room.key
    rnd = page_room.open_round()
    page_room.vote(page_room.join("Ann"), rnd, page_room.card_ids(2))
    page_room.vote(page_room.join("Cid", team=1), rnd, page_room.card_ids(1))
    store.reveal_round(rnd.id, key)
    at = unlocked(page_room)
    assert "Projector shows: Round 1: result" in said(at)
    (step,) = [b for b in at.button if b.label == "Show teams 1-2 of 2"]
    step.click().run()
    assert store.projector_now(wid).page == 1
    assert "Projector shows: Round 1: result - teams 1-2 of 2" in said(at)
    [b for b in at.button if b.label == "Show the room's result"][0].click().run()
    assert store.projector_now(wid).page == 0


def test_the_iceberg_and_summaries_use_the_round_chosen_under_teams_analysis(page_room):
    store, wid, key = page_room.store, page_room.workshop.id, page_room.key
    first = page_room.open_round()
    page_room.vote(page_room.join("Ann"), first, page_room.card_ids(2))
    store.reveal_round(first.id, key)
    second = page_room.open_round(question="Round two")
    store.reveal_round(second.id, key)
    at = unlocked(page_room)
    at.segmented_control(key="section").set_value("after").run()
    at.selectbox(key="analysis-round").set_value(store.round(first.id)).run()
    at.button(key="projector-view-iceberg").click().run()
    assert store.projector_view(wid) == {"mode": "iceberg", "round_id": first.id}
    assert "Projector shows: Iceberg of round 1" in said(at)
