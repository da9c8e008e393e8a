"""Publish a rating to the register, and record the trust's one review request and CQC's
decision on it (a changed rating is a new published version; the old one is kept)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import policies
from assessments.cqc_review.selectors import quality_ratings_get, uor_rating
from assessments.cqc_review.trust_record import published_ratings_to_trust_record
from assessments.models import Assessment
from assessments.notifications import notify_on_commit
from assessments.reports.services import final_report_supersede
from core.ratings import Rating
from metrics.models import CqcRating, User

from .models import PublishedRating, ReviewRequest

REVIEW_MAX_WORDS = 500

REVIEW_TOO_LONG = "The grounds must be at most 500 words; they have {words}."
REVIEW_EMPTY = "Give the grounds: what in the assessment process was not followed."
NEW_RATING_REQUIRED = "Choose the changed rating."
DECISION_NOTE_REQUIRED = "Give the reasons for the decision."


def rating_publish(
    *, assessment: Assessment, actor: User, now: datetime.datetime
) -> PublishedRating | None:
    """The register's first version of the rating, on publishing (none if nothing is rated)."""
    rating = uor_rating(assessment)
    if rating is None:
        return None
    published = PublishedRating.objects.create(
        assessment=assessment,
        version=1,
        rating=rating,
        combined=getattr(quality_ratings_get(assessment), "combined", None),
        published_by=actor,
        published_at=now,
    )
    published_ratings_to_trust_record(
        assessment=assessment,
        actor=actor,
        rating=published.rating,
        combined=published.combined,
        rated_on=timezone.localdate(now),
    )
    return published


@transaction.atomic
def review_request_create(*, assessment: Assessment, actor: User, grounds: str) -> ReviewRequest:
    policies.may_request_review(actor, assessment).enforce()
    words = len(grounds.split())
    if not words:
        raise ValidationError({"grounds": REVIEW_EMPTY})
    if words > REVIEW_MAX_WORDS:
        raise ValidationError({"grounds": REVIEW_TOO_LONG.format(words=words)})
    review = ReviewRequest.objects.create(
        assessment=assessment, grounds=grounds.strip(), requested_by=actor
    )
    notify_on_commit("review_requested", assessment, note=review.grounds, actor=actor)
    return review


@transaction.atomic
def review_request_decide(
    *, review: ReviewRequest, actor: User, decision: str, note: str, new_rating: int | None = None
) -> ReviewRequest:
    """CQC's decision; a changed rating is published as a new version, the old one kept,
    with a new final report that says it was revised after the review request."""
    current = ReviewRequest.objects.select_for_update().get(pk=review.pk)
    policies.may_decide_review(actor, current.assessment, current).enforce()
    errors = {}
    if not note.strip():
        errors["decision_note"] = DECISION_NOTE_REQUIRED
    if decision == ReviewRequest.Decision.CHANGED and new_rating not in Rating.values:
        errors["new_rating"] = NEW_RATING_REQUIRED
    if decision not in ReviewRequest.Decision.values:
        errors["decision"] = "Choose whether the rating is upheld or changed."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    current.decision, current.decision_note = decision, note.strip()
    outcome = ReviewRequest.Decision(decision).label
    notify_on_commit(
        "review_decided", current.assessment, note=f"{outcome}: {note.strip()}", actor=actor
    )
    current.decided_by, current.decided_at = actor, now
    if decision == ReviewRequest.Decision.CHANGED:
        current.new_rating = new_rating
        previous = current.assessment.published_ratings.order_by("-version").first()
        PublishedRating.objects.create(
            assessment=current.assessment,
            version=previous.version + 1,
            rating=new_rating,
            combined=previous.combined,
            note=f"Changed after a review: {note.strip()}",
            published_by=actor,
            published_at=now,
        )
        published_ratings_to_trust_record(
            assessment=current.assessment,
            actor=actor,
            rating=new_rating,
            combined=None,
            rated_on=timezone.localdate(now),
            source=CqcRating.Source.UOR_REVIEW,
        )
        current.save()
        final_report_supersede(assessment=current.assessment, actor=actor, now=now)
        return current
    current.save()
    return current
