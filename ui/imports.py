"""Leads' access to the compare page, and importing past results (and undoing imports) from it.

Access: once the server has a facilitator key (ABC_FACILITATOR_KEY), the compare page and imports need it,
because they reach across every workshop and organisation. Without one, the server is open, as for
creating workshops, and the page says so.
"""

from __future__ import annotations

import hmac
from functools import partial

import pandas as pd
import streamlit as st

from abc_workshop import i18n
from abc_workshop.domain import Card, WorkshopError
from abc_workshop.i18n import N_, _, ngettext
from abc_workshop.import_batch import Decisions, ImportFileError, Questions, line_ranges
from abc_workshop.importer import MAX_FILE_BYTES, MAX_ROWS
from abc_workshop.store import Store
from ui.feedback import attempt, show_refusal
from ui.guard import count, refuse_while_waiting
from ui.text import plain, plain_label

# Each template by its name (marked for the catalogue; its button says it in the run's language), with its file. The
# files are the import format itself, so their headers and values stay as the importer reads them.
TEMPLATES = {  # not translated: import format (the files; their names are N_-marked)
    N_("Card picks per participant"): (
        "abc-import-picks.csv",
        (
            "organisation,workshop,date,country,team,perspective,question,participant,card,rank\n"
            "Acme IT,Paper workshop,2023-05-10,Netherlands,Service Desk,recognise,,P1,abc-02,1\n"
            "Acme IT,Paper workshop,2023-05-10,Netherlands,Service Desk,recognise,,P1,Not my responsibility,2\n"
            "Acme IT,Paper workshop,2023-05-10,Netherlands,Operations,recognise,,P2,abc-02,1\n"
        ),
    ),
    N_("Card counts per team"): (
        "abc-import-counts.csv",
        (
            "organisation,workshop,date,country,team,perspective,question,card,picks,participants,pick_limit\n"
            "Acme IT,Paper workshop 2,2022-11-02,Netherlands,Service Desk,users_would_pick,,abc-02,7,9,10\n"
            "Acme IT,Paper workshop 2,2022-11-02,Netherlands,Business users,users_pick,,abc-02,2,6,10\n"
        ),
    ),
    N_("Published ranking"): (
        "abc-import-ranking.csv",
        (
            "organisation,workshop,date,perspective,rank,card\n"
            "itSMF survey,Top 10 worst practices,2012,resistance,1,Not my responsibility\n"
            "itSMF survey,Top 10 worst practices,2012,resistance,2,Blame culture\n"
        ),
    ),
    N_("Statement answers"): (
        "abc-import-answers.csv",
        (
            "organisation,workshop,date,country,team,survey,statement,scale,answer,count\n"
            "Acme IT,Survey 2012,2012-06-01,Netherlands,,Customer focus,"
            "We are still not customer focused enough in IT,agree3,agree,89\n"
            "Acme IT,Survey 2012,2012-06-01,Netherlands,,Customer focus,"
            "We are still not customer focused enough in IT,agree3,disagree,11\n"
        ),
    ),
    N_("Teams' analyses"): (
        "abc-import-analyses.csv",
        (
            "organisation,workshop,date,team,perspective,card,heading,severity,scores,decision,reason,action,owner,due,status\n"
            "Acme IT,Paper workshop 3,2023-09-12,Service Desk,recognise,abc-02,value,4,3,,,,,,\n"
            "Acme IT,Paper workshop 3,2023-09-12,Service Desk,recognise,abc-02,risks,5,2,no,Customers leave,,,,\n"
            "Acme IT,Paper workshop 3,2023-09-12,Service Desk,recognise,abc-02,,,,,,Blameless reviews,Ann,2023-12-01,open\n"
        ),
    ),
    N_("Moments of truth"): (
        "abc-import-moments.csv",
        (
            "organisation,date,source,stage,positive,what_happened,customer_words,effort,business_unit,internal,deck,cards\n"
            "Acme IT,2024-03-05,scout,support,no,Waited 40 minutes on the phone for a password reset,"
            "I gave up and asked a colleague,4,Call centre,no,,abc-02; abc-06\n"
            "Acme IT,2024-03-07,feedback,finding,yes,The new portal showed the expenses form at once,,1,Finance,no,,\n"
        ),
    ),
}


