"""Models of the metrics app, one module per subject."""

from .benchmarks import MetricBenchmark
from .cqc_ratings import CqcQuestion, CqcRating, CqcRatingSource
from .loads import DataLoad
from .notifications import Notification
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
    "MetricDefinition",
    "MetricValue",
    "Notification",
    "Organisation",
    "Role",
    "SecurityEvent",
    "Trust",
    "User",
]
