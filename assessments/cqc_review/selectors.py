"""Read the discussion between NHS Improvement and CQC, the quality ratings, and the UoR
rating they combine with."""

from django.db.models import QuerySet

from assessments import policies
from assessments.models import Assessment, KloeRating
from metrics.models import User

from .models import DiscussionMessage, QualityRatings


def discussion_for_user(*, user: User, assessment: Assessment) -> QuerySet[DiscussionMessage]:
    if not policies.may_read_discussion(user, assessment):
        return DiscussionMessage.objects.none()
    return assessment.discussion.select_related("author")


def uor_rating(assessment: Assessment) -> int | None:
    """The UoR overall rating: CQC's agreed rating where it set one, else the proposed one."""
    overall = KloeRating.objects.filter(assessment=assessment, kloe__isnull=True).first()
    if overall is None:
        return None
    return overall.agreed_rating or overall.rating


def quality_ratings_get(assessment: Assessment) -> QualityRatings | None:
    """CQC's record of the quality and combined ratings, if it made one."""
    return QualityRatings.objects.filter(assessment=assessment).first()
