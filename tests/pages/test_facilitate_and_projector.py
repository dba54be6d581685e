"""The facilitator's and the projector's pages in AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from abc_workshop.domain import RoundState
from abc_workshop.store import Store
from tests.pages.conftest import APP, open_page, query_value, texts


def unlocked(room, section: str | None = None):
    """The facilitator page for the room's workshop, with the key typed in, showing `section` if given."""
    at = open_page("pages/facilitate.py", w=room.workshop.join_code)
    at.text_input[0].input(room.key)
    at.button[0].click().run()
    return go_to(at, section) if section else at


def go_to(at: AppTest, section: str) -> AppTest:
    """Choose a section of the facilitator page (room, rounds, after, polls, decks, log)."""
    return at.segmented_control(key="section").set_value(section).run()


def dialogs(at: AppTest) -> list:
    """The page's open dialogs (AppTest holds an st.dialog as a block of kind 'dialog' beside the page's main block)."""
    found, blocks = [], list(at._tree.children.values())
    while blocks:
        block = blocks.pop()
        if getattr(block, "type", None) == "dialog":
            found.append(block)
        blocks.extend(getattr(block, "children", {}).values())
    return found


def test_creating_a_workshop_shows_the_key_once_in_a_dialog_and_stores_it_hashed(app_store):
    at = open_page("pages/facilitate.py")
    at.text_input[0].input("ABC pilot")
    at.text_input[1].input("Acme IT")
    at.button[0].click().run()
    workshop = app_store.workshop_by_code(query_value(at, "w"))
    [dialog] = dialogs(at)
    [key] = [c.value for c in dialog.code]
    assert workshop.title == "ABC pilot" and app_store.key_is_valid(workshop.id, key)
    assert app_store.key_is_valid(workshop.id, key.lower().replace("-", " ")), "no case or separator traps"
    assert [t.name for t in app_store.teams(workshop.id)] == ["Service Desk", "Operations", "Business users"]
    assert "only once" in texts(at) and "letters A C E F G H K M N P R T W X Y" in texts(at)
    assert key not in [c.value for c in at.main.code], "the key is only in the dialog, never on the page behind it"
    [download] = [d for d in at.get("download_button") if d.proto.label == "Download the key (text file)"]
    assert download.proto.url
    [b for b in at.button if b.label == "I have saved the key"][0].click().run()
    assert not dialogs(at) and key not in [c.value for c in at.code]
    at.run()
    assert not dialogs(at), "shown once: a rerun does not bring it back"


def test_creating_a_workshop_with_bad_input_shows_why_and_stores_nothing(app_store):
    at = open_page("pages/facilitate.py")
    at.text_input[0].input("x" * 10)
    at.button[0].click().run()
    assert "Please fill in the organisation." in texts(at)
    assert app_store.decks() and app_store._value("SELECT count(*) FROM workshops") == 0


def test_without_the_key_no_control_is_shown(page_room):
    at = open_page("pages/facilitate.py", w=page_room.workshop.join_code)
    assert "needs its facilitator key" in texts(at)
    assert [b.label for b in at.button] == ["Unlock"]
    at.text_input[0].input("WRONG-KEY-0000")
    at.button[0].click().run()
    assert "That facilitator key is not right for this workshop." in texts(at)
    assert [b.label for b in at.button] == ["Unlock"]


def test_the_facilitator_creates_opens_closes_and_reveals_a_round(page_room):
    at = unlocked(page_room)
    assert "Join code" in texts(at)
    go_to(at, "rounds")
    assert "Join code" not in texts(at), "only the chosen section is drawn"
    question = [t for t in at.text_input if t.label == "Question"][0]
    question.input("Which cards would our users pick?")
    [n for n in at.number_input if n.label == "Cards each participant picks"][0].set_value(3)
    [b for b in at.button if b.label == "Create round"][0].click().run()
    rnd = page_room.store.rounds(page_room.workshop.id)[0]
    assert (rnd.question, rnd.pick_limit, rnd.state) == ("Which cards would our users pick?", 3, RoundState.DRAFT)
    [b for b in at.button if b.label == "Open voting"][0].click().run()
    assert page_room.store.round(rnd.id).state is RoundState.OPEN
    assert "0 of 0 have voted" in texts(at)
    page_room.vote(page_room.join("Ann"), rnd, page_room.card_ids(2))
    [b for b in at.button if b.label == "Close and reveal"][0].click().run()
    assert page_room.store.round(rnd.id).state is RoundState.REVEALED
    assert len(at.get("plotly_chart")) >= 1
    kinds = [e.kind for e in page_room.store.events(page_room.workshop.id, page_room.key)]
    assert kinds[:3] == ["round_reveal", "round_open", "round_created"]


