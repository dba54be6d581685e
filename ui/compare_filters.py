"""The compare page's filters. Every filter lives in the page's address (bind="query-params"), so a lead can
bookmark a view or send it to a colleague; workshops are listed only once other filters make them few."""

from __future__ import annotations

import datetime

import streamlit as st

from abc_workshop import i18n
from abc_workshop.domain import CARD_TYPES, PERSPECTIVE_LABELS, CompareFilter, Perspective
from abc_workshop.i18n import _, ngettext
from abc_workshop.store import Store

DEFAULT_PERSPECTIVES = [Perspective.RECOGNISE.value]


def filter_bar(store: Store) -> CompareFilter:
    """Draw the filters and return what they select; empty means everything."""
    choices = store.filter_choices()
    with st.container(border=True):
        first = st.columns([3, 2, 2, 3])
        organisations = first[0].multiselect(
            _("Organisation"), choices["organisations"], key="org", bind="query-params", placeholder=_("All")
        )
        countries = first[1].multiselect(
            _("Country"), choices["countries"], key="country", bind="query-params", placeholder=_("All")
        )
        date_from, date_to = _date_range(first[2], choices["dates"])
        narrowed = CompareFilter(
            organisations=tuple(organisations), countries=tuple(countries), date_from=date_from, date_to=date_to
        )
        within = store.workshop_choices(narrowed)
        undated = _("no date")
        labels = {str(w["id"]): f"{w['held_on'] or undated} · {w['organisation']} · {w['title']}" for w in within["workshops"]}
        too_many = ngettext(
            "{n} match: narrow by organisation or date to pick",
            "{n} match: narrow by organisation or date to pick",
            within["count"],
        )
        workshops = first[3].multiselect(
            _("Workshop"),
            list(labels),
            format_func=lambda w: labels.get(w, w),
            key="workshop",
            bind="query-params",
            disabled=not labels,
            placeholder=_("All") if labels else too_many.format(n=i18n.number(within["count"])),
        )
        second = st.columns([3, 3, 2, 3])
        teams = second[0].multiselect(
            _("Team"),
            within["teams"],
            key="team",
            bind="query-params",
            placeholder=_("All teams"),
            help=_("Teams with the same name in different workshops count together."),
        )
        perspectives = second[1].multiselect(
            _("Perspective"),
            [p.value for p in Perspective],
            default=DEFAULT_PERSPECTIVES,
            format_func=lambda p: _(PERSPECTIVE_LABELS[Perspective(p)]),
            key="perspective",
            bind="query-params",
            placeholder=_("All perspectives"),
        )
        decks = {d["name"]: d["id"] for d in choices["decks"]}
        deck_names = second[2].multiselect(_("Deck"), list(decks), key="deck", bind="query-params", placeholder=_("All decks"))
        types = second[3].pills(
            _("Card type"),
            list(CARD_TYPES),
            selection_mode="multi",
            format_func=lambda t: f"{t} · {_(CARD_TYPES[t])}",
            key="type",
            bind="query-params",
        )
    return CompareFilter(
        organisations=tuple(organisations),
        countries=tuple(countries),
        workshop_ids=tuple(int(w) for w in workshops if w in labels),
        date_from=date_from,
        date_to=date_to,
        teams=tuple(teams),
        perspectives=tuple(perspectives),
        deck_ids=tuple(decks[name] for name in deck_names),
        card_types=tuple(types or ()),
    )


def _date_range(column, recorded: dict | None) -> tuple[str | None, str | None]:
    first = datetime.date.fromisoformat(recorded["first"]) if recorded and recorded["first"] else None
    last = datetime.date.fromisoformat(recorded["last"]) if recorded and recorded["last"] else None
    chosen = column.date_input(
        _("Held between"),
        value=(),
        min_value=first,
        max_value=last,
        key="dates",
        bind="query-params",
        format="YYYY-MM-DD",
        help=_("Empty: all dates. Pick the first and the last day."),
    )
    start = chosen[0].isoformat() if len(chosen) >= 1 else None
    end = chosen[1].isoformat() if len(chosen) == 2 else None
    return start, end


def describe(f: CompareFilter, deck_names: dict[int, str], workshop_names: dict[int, str] | None = None) -> str:
    """The selection in words, for charts' titles and the workbook: a slide must say what it shows, so chosen
    workshops are named with their dates (up to three, then how many more)."""
    parts = [", ".join(_(PERSPECTIVE_LABELS[Perspective(p)]) for p in f.perspectives) or _("All perspectives")]
    parts += [", ".join(values) for values in (f.organisations, f.countries, f.teams) if values]
    if f.workshop_ids:
        names = [(workshop_names or {}).get(w) or _("workshop #{id}").format(id=w) for w in f.workshop_ids]
        more = len(names) - 3
        parts.append(
            ", ".join(names)
            if more <= 0
            else ngettext("{workshops} and {n} more workshop", "{workshops} and {n} more workshops", more).format(
                workshops=", ".join(names[:3]), n=more
            )
        )
    if f.date_from or f.date_to:
        whole_years = (f.date_from or "").endswith("-01-01") and (f.date_to or "").endswith("-12-31")
        if whole_years:
            first, last = (f.date_from or "")[:4], (f.date_to or "")[:4]
            parts.append(first if first == last else f"{first}–{last}")
        else:
            start = i18n.day(f.date_from) if f.date_from else "…"
            end = i18n.day(f.date_to) if f.date_to else "…"
            # Translators: a range of days in the selection, e.g. "Mar 1, 2023 to Jun 1, 2024"
            parts.append(_("{start} to {end}").format(start=start, end=end))
    if f.deck_ids:
        parts.append(", ".join(deck_names.get(d, str(d)) for d in f.deck_ids))
    if f.card_types:
        parts.append(_card_types(f.card_types))
    return " · ".join(parts)


def _card_types(types: tuple[str, ...]) -> str:
    """'Attitude cards', 'Attitude and Culture cards': the card types of the selection."""
    names = [_(CARD_TYPES[t]) for t in types]
    if len(names) == 1:
        return _("{type} cards").format(type=names[0])
    # Translators: {first} is one card type or several separated by commas, e.g. "Attitude, Behaviour and Culture cards"
    return _("{first} and {last} cards").format(first=", ".join(names[:-1]), last=names[-1])
