"""All SQL of the app lives in this package; the rest of the code calls Store methods."""

from .analysis import AnalysisMixin
from .analysis_reads import AnalysisReadsMixin
from .ballots import BallotsMixin
from .decks import DecksMixin
from .rounds import RoundsMixin
from .workshops import WorkshopsMixin


class Store(WorkshopsMixin, DecksMixin, RoundsMixin, BallotsMixin, AnalysisMixin, AnalysisReadsMixin):
    """The workshop database: one SQLite file, migrated on open."""


__all__ = ["Store"]