def lead_access(store: Store) -> str | None:
    """The key to pass to imports ('' when the server has none), or None after drawing the form that asks for it."""
    if not store.server_key:
        st.caption(
            _(
                "This server has no facilitator key (ABC_FACILITATOR_KEY), so anyone who can open this page sees every "
                "workshop and may import. Set one on a shared server."
            )
        )
        return ""
    remembered = st.session_state.get("lead_key")
    if remembered and hmac.compare_digest(remembered, store.server_key):
        return remembered
    with st.form("lead-key"):
        st.write(_("Comparing workshops shows every organisation's results, so it needs this server's facilitator key."))
        typed = st.text_input(_("Server facilitator key"), type="password")
        if st.form_submit_button(_("Unlock"), type="primary") and not refuse_while_waiting("keys"):
            if hmac.compare_digest(typed.strip(), store.server_key):
                st.session_state["lead_key"] = typed.strip()
                st.rerun()
            count("keys")  # wrong server keys slow down as workshop keys do (ui/guard.py)
            st.error(_("That is not this server's facilitator key."))
    return None


PENDING = "pending-import"  # a checked file waiting for the lead's decisions: (file name, bytes, questions)
LEAVE_OUT = 0  # the choice "leave its lines out" among card ids
DATE_ORDERS = {"day/month/year": N_("day/month/year"), "month/day/year": N_("month/day/year")}


def import_view(store: Store, key: str) -> None:
    st.markdown(
        _(
            "Import past results — paper workshops, earlier surveys, published rankings, a workbook exported here — from a "
            "CSV file or the compare page's Excel workbook (.xlsx). Six shapes, told apart by the header: **card picks per "
            "participant** (optionally ranked), **card counts per team**, **published rankings** (rank and card; counts "
            "optional), **statement answers**, **teams' analyses** (severity scores, risk decisions, actions) and **moments "
            "of truth** (what scouts and the feedback channel recorded, for an organisation's outside-in programme). Titles "
            "are matched without typography; a title that still matches no card is asked about below, once. Each import "
            "creates its own workshops, and a later file may add to a workshop imported earlier what it does not hold yet "
            "(its statement answers, its teams' analyses); one bad line and nothing is imported; every import can be undone. "
            "At most {megabytes} MB and {rows} rows a file. The full format is in docs/import-format.md; the templates below "
            "are valid files to start from. Card ids are on the **Decks** page."
        ).format(megabytes=MAX_FILE_BYTES // 1024 // 1024, rows=i18n.number(MAX_ROWS))
    )
    for column, (name, (file_name, text)) in zip(st.columns(len(TEMPLATES)), TEMPLATES.items()):
        column.download_button(
            # Translators: a button that downloads an example import file, e.g. "Template: Card counts per team"
            _("Template: {name}").format(name=_(name)),
            text.encode("utf-8"),
            file_name=file_name,
            mime="text/csv",
            key=f"template-{file_name}",
        )
    pending = st.session_state.get(PENDING)
    if pending:
        _decide(store, key, *pending)
    else:
        with st.form("import-results", clear_on_submit=True):
            uploads = st.file_uploader(
                _("CSV file or workbook of past results (several files become one import)"),
                type=["csv", "xlsx"],
                accept_multiple_files=True,
                max_upload_size=MAX_FILE_BYTES // 1024 // 1024,
            )
            if st.form_submit_button(_("Check and import"), type="primary"):
                if not uploads:
                    st.error(_("Choose a file first."))
                else:
                    files = [(upload.name, upload.getvalue()) for upload in uploads]
                    _import(store, key, " + ".join(name for name, _data in files), files if len(files) > 1 else files[0][1])
    _history(store, key)


def _import(store: Store, key: str, name: str, data: bytes | list, decisions: Decisions | None = None) -> None:
    bar = st.progress(0.0, text=_("Checking {file}…").format(file=plain(name)))
    try:
        record = store.import_results(name, data, key, decisions, lambda f, text: bar.progress(min(1.0, f), text=text))
    except ImportFileError as refusal:
        bar.empty()
        if refusal.causes:
            st.session_state.pop(PENDING, None)
            _problems(refusal)
        else:
            st.session_state[PENDING] = (name, data, refusal.questions)
            st.rerun()
    except WorkshopError as refusal:
        bar.empty()
        st.session_state.pop(PENDING, None)
        show_refusal(refusal)
    else:
        bar.empty()
        st.session_state.pop(PENDING, None)
        # Translators: {summary} is what the import brought, e.g. "1 workshop, 1 round, 2 participants' ballots, 2 picks"
        message = _("Import #{id} from {file}: {summary}.")
        st.success(message.format(id=record.id, file=plain(record.file_name), summary=plain(record.summary)))


def _problems(refusal: ImportFileError) -> None:
    causes = refusal.causes
    st.error(
        ngettext(
            "Nothing was imported: the file has {n} problem. Fix it and import the whole file again.",
            "Nothing was imported: the file has {n} problems. Fix them and import the whole file again.",
            len(causes),
        ).format(n=i18n.number(len(causes)))
    )
    rows = [
        (f"{cause.where}{line_ranges(list(cause.lines))}" if cause.lines else _("whole file"), cause.message) for cause in causes
    ]
    # Translators: column headers of the table of an import file's problems
    columns = [_("lines"), _("problem")]
    st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True, width="stretch")


