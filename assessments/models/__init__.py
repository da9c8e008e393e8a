"""Models of the assessments app, one module per subject.

The core of an assessment lives here; the post-draft subjects keep their models in their own
packages, imported below so that Django registers them under the `assessments` app label.
"""

from assessments.consistency.models import FindingAnswer, FindingRecord
from assessments.cqc_review.models import DiscussionMessage, QualityRatings
from assessments.factual_accuracy.models import (
    Challenge,
    FactualAccuracyDeadline,
    NoMoreChallenges,
)
from assessments.publication.models import PublishedRating, ReviewRequest
from assessments.reports.models import ReportVersion

from .assessment import STATUS_ORDER, AgendaSession, Assessment, AssessmentTransition, Status
from .framework import Characteristic, Framework, Kloe, Prompt
from .work import Attachment, Commentary, Evidence, EvidenceRevision, KloeRating, PassageRevision

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
    "FindingAnswer",
    "FindingRecord",
    "Framework",
    "Kloe",
    "KloeRating",
    "NoMoreChallenges",
    "PassageRevision",
    "Prompt",
    "PublishedRating",
    "QualityRatings",
    "ReportVersion",
    "ReviewRequest",
    "Status",
]