def test_adding_a_team_and_a_refused_duplicate(page_room):
    at = unlocked(page_room)
    [t for t in at.text_input if t.label == "New team"][0].input("Business users")
    [b for b in at.button if b.label == "Add team"][0].click().run()
    assert [t.name for t in page_room.store.teams(page_room.workshop.id)][-1] == "Business users"
    [t for t in at.text_input if t.label == "New team"][0].input("business USERS")
    [b for b in at.button if b.label == "Add team"][0].click().run()
    assert "There is already a team called" in texts(at)
    assert len(page_room.store.teams(page_room.workshop.id)) == 3


def test_projector_with_a_wrong_code_asks_for_one(page_room):
    at = open_page("pages/projector.py", w="NOPE99")
    assert "No workshop has the join code 'NOPE99'" in texts(at)
    assert at.text_input[0].label == "Join code"


def upload_deck(room, content: bytes, name: str):
    at = unlocked(room, "decks")
    at.file_uploader[0].upload("own.csv", content, "text/csv")
    [t for t in at.text_input if t.label == "Deck name"][0].input(name)
    [b for b in at.button if b.label == "Load deck"][0].click().run()
    return at


def test_a_malformed_deck_upload_names_the_line_and_stores_nothing(page_room):
    at = upload_deck(page_room, b"id,type,theme,title,description\nx1,A,T,Good,D\nx2,Q,T,Bad type,D\n", "Broken")
    assert "Line 3: field 'type' is 'Q'" in texts(at)
    assert [d.name for d in page_room.store.decks()] == ["ABC worst practices"]


def test_a_good_deck_upload_becomes_a_choice_for_new_rounds(page_room):
    at = upload_deck(page_room, b"id,type,theme,title,description\nx1,A,T,First,D\nx2,C,T,Second,D\n", "Our own deck")
    uploader = at.file_uploader[0]
    assert uploader.label == "Deck file (CSV, at most 512 KB)", "the deck's own limit, not Streamlit's 200MB"
    assert uploader.proto.max_upload_size_mb == 1, "the browser refuses more than a megabyte before sending it"
    assert [d.name for d in page_room.store.decks()] == ["ABC worst practices", "Our own deck"]
    go_to(at, "rounds")
    deck_box = [s for s in at.selectbox if s.label == "Deck"][0]
    assert deck_box.options == ["ABC worst practices (60 cards)", "Our own deck (2 cards)"]


def test_a_server_key_in_secrets_guards_creation_and_unlocks_any_workshop(app_store, db_path):
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["facilitator_key"] = "room-key-2026"
    at.run()
    at.switch_page("../pages/facilitate.py")
    at.run()
    assert "Server facilitator key" in [t.label for t in at.text_input]
    at.text_input[0].input("Pilot")
    at.text_input[1].input("Acme IT")
    at.button[0].click().run()
    assert "asks for its facilitator key" in texts(at)
    assert app_store._value("SELECT count(*) FROM workshops") == 0
    next(t for t in at.text_input if t.label == "Server facilitator key").input("room-key-2026")
    at.button[0].click().run()
    assert len(dialogs(at)) == 1, "the new key, in its dialog"
    workshop = app_store.workshop_by_code(query_value(at, "w"))
    assert Store(db_path, server_key="room-key-2026").key_is_valid(workshop.id, "room-key-2026")
    assert not app_store.key_is_valid(workshop.id, "room-key-2026")  # without the server key configured, it is just a wrong key
