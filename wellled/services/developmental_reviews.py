"""Write developmental reviews and comply or explain: record a review with its scope and
facilitator's ratings, agree the next due date (at most five years after completion), and
accept an explanation for the due date in force (read from the selectors' review cycle)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from metrics.models import Trust, User

from .. import policies
from ..models.developmental_reviews import (
    DevelopmentalReview,
    FacilitatorRating,
    ReviewExplanation,
)
from ..models.framework import Kloe
from ..notifications import wellled_notify_on_commit
from ..selectors.developmental_reviews import review_cycle_for_trust

SAFEGUARD_REQUIRED = "Describe the safeguard used, since the reviewers did work for the trust."
CONCERNS_REQUIRED = "Describe the material governance concerns found."
COMPLETED_BEFORE_START = "The review cannot be completed before it started."
LETTER_BEFORE_COMPLETION = "The completion letter cannot be sent before the review was completed."
RATED_KLOE_NOT_IN_SCOPE = "A facilitator's rating is given for {kloe}, which is not in the scope."
OMISSION_REQUIRED = (
    "Explain why the review leaves out {kloe}: a review that does not cover every KLOE says "
    "why for each one it leaves out."
)
NOT_COMPLETED = "The review has no completion date yet, so no next due date can be agreed."
DUE_TOO_LATE = (
    "The next review cannot be agreed for later than five years after the last one was "
    "completed: the latest allowed date is {latest:%-d %B %Y}."
)
DUE_BEFORE_COMPLETION = "The next review must be due after the last one was completed."
NOTHING_DUE = "The trust has no completed developmental review, so no due date to explain."
ACCEPTED_IN_FUTURE = "The date the explanation was accepted cannot be in the future."


def _omissions(kloes: list[Kloe], omissions: dict[str, str]) -> tuple[dict, dict]:
    """The explanation kept for each KLOE of the framework the scope leaves out, and the
    errors (by form field, `omitted_<code>`) for those left out without one."""
    in_scope = {kloe.pk for kloe in kloes}
    framework_ids = {kloe.framework_id for kloe in kloes}
    kept, errors = {}, {}
    for kloe in Kloe.objects.filter(framework_id__in=framework_ids).order_by("number"):
        if kloe.pk in in_scope:
            continue
        text = (omissions.get(kloe.code) or "").strip()
        if text:
            kept[kloe.code] = text
        else:
            errors[f"omitted_{kloe.code}"] = OMISSION_REQUIRED.format(kloe=kloe.label)
    return kept, errors


def _check_review(
    review: DevelopmentalReview, kloes: list[Kloe], ratings: dict, omission_errors: dict
) -> None:
    errors = dict(omission_errors)
    if review.independence == DevelopmentalReview.Independence.SAFEGUARD and not (
        review.safeguard.strip()
    ):
        errors["safeguard"] = SAFEGUARD_REQUIRED
    if review.material_concerns and not review.concerns_text.strip():
        errors["concerns_text"] = CONCERNS_REQUIRED
    if review.completed_on and review.completed_on < review.started_on:
        errors["completed_on"] = COMPLETED_BEFORE_START
    if review.letter_sent_on and (
        review.completed_on is None or review.letter_sent_on < review.completed_on
    ):
        errors["letter_sent_on"] = LETTER_BEFORE_COMPLETION
    in_scope = {kloe.pk for kloe in kloes}
    for kloe, rating in ratings.items():
        if rating and kloe.pk not in in_scope:
            errors.setdefault("kloes", RATED_KLOE_NOT_IN_SCOPE.format(kloe=kloe.label))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def developmental_review_save(
    *,
    trust: Trust,
    actor: User,
    kloes: list[Kloe],
    ratings: dict[Kloe, int | None],
    review: DevelopmentalReview | None = None,
    omissions: dict[str, str] | None = None,
    **fields,
) -> DevelopmentalReview:
    """Record (or correct) a developmental review with its scope and facilitator's ratings.

    `omissions` maps the code of each KLOE the scope leaves out to why (required for each).
    """
    new = review is None
    if new:
        policies.may_record_developmental_review(actor, trust).enforce()
        review = DevelopmentalReview(trust=trust, created_by=actor)
    else:
        review = DevelopmentalReview.objects.select_for_update().get(pk=review.pk, trust=trust)
        policies.may_edit_developmental_review(actor, review).enforce()
    for name, value in fields.items():
        setattr(review, name, value)
    if review.independence == DevelopmentalReview.Independence.DECLARED:
        review.safeguard = ""
    if not review.material_concerns:
        review.concerns_text = ""
    review.omitted_kloes, omission_errors = _omissions(kloes, omissions or {})
    _check_review(review, kloes, ratings, omission_errors)
    if review.agreed_next_due_on and review.completed_on:
        _check_agreed_due(review, review.agreed_next_due_on)
    review.full_clean()
    review.save()
    review.kloes.set(kloes)
    review.ratings.all().delete()
    FacilitatorRating.objects.bulk_create(
        FacilitatorRating(review=review, kloe=kloe, rating=rating)
        for kloe, rating in ratings.items()
        if rating
    )
    if new:
        url = review.get_absolute_url()
        wellled_notify_on_commit("developmental_review_recorded", trust.pk, url, actor=actor)
    return review


def _check_agreed_due(review: DevelopmentalReview, due_on: datetime.date) -> None:
    if review.completed_on is None:
        raise ValidationError({"agreed_next_due_on": NOT_COMPLETED}, code="not_completed")
    if due_on <= review.completed_on:
        raise ValidationError({"agreed_next_due_on": DUE_BEFORE_COMPLETION}, code="too_early")
    latest = review.latest_allowed_due_on
    if due_on > latest:
        raise ValidationError(
            {"agreed_next_due_on": DUE_TOO_LATE.format(latest=latest)}, code="too_late"
        )


@transaction.atomic
def developmental_review_agree_due_date(
    *, review: DevelopmentalReview, actor: User, due_on: datetime.date
) -> DevelopmentalReview:
    """NHS Improvement agrees the date of the next review: at most five years after the
    last one was completed (see REVIEW_INTERVAL_YEARS for 29 February)."""
    review = DevelopmentalReview.objects.select_for_update().get(pk=review.pk)
    policies.may_agree_due_date(actor, review).enforce()
    _check_agreed_due(review, due_on)
    review.agreed_next_due_on = due_on
    review.agreed_by = actor
    review.agreed_at = timezone.now()
    review.save(update_fields=["agreed_next_due_on", "agreed_by", "agreed_at"])
    return review


@transaction.atomic
def review_explanation_record(
    *,
    trust: Trust,
    actor: User,
    explanation: str,
    alternative_assurance: str,
    accepted_on: datetime.date,
) -> ReviewExplanation:
    """NHS Improvement accepts a trust's explanation for the due date now in force."""
    policies.may_accept_explanation(actor, trust).enforce()
    cycle = review_cycle_for_trust(trust=trust)
    if cycle.due_on is None:
        raise ValidationError(NOTHING_DUE, code="nothing_due")
    if accepted_on > timezone.localdate():
        raise ValidationError({"accepted_on": ACCEPTED_IN_FUTURE}, code="future")
    record = ReviewExplanation(
        trust=trust,
        covers_due_on=cycle.due_on,
        explanation=explanation,
        alternative_assurance=alternative_assurance,
        accepted_by=actor,
        accepted_on=accepted_on,
    )
    record.full_clean()
    record.save()
    return record
