"""Models of the assessments app, one module per subject."""

from .assessment import STATUS_ORDER, AgendaSession, Assessment, AssessmentTransition, Status
from .framework import Characteristic, Framework, Kloe, Prompt, Rating
from .reports import ReportVersion
from .work import Attachment, Commentary, Evidence, EvidenceRevision, KloeRating

__all__ = [
    "STATUS_ORDER",
    "AgendaSession",
    "Assessment",
    "AssessmentTransition",
    "Attachment",
    "Characteristic",
    "Commentary",
    "Evidence",
    "EvidenceRevision",
    "Framework",
    "Kloe",
    "KloeRating",
    "Prompt",
    "Rating",
    "ReportVersion",
    "Status",
]
