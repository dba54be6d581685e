"""Leads' access to the compare page, and importing past results (and undoing imports) from it.

Access: once the server has a facilitator key (ABC_FACILITATOR_KEY), the compare page and imports need it,
because they reach across every workshop and organisation. Without one, the server is open, as for
creating workshops, and the page says so.
"""

from __future__ import annotations

import hmac
import re

import pandas as pd
import streamlit as st

from abc_workshop.domain import WorkshopError
from abc_workshop.importer import MAX_FILE_BYTES, MAX_ROWS, ImportFileError
from abc_workshop.store import Store
from ui.feedback import attempt, show_refusal
from ui.text import plain

TEMPLATES = {
    "Card picks per participant": (
        "abc-import-picks.csv",
        "organisation,workshop,date,country,team,perspective,question,participant,card,rank\n"
        "Acme IT,Paper workshop,2023-05-10,Netherlands,Service Desk,recognise,,P1,abc-02,1\n"
        "Acme IT,Paper workshop,2023-05-10,Netherlands,Service Desk,recognise,,P1,Not my responsibility,2\n"
        "Acme IT,Paper workshop,2023-05-10,Netherlands,Operations,recognise,,P2,abc-02,1\n",
    ),
    "Card counts per team": (
        "abc-import-counts.csv",
        "organisation,workshop,date,country,team,perspective,question,card,picks,participants,pick_limit\n"
        "Acme IT,Paper workshop 2,2022-11-02,Netherlands,Service Desk,users_would_pick,,abc-02,7,9,10\n"
        "Acme IT,Paper workshop 2,2022-11-02,Netherlands,Business users,users_pick,,abc-02,2,6,10\n",
    ),
    "Statement answers": (
        "abc-import-answers.csv",
        "organisation,workshop,date,country,team,survey,statement,scale,answer,count\n"
        "Acme IT,Survey 2012,2012-06-01,Netherlands,,Customer focus,We are still not customer focused enough in IT,agree3,agree,89\n"
        "Acme IT,Survey 2012,2012-06-01,Netherlands,,Customer focus,We are still not customer focused enough in IT,agree3,disagree,11\n",
    ),
}
_LINE = re.compile(r"^Line (\d+): (.*)$")


def lead_access(store: Store) -> str | None:
    """The key to pass to imports ('' when the server has none), or None after drawing the form that asks for it."""
    if not store.server_key:
        st.caption(
            "This server has no facilitator key (ABC_FACILITATOR_KEY), so anyone who can open this page sees every "
            "workshop and may import. Set one on a shared server."
        )
        return ""
    remembered = st.session_state.get("lead_key")
    if remembered and hmac.compare_digest(remembered, store.server_key):
        return remembered
    with st.form("lead-key"):
        st.write("Comparing workshops shows every organisation's results, so it needs this server's facilitator key.")
        typed = st.text_input("Server facilitator key", type="password")
        if st.form_submit_button("Unlock", type="primary"):
            if hmac.compare_digest(typed.strip(), store.server_key):
                st.session_state["lead_key"] = typed.strip()
                st.rerun()
            st.error("That is not this server's facilitator key.")
    return None


def import_view(store: Store, key: str) -> None:
    st.markdown(
        "Import past results — paper workshops, earlier surveys — from a CSV file (UTF-8, a header row first). Three shapes, told "
        "apart by the header: **card picks per participant** (optionally ranked), **card counts per team**, and **statement answers**. "
        "Each import creates its own workshops; one bad line and nothing is imported; every import can be undone. At most "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB and {MAX_ROWS:,} rows a file. "
        "The full format is in docs/import-format.md; the templates below are valid files to start from."
    )
    for column, (name, (file_name, text)) in zip(st.columns(len(TEMPLATES)), TEMPLATES.items()):
        column.download_button(
            f"Template: {name}", text.encode("utf-8"), file_name=file_name, mime="text/csv", key=f"template-{file_name}"
        )
    with st.form("import-results", clear_on_submit=True):
        upload = st.file_uploader("CSV file of past results", type=["csv"])
        if st.form_submit_button("Check and import", type="primary"):
            if upload is None:
                st.error("Choose a file first.")
            else:
                _import(store, key, upload.name, upload.getvalue())
    _history(store, key)


def _import(store: Store, key: str, name: str, data: bytes) -> None:
    try:
        record = store.import_results(name, data, key)
    except ImportFileError as refusal:
        st.error(
            f"Nothing was imported: the file has {len(refusal.problems)} problem{'s' if len(refusal.problems) != 1 else ''}. "
            "Fix them and import the whole file again."
        )
        rows = [(int(m[1]), m[2]) if (m := _LINE.match(p)) else (None, p) for p in refusal.problems]
        st.dataframe(pd.DataFrame(rows, columns=["line", "problem"]), hide_index=True, width="stretch")
    except WorkshopError as refusal:
        show_refusal(refusal)
    else:
        st.success(f"Import #{record.id} from {plain(record.file_name)}: {record.summary}.")


def _history(store: Store, key: str) -> None:
    records = store.imports()
    if not records:
        return
    st.subheader("Imports so far")
    for record in records:
        text, action = st.columns([5, 1])
        status = f"undone {record.undone_at}" if record.undone_at else f"imported {record.imported_at}"
        text.markdown(f"**#{record.id}** · {plain(record.file_name)} · {plain(record.summary)} · {status}")
        if not record.undone_at:
            with action.popover("Undo…"):
                st.write(
                    f"Remove everything import #{record.id} brought ({plain(record.summary)}), and anything recorded since about "
                    "its workshops. The record of the import stays."
                )
                if st.button("Undo this import", key=f"undo-{record.id}", type="primary"):
                    attempt(lambda: store.undo_import(record.id, key), success=f"Import #{record.id} undone", rerun=True)
