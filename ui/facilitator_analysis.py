"""The facilitator's side of the after-vote work: the projector's view, one team's analysis at a time, and
the accountability review of earlier actions. The report downloads are in ui/downloads.py."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from abc_workshop.analysis import ActionStatus
from abc_workshop.domain import Workshop, WorkshopError
from abc_workshop.i18n import N_, _, ngettext
from abc_workshop.store import Store
from ui import team as team_panels
from ui.feedback import attempt
from ui.language import restore
from ui.store import deck_cards
from ui.text import plain, plain_label

# The view that is up is a disabled button, which Streamlit draws faded as if unavailable: drawn as chosen instead.
CHOSEN_VIEW_STYLE = """<style>
.st-key-projector-views button:disabled {opacity: 1; cursor: default;
  background-color: #a61b1b !important; border-color: #a61b1b !important; color: #fff !important;}
.st-key-projector-views button:disabled p {color: #fff !important;}
</style>"""
VIEWS = {
    "round": N_("Round result"),
    "iceberg": N_("Iceberg"),
    "summary": N_("Team summary"),
    "review": N_("Earlier actions"),
    "evidence": N_("Card evidence"),
}
ANALYSIS_TEAM = "analysis-team"
HISTORY_SHOWN = 200  # shortlist changes listed at most


def followed_team(store: Store, workshop: Workshop, shown: bool) -> tuple[str, ...]:
    """The live topic of the team whose workspace the page shows (see teams_analysis), when it shows one."""
    if not shown:
        return ()
    team_id = st.session_state.get(ANALYSIS_TEAM)
    if team_id is None:
        teams = store.teams(workshop.id)
        team_id = teams[0].id if teams else None
    return (f"team:{team_id}",) if team_id is not None else ()


def projector_controls(store: Store, workshop: Workshop, key: str) -> None:
    """The projector shows whatever is chosen here, so the facilitator can step through teams in plenary.

    One button per view, the one showing drawn as chosen. Buttons, not a segmented control: a value
    widget's on_change also fires when a page drawn before a change asks for a rerun (its old value then
    differs from the one set from the database), which put the projector back on the view it had just left.
    A click is sent once, so a stale page cannot replay it.
    """
    view = store.projector_view(workshop.id)
    teams = store.teams(workshop.id)
    st.markdown("**" + _("Projector shows") + "**")
    st.html(CHOSEN_VIEW_STYLE)
    row = st.container(horizontal=True, key="projector-views")
    for mode, label in VIEWS.items():
        showing = view["mode"] == mode
        row.button(
            f"✓ {_(label)}" if showing else _(label),  # a disabled button looks unavailable: the tick says it is the one up
            key=f"projector-view-{mode}",
            type="primary" if showing else "secondary",
            disabled=showing,
            on_click=_project_view,
            args=(store, workshop.id, key, mode, [t.id for t in teams]),
        )
    _show_refusal_from_callback()
    if view["mode"] == "summary" and teams:
        ids = [t.id for t in teams]
        at = ids.index(view["team_id"]) if view.get("team_id") in ids else 0
        back, name, forward = st.columns([1, 3, 1])
        name.markdown(
            _("Showing **{team}** ({position} of {count})").format(team=plain(teams[at].name), position=at + 1, count=len(teams))
        )
        back.button(
            "◀ " + _("Previous team"),
            disabled=at == 0,
            on_click=_project_team,
            args=(store, workshop.id, key, ids[at - 1]),
        )
        forward.button(
            _("Next team") + " ▶",
            disabled=at == len(ids) - 1,
            on_click=_project_team,
            args=(store, workshop.id, key, ids[min(at + 1, len(ids) - 1)]),
        )


def _analysed_round() -> int | None:
    """The round chosen under "Teams' analysis": the iceberg and the summaries show that one."""
    return getattr(st.session_state.get("analysis-round"), "id", None)


def _project_view(store: Store, workshop_id: int, key: str, mode: str, team_ids: list[int]) -> None:
    details: dict = {"team_id": team_ids[0]} if mode == "summary" and team_ids else {}
    if mode in ("iceberg", "summary"):
        details["round_id"] = _analysed_round()
    _run_in_callback(lambda: store.set_projector_view(workshop_id, key, mode, **details))
    if details.get("team_id"):
        st.session_state[ANALYSIS_TEAM] = team_ids[0]


def _project_team(store: Store, workshop_id: int, key: str, team_id: int) -> None:
    """Step the projector to a team; the facilitator's own team panel below follows it."""
    if _run_in_callback(
        lambda: store.set_projector_view(workshop_id, key, "summary", team_id=team_id, round_id=_analysed_round())
    ):
        st.session_state[ANALYSIS_TEAM] = team_id


def _run_in_callback(action) -> bool:
    restore()  # a refusal reads in the facilitator's language
    try:
        action()
    except (WorkshopError, ValueError) as refusal:
        st.session_state["projector-refusal"] = str(refusal)
        return False
    return True


def _show_refusal_from_callback() -> None:
    refusal = st.session_state.pop("projector-refusal", None)
    if refusal:
        st.error(plain(refusal))


def teams_analysis(store: Store, workshop: Workshop, key: str) -> None:
    """One team's workspace at a time, and of it one card at a time: the page costs the same with 30 teams as with 2."""
    rounds = [store.round(round_id) for round_id in store.revealed_rounds(workshop.id)]
    teams = store.teams(workshop.id)
    if not rounds:
        st.info(_("Teams analyse their top cards once a round is revealed."))
        return
    if not teams:
        st.info(_("This workshop has no teams; add them in the Room section."))
        return
    chosen = st.selectbox(
        _("Round"),
        rounds,
        index=len(rounds) - 1,
        format_func=lambda r: _("Round {n}: {question}").format(n=r.position, question=r.question),
        key="analysis-round",
    )
    by_id = {team.id: team for team in teams}
    if st.session_state.get(ANALYSIS_TEAM) not in by_id:
        st.session_state[ANALYSIS_TEAM] = teams[0].id
    team = by_id[st.selectbox(_("Team"), list(by_id), format_func=lambda i: by_id[i].name, key=ANALYSIS_TEAM)]
    store.ensure_shortlist(chosen.id, team.id)
    topics = store.team_topics(chosen.id, team.id, include_hidden=True)
    st.caption(
        ngettext("{team} · {n} card on the shortlist", "{team} · {n} cards on the shortlist", len(topics)).format(
            team=plain(team.name), n=len(topics)
        )
    )
    team_panels.shortlist_editor(store, workshop.id, chosen.id, team.id, topics, deck_cards(store, chosen.deck_id), key=key)
    history = store.shortlist_history(workshop.id, chosen.id, team.id)
    if history and st.toggle(_("How the shortlist changed"), key=f"history-{chosen.id}-{team.id}"):
        st.dataframe(history_table(history[-HISTORY_SHOWN:]), hide_index=True, width="stretch")
        if len(history) > HISTORY_SHOWN:
            st.caption(_("The latest {shown} of {n} changes.").format(shown=HISTORY_SHOWN, n=len(history)))
    if topics:
        titles = {topic.id: topic for topic in topics}
        picked = st.segmented_control(
            _("Card"),
            list(titles),
            format_func=lambda i: plain_label(titles[i].card_title),
            default=topics[0].id,
            key=f"fac-topic-{chosen.id}-{team.id}",
            required=True,
        )
        team_panels.topic_panel(store, workshop.id, titles.get(picked, topics[0]), key=key)


# What a shortlist change did (the store's codes) as people read it.
CHANGES = {"from_votes": N_("from the votes"), "added": N_("added"), "removed": N_("removed")}


def history_table(rows: list[dict]) -> pd.DataFrame:
    """How a shortlist changed, in the page's language: the changes and the app's own words for who made them
    translated, card titles and names as typed."""
    table = pd.DataFrame(rows, columns=["at", "change", "card", "by"])
    table["change"] = table["change"].map(lambda change: _(CHANGES[change]) if change in CHANGES else change)
    table["by"] = table["by"].map(team_panels.shown_author)
    return table.rename(columns={"at": _("When"), "change": _("Change"), "card": _("Card"), "by": _("By")})


def action_review(store: Store, workshop: Workshop, key: str) -> None:
    """Hold each other accountable: open actions from earlier workshops of the same organisation."""
    rows = store.actions_to_review(workshop.id)
    if not rows:
        st.caption(_("No actions from earlier workshops of {organisation}.").format(organisation=plain(workshop.organisation)))
        return
    for row in team_panels.newest(rows, "action", "review", first=True):
        text, status = st.columns([4, 1])
        due = team_panels.due_text(row["due_on"])
        text.markdown(
            f"**{plain(row['what'])}** — {plain(row['owner'])}{due}  \n:gray[{plain(row['workshop_title'])} · {plain(row['team_name'])} · {plain(row['card_title'])}]"
        )
        options = list(ActionStatus)
        chosen = status.selectbox(
            _("Status"),
            options,
            index=options.index(ActionStatus(row["status"])),
            format_func=team_panels.status_name,
            key=f"review-{row['id']}-{row['status']}",
            label_visibility="collapsed",
        )
        if chosen.value != row["status"]:
            attempt(partial(store.set_action_status, workshop.id, row["id"], chosen, key=key), rerun=True)
