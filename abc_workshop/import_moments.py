"""Moments of truth in an import file (docs/import-format.md, "Moments of truth"): what scouts and the business's
feedback channel recorded between workshops, one line per moment, with the ids of the cards it points at joined by
`;`. The compare page's *Moments of truth* export writes this shape, so a programme's evidence moves between servers.

A moment joins the programme of the organisation record of its name (trimmed, case ignored), as imported workshops
join theirs (README.md, "Doors"); it has no visit, since the scout's visit stayed where it was recorded.
"""

from __future__ import annotations

from typing import Literal, overload

from .dates import DateOrderUnknown, parse_date
from .i18n import _, ngettext
from .import_batch import Catalogue, MomentKey, MomentRows
from .import_fields import LineError, field_text, whole_number
from .outside_in import OUTSIDE_LIMITS, STAGES

MARKER = "what_happened"  # a header naming it is a file of moments of truth
REQUIRED = ("organisation", "date", "stage", "positive", "what_happened")
SOURCES = ("scout", "feedback")
CARD_SEPARATOR = ";"
_STAGES = {**{stage: stage for stage in STAGES}, **{label.lower(): stage for stage, label in STAGES.items()}}
_YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def name_key(organisation: str) -> str:
    """An organisation's key as the schema computes it (lower(trim(name)): SQLite folds ASCII letters only), so a name
    finds the same record here as in the database."""
    return organisation.strip(" ").translate(_ASCII_LOWER)


def moment_key(organisation_key: str, day: str, stage: str, positive: bool, what_happened: str) -> MomentKey:
    """What makes two moments the same one: a file that brings a moment stored already is refused, so nothing counts twice."""
    return organisation_key, day, stage, bool(positive), what_happened.strip().lower()


def read_line(values: dict, line: int, catalogue: Catalogue, day_first: bool | None) -> MomentRows:
    """One line's moment of truth, checked whole; a problem is a LineError naming the field."""
    organisation = field_text(values, "organisation", "organisation")
    day = _day(values.get("date", ""), day_first)
    source = (values.get("source") or "scout").lower()
    if source not in SOURCES:
        # Translators: scout and feedback are what the file may hold: keep them in English.
        raise LineError(_("source is '{raw}'; use scout or feedback (empty means scout).").format(raw=values["source"]))
    stage = _STAGES.get(values.get("stage", "").lower())
    if stage is None:
        raise LineError(
            # Translators: finding, accessing, using, support and getting support are what the file may hold: keep them.
            _("stage is '{raw}'; use finding, accessing, using or support (getting support).").format(raw=values.get("stage", ""))
        )
    positive = _yes_no(values, "positive", None)
    what_happened = _text(values, "what_happened", required=True)
    effort = whole_number(values, "effort", 1, 5) if values.get("effort") else None
    moment = MomentRows(
        organisation=organisation,
        day=day,
        source=source,
        stage=stage,
        positive=positive,
        what_happened=what_happened,
        customer_words=_text(values, "customer_words"),
        effort=effort,
        business_unit=_text(values, "business_unit"),
        internal=_yes_no(values, "internal", False),
        card_ids=_cards(values, catalogue),
        line=line,
    )
    if moment_key(name_key(organisation), day, stage, positive, what_happened) in catalogue.moments:
        raise LineError(
            _(
                "this moment of truth of '{organisation}' on {day} is stored here already (same stage and what happened); "
                "a moment is imported once. Undo the import that brought it, or leave its line out."
            ).format(organisation=organisation, day=day)
        )
    return moment


def _day(raw: str, day_first: bool | None) -> str:
    if not raw:
        raise LineError(_("date is empty; give the day the moment happened, e.g. 2024-06-30."))
    try:
        date = parse_date(raw, day_first=day_first)
    except DateOrderUnknown:
        date = parse_date(raw, day_first=True)  # the order is asked about once the rest is checked
    except ValueError as error:
        raise LineError(str(error)) from None
    if date.precision != "day":
        raise LineError(
            _("date is '{raw}'; a moment of truth happened on a day: write it as 2024-06-30, 30.06.2024 or 30/06/2024.").format(
                raw=raw
            )
        )
    return date.iso


def _yes_no(values: dict, column: str, default: bool | None) -> bool:
    raw = values.get(column, "")
    if not raw:
        if default is None:
            # Translators: {column} is a column of the file; yes and no are what it may hold: keep them in English.
            raise LineError(_("{column} is empty; write yes or no.").format(column=column))
        return default
    if raw.lower() not in _YES_NO:
        # Translators: {column} is a column of the file; yes and no are what it may hold: keep them in English.
        raise LineError(_("{column} is '{raw}'; write yes or no.").format(column=column, raw=raw))
    return _YES_NO[raw.lower()]


@overload
def _text(values: dict, column: str, *, required: Literal[True]) -> str: ...
@overload
def _text(values: dict, column: str, *, required: bool = False) -> str | None: ...
def _text(values: dict, column: str, *, required: bool = False) -> str | None:
    value = values.get(column, "")
    if not value:
        if required:
            raise LineError(_("{column} is empty; say what happened.").format(column=column))
        return None
    limit = OUTSIDE_LIMITS[column]
    if len(value) > limit:
        raise LineError(
            _("{column} has {length} characters; the limit is {limit}.").format(column=column, length=len(value), limit=limit)
        )
    return value


def _cards(values: dict, catalogue: Catalogue) -> tuple[int, ...]:
    """The cards' ids (or exact titles) joined by ';', in the line's deck; a moment whose cards come from several decks
    names one deck per card, in the same order."""
    tokens = [t.strip() for t in values.get("cards", "").split(CARD_SEPARATOR) if t.strip()]
    if not tokens:
        return ()
    raw_deck = values.get("deck", "")
    one_deck = not raw_deck or raw_deck.lower() in catalogue.decks
    named = [raw_deck] if one_deck else [d.strip() for d in raw_deck.split(CARD_SEPARATOR)]
    if len(named) not in (1, len(tokens)):
        raise LineError(
            # Translators: "deck" is a column of the file, which stays as it is.
            ngettext(
                "deck names {decks} decks for {cards} card; give one deck for all of them, or one per card in the same order.",
                "deck names {decks} decks for {cards} cards; give one deck for all of them, or one per card in the same order.",
                len(tokens),
            ).format(decks=len(named), cards=len(tokens))
        )
    found = []
    for position, token in enumerate(tokens):
        deck_name = named[0 if len(named) == 1 else position] or catalogue.default_deck
        deck_id = catalogue.decks.get(deck_name.lower())
        if deck_id is None:
            raise LineError(
                _("deck '{deck}' is not loaded; load it on the facilitator page first (Decks).").format(deck=deck_name)
            )
        card_id = catalogue.cards.get(deck_id, {}).get(token.lower())
        if card_id is None:
            raise LineError(
                _("cards names '{token}', which is no card of the deck '{deck}'; the Decks page lists the ids.").format(
                    token=token, deck=deck_name
                )
            )
        found.append(card_id)
    if len(set(found)) != len(found):
        raise LineError(_("cards names the same card twice."))
    return tuple(found)
