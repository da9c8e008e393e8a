"""Read the discussion between NHS Improvement and CQC, the quality ratings, the UoR rating
they combine with, and the ratings CQC changed (with their revised rationales)."""

from django.db.models import QuerySet

from assessments import policies
from assessments.models import Assessment, KloeRating, PassageRevision
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


def rating_key(rating: KloeRating) -> str:
    """How pages and the API name a rating: the KLOE's code, or "overall"."""
    return rating.kloe.code if rating.kloe else "overall"


def rating_title(rating: KloeRating) -> str:
    return rating.kloe.title if rating.kloe else "the overall rating"


def ratings_changed_by_cqc(assessment: Assessment) -> list[KloeRating]:
    """The KLOE and overall ratings whose agreed rating differs from the proposal."""
    return [
        rating
        for rating in KloeRating.objects.filter(
            assessment=assessment, agreed_rating__isnull=False
        ).select_related("kloe")
        if rating.agreed_rating != rating.rating
    ]


def rationale_revised(rating: KloeRating) -> bool:
    """Whether the lead revised this rationale after CQC changed the rating."""
    return PassageRevision.objects.filter(
        rating=rating, reason=PassageRevision.Reason.CQC_DECISION
    ).exists()
