"""Say which factual-accuracy challenges a user may see."""

from django.db.models import QuerySet
from django.http import Http404

from assessments import policies
from assessments.models import Assessment
from metrics.models import User

from .models import Challenge


def challenges_for_user(*, user: User, assessment: Assessment) -> QuerySet[Challenge]:
    """The challenges `user` may see on an assessment they can see (the caller checked).

    The trust sees its own from the shared draft on; NHS Improvement and CQC staff see them
    all. Whether the trust sees an answer is `answer_visible`'s business.
    """
    challenges = assessment.challenges.select_related(
        "raised_by",
        "answered_by",
        "signed_off_by",
        "resolved_by",
        "evidence",
        "evidence__kloe",
        "rating",
        "rating__kloe",
        "kloe",
    ).prefetch_related("attachments", "revisions")
    if not policies.may_see_internal(user, assessment):
        return challenges.none()
    return challenges


def challenge_get_for_user(*, user: User, assessment: Assessment, pk: int) -> Challenge:
    challenge = challenges_for_user(user=user, assessment=assessment).filter(pk=pk).first()
    if challenge is None:
        raise Http404("No such challenge")
    return challenge
