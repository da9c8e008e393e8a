"""Read CQC's well-led ratings a user may see and NHS Improvement's segment decisions."""

from django.db.models import QuerySet

from metrics.models import CqcRating, Trust, User
from metrics.selectors import cqc_ratings_visible_to

from ..models.ratings_and_segments import SegmentDecision


def wellled_ratings_visible_to(*, user: User) -> QuerySet[CqcRating]:
    """CQC's well-led ratings, however recorded (this page, or a UoR finalisation)."""
    return cqc_ratings_visible_to(user=user).filter(question=CqcRating.Question.WELL_LED)


def segment_decisions_for_trust(*, trust: Trust) -> QuerySet[SegmentDecision]:
    """NHS Improvement's decisions, newest first (the page shows them to NHSI users only)."""
    return SegmentDecision.objects.filter(trust=trust).select_related("decided_by")