def _decide(store: Store, key: str, name: str, data: bytes | list, questions: Questions) -> None:
    """One decision per distinct title (and one about the order of day and month), then the import runs with them."""
    st.subheader(_("{file}: your decisions").format(file=plain(name)))
    st.write(
        _(
            "The rest of the file is fine. Nothing is imported until you confirm: each title below matches no card of its "
            "deck even without typography, so choose the card it means (nearest first). Your choices are remembered for the "
            "next file from the same source."
        )
    )
    titles = {deck.id: {card.id: card for card in store.cards(deck.id)} for deck in store.decks()}
    with st.form("import-decisions"):
        chosen: dict[tuple[int, str], int | None] = {}
        for number, unmatched in enumerate(questions.unmatched):
            cards = titles.get(unmatched.deck_id, {})
            options = [*unmatched.suggestions, *(c for c in cards if c not in unmatched.suggestions), LEAVE_OUT]
            lines = line_ranges(unmatched.lines)
            means = ngettext("“{title}” (line {lines}) means", "“{title}” (lines {lines}) means", len(unmatched.lines))
            choice = st.selectbox(
                means.format(title=plain_label(unmatched.title), lines=lines),
                options,
                index=0 if unmatched.suggestions else len(options) - 1,  # nothing near: leaving it out is the safe default
                format_func=partial(_choice_label, cards),
                key=f"decide-{number}",
            )
            chosen[(unmatched.deck_id, unmatched.key)] = None if choice == LEAVE_OUT else choice
        day_first = None
        if questions.ambiguous_dates:
            order = st.radio(
                _("Dates such as {date} mean").format(date=questions.ambiguous_dates[0]),
                list(DATE_ORDERS),
                format_func=lambda o: _(DATE_ORDERS[o]),
                horizontal=True,
                key="decide-date-order",
            )
            day_first = order == "day/month/year"
        confirm, cancel = st.columns([3, 1])
        go = confirm.form_submit_button(
            ngettext("Confirm {n} mapping and import", "Confirm {n} mappings and import", len(chosen)).format(n=len(chosen))
            if chosen
            else _("Confirm and import"),
            type="primary",
        )
        stop = cancel.form_submit_button(_("Cancel this import"))
    if stop:
        st.session_state.pop(PENDING, None)
        st.rerun()
    if go:
        _import(store, key, name, data, Decisions(cards=chosen, day_first=day_first))


def _choice_label(cards: dict[int, Card], c: int) -> str:
    """A choice for an unmatched title in _decide, bound to its deck's cards (Streamlit keeps format_func for later reruns)."""
    return _("Leave its lines out") if c == LEAVE_OUT else f"{cards[c].key} · {cards[c].title}"


def _history(store: Store, key: str) -> None:
    records = store.imports()
    if not records:
        return
    st.subheader(_("Imports so far"))
    for record in records:
        text, action = st.columns([5, 1])
        if record.undone_at:
            status = _("undone {when}").format(when=record.undone_at)
        elif record.undoing:
            status = _("being undone now: its results no longer count")
        else:
            status = _("imported {when}").format(when=record.imported_at)
        text.markdown(f"**#{record.id}** · {plain(record.file_name)} · {plain(record.summary)} · {status}")
        if not record.undone_at and not record.undoing:
            with action.popover(_("Undo…")):
                st.write(
                    _(
                        "Remove everything import #{id} brought ({summary}), and anything recorded since about its workshops. "
                        "The record of the import stays."
                    ).format(id=record.id, summary=plain(record.summary))
                )
                typed = key
                if not key and store.doors_need_key():  # a server without its own key: a workshop's key opens this door
                    typed = st.text_input(
                        _("Your facilitator key (of a workshop you run here)"), type="password", key=f"undo-key-{record.id}"
                    )
                if st.button(_("Undo this import"), key=f"undo-{record.id}", type="primary"):
                    _undo(store, typed, record.id)


def _undo(store: Store, key: str, import_id: int) -> None:
    bar = st.progress(0.0, text=_("Undoing import #{id}…").format(id=import_id))
    done = attempt(
        lambda: store.undo_import(import_id, key, lambda f, text: bar.progress(min(1.0, f), text=text)),
        success=_("Import #{id} undone").format(id=import_id),
    )
    bar.empty()
    if done:
        st.rerun()
