"""The facilitator's side of the after-vote work: the projector's view, every team's analysis,
the accountability review of earlier actions, and the report downloads."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from abc_workshop import report, report_pdf
from abc_workshop.analysis import ActionStatus
from abc_workshop.domain import Workshop
from abc_workshop.store import Store
from ui import team as team_panels
from ui.feedback import attempt
from ui.text import plain, plain_label

VIEWS = {"round": "Round result", "iceberg": "Iceberg", "summary": "Team summary", "review": "Earlier actions"}


def projector_controls(store: Store, workshop: Workshop, key: str) -> None:
    """The projector shows whatever is chosen here, so the facilitator can step through teams in plenary."""
    view = store.projector_view(workshop.id)
    teams = store.teams(workshop.id)
    choice = st.segmented_control("Projector shows", list(VIEWS), default=view["mode"], format_func=VIEWS.get, key=f"view-{view['mode']}")
    analysed = getattr(st.session_state.get("analysis-round"), "id", None)  # the round chosen under "Teams' analysis"
    if choice and choice != view["mode"]:
        details = {"team_id": teams[0].id} if choice == "summary" and teams else {}
        if choice in ("iceberg", "summary"):
            details["round_id"] = analysed
        attempt(lambda: store.set_projector_view(workshop.id, key, choice, **details), rerun=True)
    if view["mode"] == "summary" and teams:
        ids = [t.id for t in teams]
        at = ids.index(view["team_id"]) if view.get("team_id") in ids else 0
        back, name, forward = st.columns([1, 3, 1])
        name.markdown(f"Showing **{plain(teams[at].name)}** ({at + 1} of {len(teams)})")
        if back.button("◀ Previous team", disabled=at == 0):
            attempt(lambda: store.set_projector_view(workshop.id, key, "summary", team_id=ids[at - 1], round_id=analysed), rerun=True)
        if forward.button("Next team ▶", disabled=at == len(ids) - 1):
            attempt(lambda: store.set_projector_view(workshop.id, key, "summary", team_id=ids[at + 1], round_id=analysed), rerun=True)


def report_downloads(store: Store, workshop: Workshop, key: str) -> None:
    """Built on click, from everything recorded so far: usable at any moment, not only at the end."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", workshop.title).strip("-").lower() or "workshop"
    pdf_column, html_column, excel_column = st.columns(3)
    pdf_column.download_button(
        "Report (PDF)", lambda: report_pdf.pdf(report.gather(store, workshop.id, key)),
        file_name=f"{stem}-report.pdf", mime="application/pdf", icon="📕", on_click="ignore",
    )
    html_column.download_button(
        "Report (HTML)", lambda: report.html(report.gather(store, workshop.id, key)),
        file_name=f"{stem}-report.html", mime="text/html", icon="📄", on_click="ignore",
    )
    excel_column.download_button(
        "Workbook (Excel)", lambda: report.workbook(report.gather(store, workshop.id, key)),
        file_name=f"{stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon="📊", on_click="ignore",
    )


def teams_analysis(store: Store, workshop: Workshop, key: str) -> None:
    rounds = [store.round(round_id) for round_id in store.revealed_rounds(workshop.id)]
    if not rounds:
        st.info("Teams analyse their top cards once a round is revealed.")
        return
    chosen = st.selectbox("Round", rounds, index=len(rounds) - 1, format_func=lambda r: f"Round {r.position}: {r.question}", key="analysis-round")
    cards = store.cards(chosen.deck_id)
    for team in store.teams(workshop.id):
        store.ensure_shortlist(chosen.id, team.id)
        topics = store.team_topics(chosen.id, team.id)
        with st.expander(f"{plain_label(team.name)} · {len(topics)} card(s) on the shortlist"):
            team_panels.shortlist_editor(store, workshop.id, chosen.id, team.id, topics, cards, key=key)
            history = store.shortlist_history(workshop.id, chosen.id, team.id)
            if history:
                st.dataframe(pd.DataFrame(history), hide_index=True, width="stretch")
            if topics:
                tabs = st.tabs([t.card_title for t in topics], key=f"fac-topics-{chosen.id}-{team.id}")
                for tab, topic in zip(tabs, topics):
                    with tab:
                        team_panels.topic_panel(store, workshop.id, topic, key=key)


def action_review(store: Store, workshop: Workshop, key: str) -> None:
    """Hold each other accountable: open actions from earlier workshops of the same organisation."""
    rows = store.actions_to_review(workshop.id)
    if not rows:
        st.caption(f"No actions from earlier workshops of {plain(workshop.organisation)}.")
        return
    for row in rows:
        text, status = st.columns([4, 1])
        due = f" · due {row['due_on']}" if row["due_on"] else ""
        text.markdown(f"**{plain(row['what'])}** — {plain(row['owner'])}{due}  \n:gray[{plain(row['workshop_title'])} · {plain(row['team_name'])} · {plain(row['card_title'])}]")
        options = list(ActionStatus)
        chosen = status.selectbox("Status", options, index=options.index(ActionStatus(row["status"])), format_func=lambda s: s.value,
                                  key=f"review-{row['id']}-{row['status']}", label_visibility="collapsed")
        if chosen.value != row["status"]:
            attempt(lambda: store.set_action_status(workshop.id, row["id"], chosen, key=key), rerun=True)
