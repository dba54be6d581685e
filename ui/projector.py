"""The projector's views, chosen by the facilitator: the live round, the iceberg, a team's summary,
and the review of earlier actions. Big type, no controls, nothing anyone picked before reveal."""

from __future__ import annotations

import streamlit as st

from abc_workshop import charts
from abc_workshop.analysis import HEADINGS, severity_rows
from abc_workshop.domain import Round, RoundState, Workshop
from abc_workshop.qr import qr_png
from abc_workshop.store import Store
from ui.links import join_url
from ui.live import live_progress
from ui.results import round_result
from ui.text import plain

STYLE = """<style>
header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1.5rem; max-width: 100%;}
.stMarkdown p, .stMarkdown li {font-size: 1.6rem;}
.join-code {font-size: 4.5rem; font-weight: 800; letter-spacing: 0.3rem; line-height: 1.1;}
.big-progress {font-size: 2.6rem; font-weight: 700;}
[data-testid="stMetricValue"] {font-size: 2.6rem;}
[data-testid="stMetricLabel"] p {font-size: 1.4rem;}
</style>"""


def join_panel(workshop: Workshop) -> None:
    link = join_url(workshop.join_code)
    st.image(qr_png(link), width=420)
    st.markdown(f"<div class='join-code'>{workshop.join_code}</div>", unsafe_allow_html=True)
    st.markdown(f"Join at **{plain(link)}**")


def live_round(store: Store, workshop: Workshop, current: Round | None, version: int) -> None:
    """How to join and who has voted; the question once a round is open."""
    text, qr = st.columns([3, 2], gap="large")
    with text:
        st.title(plain(workshop.title))
        if current is None or current.state is RoundState.DRAFT:
            st.header("Join now: the first round starts soon" if current is None else f"Round {current.position} starts soon")
        else:
            st.header(plain(current.question))
            st.markdown(f"*{plain(current.perspective_text)}* · pick up to {current.pick_limit} cards")
            if current.state is RoundState.CLOSED:
                st.subheader("🔒 Voting has closed — the result is coming up")
            live_progress(store, current, version, big=True)
    with qr:
        join_panel(workshop)


def revealed_round(store: Store, workshop: Workshop, current: Round, version: int) -> None:
    result = round_result(store, current.id, version)
    voters = result.overall.ballots
    st.title(f"Round {current.position}: {plain(current.question)}")
    st.markdown(f"*{plain(current.perspective_text)}* · {voters} participant{'s' if voters != 1 else ''} voted · join with code **{workshop.join_code}**")
    if not voters:
        st.header("Nobody voted in this round.")
        return
    st.plotly_chart(charts.top_cards_bar(result.overall.top(10), voters, "Everyone"), key="overall", theme=None)
    voted = [team for team in result.teams if team.ballots]
    per_row = 3 if len(voted) % 3 == 0 else 2
    for start in range(0, len(voted), per_row):
        for column, team in zip(st.columns(per_row), voted[start : start + per_row]):
            with column:
                st.plotly_chart(charts.top_cards_bar(team.top(5), team.ballots, team.name, font_size=15), key=f"team-{team.name}", theme=None)


def iceberg(store: Store, round_id: int | None) -> None:
    if round_id is None:
        st.header("The iceberg appears once a round is revealed.")
        return
    rnd = store.round(round_id)
    st.title(f"The iceberg · round {rnd.position}")
    st.markdown(f"*{plain(rnd.question)}*")
    st.plotly_chart(charts.iceberg(store.iceberg(round_id)), key="iceberg", theme=None)


def team_summary(store: Store, workshop: Workshop, round_id: int | None, team_id: int | None) -> None:
    teams = {t.id: t for t in store.teams(workshop.id)}
    if round_id is None or team_id not in teams:
        st.header("Team summaries appear once a round is revealed.")
        return
    for team in teams.values():
        store.ensure_shortlist(round_id, team.id)
    topics = store.round_topics(round_id)
    team = teams[team_id]
    st.title(f"{plain(team.name)} · our top cards")
    mine = [t for t in topics if t.team_id == team_id]
    if not mine:
        st.header("This team has no shortlist yet.")
    for topic in mine:
        with st.container(border=True):
            st.subheader(plain(topic.card_title))
            severities = " · ".join(f"{label} {topic.severities[h].median or '–'}" for h, label in HEADINGS.items())
            decision = topic.decision.label if topic.decision else "not decided yet"
            st.markdown(f"Severity (median of 1–5): {severities}  \n**Acceptable business risk?** {decision}"
                        + (f" — {plain(topic.decision_reason)}" if topic.decision_reason else ""))
            behaviours = [b for b in topic.behaviours if not b.hidden]
            if behaviours:
                st.markdown("  \n".join(f"“{plain(b.statement)}”" for b in behaviours))
            if topic.actions:
                st.markdown("  \n".join(f"☐ {plain(a.what)} — {plain(a.owner)}" + (f" by {a.due_on}" if a.due_on else "") + f" ({a.status.value})"
                                        for a in topic.actions))
    if topics:
        st.subheader("Severity across teams")
        st.plotly_chart(charts.severity_heatmap(severity_rows(topics)), key="heatmap", theme=None)


def action_review(store: Store, workshop: Workshop) -> None:
    rows = store.actions_to_review(workshop.id)
    st.title(f"What we promised last time · {plain(workshop.organisation)}")
    if not rows:
        st.header("No actions from earlier workshops.")
        return
    marks = {"open": "☐", "done": "☑", "dropped": "✗"}
    st.markdown("  \n".join(
        f"{marks[r['status']]} **{plain(r['what'])}** — {plain(r['owner'])} ({plain(r['team_name'])}, {plain(r['workshop_title'])})" for r in rows
    ))
