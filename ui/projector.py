"""The projector's views: the live round (how to join, who has voted, never what anyone picked; the result
once revealed), a projected poll, the iceberg, a team's summary and the earlier actions. What is up is the
server's choice (Store.projector_now); the views are HTML from abc_workshop/projector_html.py and
projector_text.py, styled by ui/projector.css, so nothing heavy is fetched before the first reveal."""

from __future__ import annotations

import base64
from pathlib import Path

import streamlit as st

from abc_workshop import compare, projector_html, projector_text
from abc_workshop.domain import Round, RoundState, Workshop
from abc_workshop.i18n import _, ngettext
from abc_workshop.projector import ProjectorNow, perspective_shown
from abc_workshop.qr import qr_png
from abc_workshop.store import Store
from ui.language import in_language
from ui.links import join_url
from ui.live import live_joined, live_progress
from ui.outside_in_projector import evidence_view
from ui.polls import answered_count
from ui.results import round_result

STYLE = f"<style>{(Path(__file__).with_name('projector.css')).read_text()}</style>"
esc = projector_html.esc


def html(markup: str) -> None:
    st.markdown(markup, unsafe_allow_html=True)


def join_panel(workshop: Workshop) -> None:
    """The QR code (with the link as its text alternative), the join code and the link."""
    link = join_url(workshop.join_code)
    image = base64.b64encode(qr_png(link)).decode()
    alt = esc(_("QR code to join the workshop: {link}").format(link=link))
    code = esc(_("Join code"))
    join_at = _("Join at <b>{link}</b>").format(link=esc(link))
    html(
        f"<div class='pj pj-join'><img class='pj-qr' src='data:image/png;base64,{image}' alt='{alt}'>"
        f"<div class='join-code' aria-label='{code}'>{esc(workshop.join_code)}</div>"
        f"<div class='pj-join-url'>{join_at}</div></div>"
    )


def joined_count(store: Store, workshop_id: int) -> None:
    """'N joined', drawn in the browser from the event stream (joining does not move the workshop's version)."""
    if not live_joined(store, store.workshop(workshop_id)):
        _polled_joined(store, workshop_id)


@st.fragment(run_every=2)
@in_language
def _polled_joined(store: Store, workshop_id: int) -> None:
    joined = store.joined_count(workshop_id)
    # Translators: how many people have joined the workshop, on the projector
    line = ngettext("{n} joined", "{n} joined", joined).format(n=joined)
    html(f"<div class='pj'><div class='pj-joined'>{line}</div></div>")


def live_round(store: Store, workshop: Workshop, current: Round | None, version: int) -> None:
    """How to join and who has voted; the question once a round is open."""
    text, qr = st.columns([3, 2], gap="large")
    with text:
        if current is None or current.state is RoundState.DRAFT:
            if current is None:
                soon = _("Join now: the first round starts soon")
            else:
                soon = _("Round {n} starts soon").format(n=current.position)
            html(f"<div class='pj'>{projector_html.head(esc(workshop.title))}<div class='pj-question'>{esc(soon)}</div></div>")
            joined_count(store, workshop.id)
        else:
            closed = ""
            if current.state is RoundState.CLOSED:
                closed = "<div class='pj-question'>" + _("Voting has closed: the result is coming up") + "</div>"
            # Translators: under the workshop's title on the projector: "Pilot · round 2"
            which = _("{title} · round {n}").format(title=esc(workshop.title), n=current.position)
            limit = current.pick_limit
            # Translators: after the round's perspective, in italics: "… · pick up to 10 cards"
            pick = ngettext("pick up to {n} card", "pick up to {n} cards", limit).format(n=limit)
            html(
                f"<div class='pj'><div class='pj-sub'>{which}</div>"
                f"<div class='pj-question'>{esc(current.question)}</div>"
                f"<div class='pj-sub'><i>{esc(perspective_shown(current))}</i> · {pick}</div>{closed}</div>"
            )
            joined_count(store, workshop.id)
            live_progress(store, current, version, big=True)
    with qr:
        join_panel(workshop)


