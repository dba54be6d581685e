"""The facilitator's Rounds section: one round at a time (the live one unless another is chosen), its controls,
its progress or results, and a paper ballot for someone without a device while it is open.

Only the chosen round is drawn, and of its results only the room's chart and one team's: with 30 teams the
section costs the same as with two.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from abc_workshop import charts
from abc_workshop.domain import Round, RoundState, Workshop
from abc_workshop.i18n import _, ngettext
from abc_workshop.store import Store
from ui.facilitator import STATE_ICONS, new_round_form, round_controls, shown_perspective, state_name
from ui.feedback import attempt
from ui.results import round_result
from ui.store import deck_cards
from ui.team import shown_author
from ui.text import plain

CHOSEN_ROUND = "facilitator-round"
PAPER_LISTED = 30  # paper ballots named under the form; the rest are counted


def round_label(rnd: Round) -> str:
    shown = _("Round {n} · {state} · {question}").format(n=rnd.position, state=state_name(rnd.state), question=rnd.question)
    return f"{STATE_ICONS[rnd.state]} {shown}"


def choose_round(workshop: Workshop, rounds: list[Round]) -> Round:
    """The round the facilitator looks at: the one they chose, else the live one, else the newest."""
    by_id = {rnd.id: rnd for rnd in rounds}
    if st.session_state.get(CHOSEN_ROUND) not in by_id:
        st.session_state[CHOSEN_ROUND] = workshop.current_round_id if workshop.current_round_id in by_id else rounds[-1].id
    chosen = st.selectbox(_("Round"), list(reversed(by_id)), format_func=lambda i: round_label(by_id[i]), key=CHOSEN_ROUND)
    return by_id[chosen]


def show_round_after_creating(round_id: int) -> None:
    """Called before the rerun that follows Create round, so the new round is the one on screen."""
    st.session_state[CHOSEN_ROUND] = round_id


def round_details(rnd: Round) -> str:
    parts = [plain(shown_perspective(rnd)), ngettext("{n} pick", "{n} picks", rnd.pick_limit).format(n=rnd.pick_limit)]
    if rnd.timer_seconds:
        parts.append(_("timer {clock}").format(clock=f"{rnd.timer_seconds // 60}:{rnd.timer_seconds % 60:02d}"))
    if rnd.attempt > 1:
        parts.append(_("attempt {n}").format(n=rnd.attempt))
    return " · ".join(parts)


def round_results(store: Store, rnd: Round, version: int, key: str) -> None:
    """The room's top cards, and one team's at a time (chosen below), never a chart per team at once."""
    result = round_result(store, rnd.id, version)
    if not result.overall.ballots:
        st.info(_("No ballots yet."))
        return
    top_n = st.slider(_("Top cards"), 3, 20, 10, key=f"top-{rnd.id}")
    st.plotly_chart(
        charts.top_cards_bar(result.overall.top(top_n), result.overall.ballots, _("Everyone"), font_size=13),
        key=f"chart-{rnd.id}",
        theme=None,
    )
    voted = [team for team in result.teams if team.ballots]
    if voted:
        names = [team.name for team in voted]
        shown = st.selectbox(
            _("One team's top cards"), names, index=None, placeholder=_("Choose a team"), key=f"team-chart-{rnd.id}"
        )
        if shown is not None:
            team = voted[names.index(shown)]
            st.caption(_("{team}: {n} voted").format(team=plain(team.name), n=team.ballots))
            st.plotly_chart(
                charts.top_cards_bar(team.top(top_n), team.ballots, team.name, font_size=13),
                key=f"team-chart-fig-{rnd.id}",
                theme=None,
            )
    if rnd.show_names and st.toggle(_("Who picked what"), key=f"names-{rnd.id}"):
        st.dataframe(named_ballots_table(store.named_ballots(rnd.id, key)), hide_index=True)


def named_ballots_table(rows: list[dict]) -> pd.DataFrame:
    """Who picked what, with the app's own words in it (an anonymous participant, no team) and its column names
    in the page's language; names, teams and card titles as typed."""
    table = pd.DataFrame(rows, columns=["participant", "team", "cards"])
    table["participant"] = table["participant"].map(shown_author)
    table["team"] = table["team"].map(lambda team: _("No team") if team == "No team" else team)
    return table.rename(columns={"participant": _("Participant"), "team": _("Team"), "cards": _("Cards")})


