"""A sentence kept as its English message and its parameters, told in the language of whoever reads it.

What is written once and read later by people of other languages (the workshop's log, store/base.py `_changed`)
keeps the message id, not the words: `Said(N_("Team '{name}' added"), {"name": name})`, or
`Said.ngettext("{n} card", "{n} cards", n, ...)` when a count decides the words (the name lets the catalogues find
the pair). `text()` translates it in the run's language (i18n.current()) and fills in its parameters.

A parameter is one of:
- people's text or a number (a name, a title, a reason, an id): shown as it is, in every language;
- a member of one of the tables in `_TABLES` (a round's state, an action's or visit's status, a risk decision...):
  stored as its English key, shown as that table's label in the reader's language;
- another `Said` (a part worded in several ways, e.g. how a workshop found its organisation): told in the same
  language, so its translation must fit the sentence it goes into (its Translators: comment says where).

`to_json()` / `from_json()` give the form kept in the database: {"message": ..., "params": {...}}, plus "plural"
and "n" for a counted message; a table's member is {"label": table, "key": key}, a part {"said": {...}}.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from . import i18n
from .analysis import ActionStatus, RiskDecision
from .domain import Perspective, RoundState
from .i18n import _
from .outside_in import FeedbackStatus, VisitStatus

# The tables whose members a message may name: the name kept in the database -> (the enum, its label as shown).
# The names are stored: never rename one; a table whose labels are English only is translated here (feedback).
_TABLES: dict[str, tuple[type[Enum], Callable[[Any], str]]] = {
    "round_state": (RoundState, lambda state: state.label),
    "action_status": (ActionStatus, lambda status: status.label),
    "visit_status": (VisitStatus, lambda status: status.label),
    "feedback_status": (FeedbackStatus, lambda status: _(status.label)),
    "risk_decision": (RiskDecision, lambda decision: decision.label),
    "perspective": (Perspective, lambda perspective: perspective.label),
}
_TABLE_OF = {enum: name for name, (enum, _label) in _TABLES.items()}


@dataclass(frozen=True)
class Said:
    message: str  # the English message (the catalogue's id), marked where it is written: N_("...")
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None  # a counted message's plural form; `n` then chooses between the two
    n: int = 0

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, **params: Any) -> Said:
        """A counted message, `{n}` filled in with the count unless given otherwise."""
        return cls(singular, {"n": n, **params}, plural, n)

    def text(self) -> str:
        """In the run's language; a translation that does not fit its parameters falls back to the English."""
        shown = {name: _shown(value) for name, value in self.params.items()}
        translated = i18n.ngettext(self.message, self.plural, self.n) if self.plural is not None else _(self.message)
        english = self.message if self.plural is None or self.n == 1 else self.plural
        for template in (translated, english):
            try:
                return template.format(**shown)
            except (KeyError, IndexError, ValueError, AttributeError):
                continue
        return english

    def english(self) -> str:
        with i18n.speaking(i18n.DEFAULT):
            return self.text()

    def to_json(self) -> dict[str, Any]:
        kept: dict[str, Any] = {"message": self.message, "params": {name: _kept(value) for name, value in self.params.items()}}
        if self.plural is not None:
            kept.update(plural=self.plural, n=self.n)
        return kept

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, kept: Mapping[str, Any]) -> Said:
        params = {name: _read(value) for name, value in (kept.get("params") or {}).items()}
        plural = kept.get("plural")
        return cls(str(kept["message"]), params, str(plural) if plural is not None else None, int(kept.get("n") or 0))

    @classmethod
    def loads(cls, kept: str) -> Said:
        return cls.from_json(json.loads(kept))


@dataclass(frozen=True)
class _Member:
    """A table's member read back: its key, and its label once the key is known (an unknown key shows as it is)."""

    table: str
    key: str


def _shown(value: Any) -> str:
    if isinstance(value, Said):
        return value.text()
    if isinstance(value, Enum) and type(value) in _TABLE_OF:
        return _TABLES[_TABLE_OF[type(value)]][1](value)
    if isinstance(value, _Member):
        enum, label = _TABLES.get(value.table, (None, None))
        try:
            return label(enum(value.key)) if enum is not None and label is not None else value.key
        except ValueError:
            return value.key
    return str(value)


def _kept(value: Any) -> Any:
    if isinstance(value, Said):
        return {"said": value.to_json()}
    if isinstance(value, Enum):
        if type(value) not in _TABLE_OF:
            raise TypeError(f"{type(value).__name__} is not a table a message may name (abc_workshop/said.py _TABLES)")
        return {"label": _TABLE_OF[type(value)], "key": value.value}
    if isinstance(value, _Member):
        return {"label": value.table, "key": value.key}
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)  # a date, a path: as people read it


def _read(kept: Any) -> Any:
    if isinstance(kept, dict) and "said" in kept:
        return Said.from_json(kept["said"])
    if isinstance(kept, dict) and "label" in kept:
        return _Member(str(kept["label"]), str(kept.get("key")))
    return kept
