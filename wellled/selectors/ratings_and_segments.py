"""Read CQC's well-led ratings a user may see and NHS Improvement's segment decisions."""

from django.db.models import QuerySet

from metrics.models import Trust, User
from metrics.selectors import trusts_visible_to

from ..models.ratings_and_segments import SegmentDecision, WellLedRating


def wellled_ratings_visible_to(*, user: User) -> QuerySet[WellLedRating]:
    return WellLedRating.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "recorded_by"
    )


def segment_decisions_for_trust(*, trust: Trust) -> QuerySet[SegmentDecision]:
    """NHS Improvement's decisions, newest first (the page shows them to NHSI users only)."""
    return SegmentDecision.objects.filter(trust=trust).select_related("decided_by")