def paper_ballot_form(store: Store, workshop: Workshop, rnd: Round, key: str) -> None:
    """A ballot typed in from paper, for someone without a phone: same budget and rules as any ballot."""
    teams = store.teams(workshop.id)
    cards = deck_cards(store, rnd.deck_id)
    entered = store.paper_ballots(rnd.id)
    with st.expander("📝 " + _("Enter a paper ballot (for someone without a device) · {n} entered").format(n=len(entered))):
        if entered:
            listed = entered[:PAPER_LISTED]
            ballots = ", ".join(_paper_ballot(row) for row in listed)
            unlisted = len(entered) - len(listed)
            st.markdown(
                _("Entered so far: {ballots}, and {n} more").format(ballots=ballots, n=unlisted)
                if unlisted
                else _("Entered so far: {ballots}").format(ballots=ballots)
            )
        st.caption(
            ngettext(
                "The person is added to the workshop under their name, marked as entered by the facilitator. "
                "Entering a ballot again for the same name and team replaces theirs. At most {n} card.",
                "The person is added to the workshop under their name, marked as entered by the facilitator. "
                "Entering a ballot again for the same name and team replaces theirs. At most {n} cards.",
                rnd.pick_limit,
            ).format(n=rnd.pick_limit)
        )
        with st.form(f"paper-ballot-{rnd.id}-{rnd.attempt}", clear_on_submit=True):
            name = st.text_input(_("Their name"), max_chars=40)
            team = (
                st.selectbox(_("Their team"), teams, format_func=lambda t: t.name, index=None, placeholder=_("Choose their team"))
                if teams
                else None
            )
            picks = st.multiselect(
                _("The cards they picked (at most {n})").format(n=rnd.pick_limit),
                cards,
                format_func=lambda c: c.title,
                max_selections=rnd.pick_limit,
                placeholder=_("Type to search the deck"),
            )
            if st.form_submit_button(_("Save the paper ballot")):
                attempt(
                    lambda: store.enter_paper_ballot(rnd.id, key, name, team.id if team else None, [c.id for c in picks]),
                    success=ngettext(
                        "Paper ballot saved for {name} ({n} card).", "Paper ballot saved for {name} ({n} cards).", len(picks)
                    ).format(name=plain(name.strip()), n=len(picks)),
                )


def _paper_ballot(row: dict) -> str:
    """'Dora (Operations): 2 cards': one paper ballot in the list of those entered."""
    if row["team"]:
        return ngettext("{name} ({team}): {n} card", "{name} ({team}): {n} cards", row["cards"]).format(
            name=plain(row["name"]), team=plain(row["team"]), n=row["cards"]
        )
    return ngettext("{name}: {n} card", "{name}: {n} cards", row["cards"]).format(name=plain(row["name"]), n=row["cards"])


def round_header(store: Store, workshop: Workshop, key: str) -> Round | None:
    """The round selector, the chosen round's details and the buttons that move it along."""
    rounds = store.rounds(workshop.id)
    if not rounds:
        return None
    rnd = choose_round(workshop, rounds)
    st.caption(round_details(rnd))
    round_controls(store, rnd, key)
    return rnd


def round_body(store: Store, workshop: Workshop, rnd: Round | None, version: int, key: str) -> None:
    """Below the live progress: a paper ballot while open, results once closed, and the form for a new round."""
    if rnd is not None and rnd.state is RoundState.OPEN:
        paper_ballot_form(store, workshop, rnd, key)
    elif rnd is not None and rnd.state is not RoundState.DRAFT:
        round_results(store, rnd, version, key)
    with st.expander("➕ " + _("New round"), expanded=rnd is None):
        created = new_round_form(store, workshop, key)
        if created is not None:
            show_round_after_creating(created.id)
            st.rerun()
