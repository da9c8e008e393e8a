"""Models of the assessments app, one module per subject."""

from .assessment import STATUS_ORDER, AgendaSession, Assessment, AssessmentTransition, Status
from .framework import Characteristic, Framework, Kloe, Prompt
from .reports import ReportVersion
from .review import (
    Challenge,
    DiscussionMessage,
    FactualAccuracyDeadline,
    PublishedRating,
    QualityRatings,
    ReviewRequest,
)
from .work import Attachment, Commentary, Evidence, EvidenceRevision, KloeRating

__all__ = [
    "STATUS_ORDER",
    "AgendaSession",
    "Assessment",
    "AssessmentTransition",
    "Attachment",
    "Challenge",
    "Characteristic",
    "Commentary",
    "DiscussionMessage",
    "Evidence",
    "EvidenceRevision",
    "FactualAccuracyDeadline",
    "Framework",
    "Kloe",
    "KloeRating",
    "Prompt",
    "PublishedRating",
    "QualityRatings",
    "ReportVersion",
    "ReviewRequest",
    "Status",
]
