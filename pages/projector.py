"""Projector page: big type for the back of the room. While a round is open it shows how to join and who has
voted, never what anyone picked; once revealed it shows the top cards overall and per team."""

import streamlit as st

from abc_workshop import charts
from abc_workshop.domain import RoundState
from abc_workshop.qr import qr_png
from ui.forms import workshop_from_url
from ui.links import join_url
from ui.live import follow, live_progress
from ui.results import round_result
from ui.store import get_store
from ui.text import plain

st.markdown(
    """<style>
    header[data-testid="stHeader"] {display: none;}
    .block-container {padding-top: 1.5rem; max-width: 100%;}
    .stMarkdown p, .stMarkdown li {font-size: 1.6rem;}
    .join-code {font-size: 4.5rem; font-weight: 800; letter-spacing: 0.3rem; line-height: 1.1;}
    .big-progress {font-size: 2.6rem; font-weight: 700;}
    [data-testid="stMetricValue"] {font-size: 2.6rem;}
    [data-testid="stMetricLabel"] p {font-size: 1.4rem;}
    </style>""",
    unsafe_allow_html=True,
)

store = get_store()
workshop = workshop_from_url(store, "projector-code")
if workshop is None:
    st.stop()
version = store.version(workshop.id)
current = store.current_round(workshop.id)
link = join_url(workshop.join_code)


def join_panel() -> None:
    st.image(qr_png(link), width=420)
    st.markdown(f"<div class='join-code'>{workshop.join_code}</div>", unsafe_allow_html=True)
    st.markdown(f"Join at **{plain(link)}**")


if current is None or current.state is not RoundState.REVEALED:
    text, qr = st.columns([3, 2], gap="large")
    with text:
        st.title(plain(workshop.title))
        if current is None or current.state is RoundState.DRAFT:
            st.header("Join now: the first round starts soon" if current is None else f"Round {current.position} starts soon")
            follow(lambda: store.version(workshop.id), version)
        else:
            st.header(plain(current.question))
            st.markdown(f"*{plain(current.perspective_text)}* · pick up to {current.pick_limit} cards")
            if current.state is RoundState.CLOSED:
                st.subheader("🔒 Voting has closed — the result is coming up")
            live_progress(store, current, version, big=True)
    with qr:
        join_panel()
else:
    result = round_result(store, current.id, version)
    voters = result.overall.ballots
    st.title(f"Round {current.position}: {plain(current.question)}")
    st.markdown(
        f"*{plain(current.perspective_text)}* · {voters} participant{'s' if voters != 1 else ''} voted"
        f" · join with code **{workshop.join_code}**"
    )
    follow(lambda: store.version(workshop.id), version)
    if result.overall.ballots:
        st.plotly_chart(charts.top_cards_bar(result.overall.top(10), result.overall.ballots, "Everyone"), key="overall", theme=None)
        voted = [team for team in result.teams if team.ballots]
        for start in range(0, len(voted), 2):
            for column, team in zip(st.columns(2), voted[start : start + 2]):
                with column:
                    st.plotly_chart(charts.top_cards_bar(team.top(5), team.ballots, team.name, font_size=15), key=f"team-{team.name}", theme=None)
    else:
        st.header("Nobody voted in this round.")
