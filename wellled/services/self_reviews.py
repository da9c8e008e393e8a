"""Write a board's self-review: start it, save each KLOE's entry and files of evidence while
it is a draft, and record the board's sign-off, after which it is read-only."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.policies import Decision
from core.uploads import upload_store
from metrics.models import Trust, User

from .. import policies
from ..models.framework import Kloe
from ..models.self_reviews import (
    PriorityLevel,
    PriorityScheme,
    SelfReview,
    SelfReviewAttachment,
    SelfReviewEntry,
)
from ..notifications import wellled_notify_on_commit
from .framework import framework_current

NO_SCHEME = "There is no priority-rating scheme: an admin must set one up first."
PRIORITY_NOT_IN_SCHEME = "Choose a priority rating from this self-review's scheme."
KLOE_NOT_IN_FRAMEWORK = "That KLOE is not part of the well-led framework."
SIGN_OFF_INCOMPLETE = (
    "Every KLOE needs a priority rating and an explanation before the board signs off. "
    "Missing: {kloes}."
)
SIGN_OFF_DATE_FUTURE = "The date of the board's sign-off cannot be in the future."
SIGN_OFF_NAME_REQUIRED = "Enter the name of who signed off for the board."


@transaction.atomic
def self_review_create(*, trust: Trust, actor: User, title: str) -> SelfReview:
    """A draft self-review with an empty entry for each of the eight KLOEs."""
    policies.may_create_self_review(actor, trust).enforce()
    framework = framework_current()
    scheme = PriorityScheme.objects.filter(active=True).order_by("-id").first()
    if scheme is None:
        raise ValidationError(NO_SCHEME, code="no_scheme")
    review = SelfReview(
        trust=trust, framework=framework, scheme=scheme, title=title, created_by=actor
    )
    review.full_clean()
    review.save()
    SelfReviewEntry.objects.bulk_create(
        SelfReviewEntry(review=review, kloe=kloe, updated_by=actor)
        for kloe in framework.kloes.all()
    )
    return review


def _locked_review(
    review: SelfReview,
    actor: User,
    *,
    policy: Callable[[User, SelfReview], Decision] = policies.may_edit_self_review,
) -> SelfReview:
    """The review re-read under a row lock, then `policy` asked of it (refused when signed
    off or not the trust's)."""
    review = SelfReview.objects.select_for_update().get(pk=review.pk)
    policy(actor, review).enforce()
    return review


@transaction.atomic
def self_review_entry_save(
    *,
    review: SelfReview,
    kloe: Kloe,
    actor: User,
    priority: PriorityLevel | None,
    explanation: str,
    assurance: str,
    actions: str,
) -> SelfReviewEntry:
    """Save the board's record for one KLOE of a draft self-review."""
    review = _locked_review(review, actor)
    if kloe.framework_id != review.framework_id:
        raise ValidationError(KLOE_NOT_IN_FRAMEWORK, code="kloe")
    if priority is not None and priority.scheme_id != review.scheme_id:
        raise ValidationError({"priority": PRIORITY_NOT_IN_SCHEME}, code="priority")
    entry, _ = SelfReviewEntry.objects.get_or_create(
        review=review, kloe=kloe, defaults={"updated_by": actor}
    )
    entry.priority = priority
    entry.explanation = explanation
    entry.assurance = assurance
    entry.actions = actions
    entry.updated_by = actor
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def self_review_attachment_add(
    *, review: SelfReview, kloe: Kloe, actor: User, name: str, content: bytes
) -> SelfReviewAttachment:
    """Check a file of evidence as assessment attachments are checked, store it under a
    generated name, and tie it to one KLOE of a draft self-review."""
    review = _locked_review(review, actor)
    if kloe.framework_id != review.framework_id:
        raise ValidationError(KLOE_NOT_IN_FRAMEWORK, code="kloe")
    attachment = SelfReviewAttachment(review=review, kloe=kloe)
    return upload_store(attachment=attachment, name=name, content=content, actor=actor)


@transaction.atomic
def self_review_sign_off(
    *, review: SelfReview, actor: User, signed_off_on: datetime.date, signed_off_by_name: str
) -> SelfReview:
    """The board signs the review off: it is read-only from then on."""
    review = _locked_review(review, actor, policy=policies.may_sign_off_self_review)
    if signed_off_on > timezone.localdate():
        raise ValidationError({"signed_off_on": SIGN_OFF_DATE_FUTURE}, code="future")
    if not signed_off_by_name.strip():
        raise ValidationError({"signed_off_by_name": SIGN_OFF_NAME_REQUIRED}, code="name")
    missing = [
        entry.kloe.label
        for entry in review.entries.select_related("kloe")
        if entry.priority_id is None or not entry.explanation.strip()
    ]
    if missing:
        raise ValidationError(SIGN_OFF_INCOMPLETE.format(kloes=", ".join(missing)), code="open")
    review.status = SelfReview.Status.SIGNED_OFF
    review.signed_off_on = signed_off_on
    review.signed_off_by_name = signed_off_by_name.strip()
    review.signed_off_recorded_by = actor
    review.signed_off_at = timezone.now()
    review.full_clean()
    review.save()
    wellled_notify_on_commit(
        "self_review_signed_off",
        review.trust_id,
        review.get_absolute_url(),
        note=f"Signed off on {signed_off_on:%d %B %Y} by {review.signed_off_by_name}.",
        actor=actor,
    )
    return review
