"""All SQL of the app lives in this package; the rest of the code calls Store methods."""

from .analysis_actions import ActionsMixin
from .analysis_reads import AnalysisReadsMixin
from .analytics import AnalyticsMixin
from .analytics_impact import ImpactAnalyticsMixin
from .analytics_published import PublishedAnalyticsMixin
from .ballots import BallotsMixin
from .decks import DecksMixin
from .imports import ImportsMixin
from .languages import LanguagesMixin
from .outside_in_evidence import OutsideInEvidenceMixin
from .polls import PollsMixin
from .projector import ProjectorMixin
from .pulse import PulseMixin
from .rounds import RoundsMixin
from .workshops import WorkshopsMixin


class Store(
    WorkshopsMixin,
    DecksMixin,
    RoundsMixin,
    BallotsMixin,
    ActionsMixin,
    AnalysisReadsMixin,
    ImportsMixin,
    AnalyticsMixin,
    ImpactAnalyticsMixin,
    PublishedAnalyticsMixin,
    PollsMixin,
    OutsideInEvidenceMixin,
    ProjectorMixin,
    PulseMixin,
    LanguagesMixin,
):
    """The workshop database: one SQLite file, migrated on open."""


__all__ = ["Store"]