def revealed_round(store: Store, workshop: Workshop, current: Round, version: int, page: int) -> None:
    result = round_result(store, current.id, version)
    voters = result.overall.ballots
    title = _("Round {n}: {question}").format(n=current.position, question=esc(current.question))
    if not voters:
        nobody = _("Nobody voted in this round.")
        html(f"<div class='pj'>{projector_html.head(title)}<div class='pj-question'>{nobody}</div></div>")
    elif page:
        html(projector_html.result_teams(title, list(result.teams), page))
    else:
        join = _("join with code <b>{code}</b>").format(code=esc(workshop.join_code))
        subtitle = f"<i>{esc(perspective_shown(current))}</i> · {join}"
        html(projector_html.result_overall(title, subtitle, result.overall.top(projector_html.TOP_CARDS), voters))


def iceberg(store: Store, round_id: int | None) -> None:
    if round_id is None:
        html("<div class='pj'><div class='pj-question'>" + _("The iceberg appears once a round is revealed.") + "</div></div>")
        return
    rnd = store.round(round_id)
    title = _("The iceberg · round {n}").format(n=rnd.position)
    html(projector_html.iceberg(title, esc(rnd.question), store.iceberg(round_id)))


def team_summary(store: Store, round_id: int | None, team_id: int | None) -> None:
    if round_id is None or team_id is None:
        later = _("Team summaries appear once a round is revealed and there are teams.")
        html(f"<div class='pj'><div class='pj-question'>{later}</div></div>")
        return
    rnd = store.round(round_id)
    team = next(t for t in store.teams(rnd.workshop_id) if t.id == team_id)
    store.ensure_shortlist(round_id, team_id)  # the team's top cards from its votes, if nobody has looked yet
    topics = store.team_topics(round_id, team_id)
    html(projector_text.team_summary(team.name, _("Round {n}: {question}").format(n=rnd.position, question=rnd.question), topics))


def action_review(store: Store, workshop: Workshop) -> None:
    html(projector_text.action_review(workshop.organisation, store.actions_to_review(workshop.id)))


def poll(store: Store, workshop: Workshop, poll_id: int) -> None:
    shown = store.poll(poll_id)
    if shown.state is RoundState.REVEALED:
        table = compare.agreement(store.poll_results(shown.id)).sort_values("grp")
        answered = store.poll_respondents(shown.id)
        # Translators: under a poll's title on the projector: "Agree / partly / disagree · 12 answered"
        subtitle = ngettext("{scale} · {n} answered", "{scale} · {n} answered", answered).format(
            scale=esc(shown.scale.label), n=answered
        )
        if table.empty:
            nobody = _("Nobody answered this poll.")
            html(
                f"<div class='pj'>{projector_html.head(esc(shown.title), subtitle)}<div class='pj-question'>{nobody}</div></div>"
            )
        else:
            html(projector_text.poll_result(shown.title, subtitle, table, compare.is_small))
        return
    text, qr = st.columns([3, 2], gap="large")
    with text:
        html(projector_text.poll_statements(shown.title, shown.scale.label, [s.text for s in shown.statements]))
        if shown.state is RoundState.OPEN:
            answered_count(store, workshop, shown.id, big=True)
        else:
            html("<div class='pj'><div class='pj-question'>" + _("Answers have closed: the result is coming up") + "</div></div>")
    with qr:
        join_panel(workshop)


def chosen(store: Store, workshop: Workshop, now: ProjectorNow, version: int) -> None:
    """Every view but the join screen."""
    if now.kind == "result" and now.round_id is not None:  # a result always names its round (abc_workshop/projector.py)
        revealed_round(store, workshop, store.round(now.round_id), version, now.page)
    elif now.kind == "poll" and now.poll_id is not None:  # and a poll its poll
        poll(store, workshop, now.poll_id)
    elif now.kind == "iceberg":
        iceberg(store, now.round_id)
    elif now.kind == "summary":
        team_summary(store, now.round_id, now.team_id)
    elif now.kind == "evidence":
        evidence_view(store, workshop, now.card_id)
    else:
        action_review(store, workshop)
