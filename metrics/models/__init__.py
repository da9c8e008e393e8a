"""Models of the metrics app, one module per subject."""

from .benchmarks import MetricBenchmark
from .cqc_ratings import CqcQuestion, CqcRating, CqcRatingSource
from .loads import DataLoad
from .moderation import ModerationDecision, ModerationStatus
from .notifications import Notification
from .peers import MetricContextNote, PeerGroup, PeerRecompute
from .scores import FinanceScore
from .security import SecurityEvent
from .trusts import Trust
from .users import Organisation, Role, User
from .values import MetricDefinition, MetricValue

__all__ = [
    "CqcQuestion",
    "CqcRating",
    "CqcRatingSource",
    "DataLoad",
    "FinanceScore",
    "MetricBenchmark",
    "MetricContextNote",
    "MetricDefinition",
    "MetricValue",
    "ModerationDecision",
    "ModerationStatus",
    "Notification",
    "Organisation",
    "PeerGroup",
    "PeerRecompute",
    "Role",
    "SecurityEvent",
    "Trust",
    "User",
]
