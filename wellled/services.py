"""Writes of the well-led app: framework loading, self-reviews, developmental reviews,
action plans, CQC's well-led ratings and NHS Improvement's segment decisions.

Each function first enforces its wellled.policies predicate (PermissionDenied with the
policy's message), validates with full_clean() (ValidationError) and writes in one transaction.
"""

import datetime
from collections.abc import Callable
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.policies import Decision
from core.ratings import RATING_BY_SLUG
from core.uploads import upload_store
from metrics.models import Trust, User

from . import policies
from .models import (
    Action,
    DevelopmentalReview,
    FacilitatorRating,
    Framework,
    GoodPractice,
    GoodPracticeDescription,
    Kloe,
    PriorityLevel,
    PriorityScheme,
    ProgressNote,
    Prompt,
    RatingsCharacteristic,
    ReviewExplanation,
    SegmentDecision,
    SelfReview,
    SelfReviewAttachment,
    SelfReviewEntry,
    WellLedRating,
)

FRAMEWORK_FILE = settings.BASE_DIR / "fixtures" / "frameworks" / "wellled-2017.yaml"
SCHEME_FILE = settings.BASE_DIR / "fixtures" / "wellled" / "priority_scheme.yaml"

FRAMEWORK_IN_USE = "{code} is used by self-reviews and is kept as it is."
NO_FRAMEWORK = "The well-led framework is not loaded: run `manage.py load_wellled_framework`."
NO_SCHEME = "There is no priority-rating scheme: an admin must set one up first."
PRIORITY_NOT_IN_SCHEME = "Choose a priority rating from this self-review's scheme."
KLOE_NOT_IN_FRAMEWORK = "That KLOE is not part of the well-led framework."
SIGN_OFF_INCOMPLETE = (
    "Every KLOE needs a priority rating and an explanation before the board signs off. "
    "Missing: {kloes}."
)
SIGN_OFF_DATE_FUTURE = "The date of the board's sign-off cannot be in the future."
SIGN_OFF_NAME_REQUIRED = "Enter the name of who signed off for the board."
SAFEGUARD_REQUIRED = "Describe the safeguard used, since the reviewers did work for the trust."
CONCERNS_REQUIRED = "Describe the material governance concerns found."
COMPLETED_BEFORE_START = "The review cannot be completed before it started."
LETTER_BEFORE_COMPLETION = "The completion letter cannot be sent before the review was completed."
RATED_KLOE_NOT_IN_SCOPE = "A facilitator's rating is given for {kloe}, which is not in the scope."
NOT_COMPLETED = "The review has no completion date yet, so no next due date can be agreed."
DUE_TOO_LATE = (
    "The next review cannot be agreed for later than five years after the last one was "
    "completed: the latest allowed date is {latest:%-d %B %Y}."
)
DUE_BEFORE_COMPLETION = "The next review must be due after the last one was completed."
NOTHING_DUE = "The trust has no completed developmental review, so no due date to explain."
ACCEPTED_IN_FUTURE = "The date the explanation was accepted cannot be in the future."
ACTION_SOURCE_REQUIRED = "Choose the review the action comes from."
ACTION_SOURCE_OTHER_TRUST = "That review belongs to another trust."
RATING_DATE_FUTURE = "The date of the rating cannot be in the future."
DECISION_DATE_FUTURE = "The date of the decision cannot be in the future."


# The framework ------------------------------------------------------------------------------


@transaction.atomic
def framework_load(*, path: Path = FRAMEWORK_FILE) -> tuple[Framework, bool]:
    """Load the framework file; a version a self-review uses is never changed."""
    data = yaml.safe_load(path.read_text())
    framework = Framework.objects.filter(code=data["code"]).first()
    if framework and SelfReview.objects.filter(framework=framework).exists():
        return framework, False
    if framework:
        # NOTE: the framework is replaced whole; developmental reviews point at its KLOEs
        # (PROTECT), so a framework already referenced is kept as it is.
        if DevelopmentalReview.objects.filter(kloes__framework=framework).exists():
            return framework, False
        framework.delete()
    framework = Framework.objects.create(**Framework.fields_from(data))
    _characteristics(framework, None, data.get("overall_characteristics") or {})
    for entry in data["kloes"]:
        kloe = Kloe.objects.create(framework=framework, **Kloe.fields_from(entry))
        Prompt.objects.bulk_create(
            Prompt(
                kloe=kloe,
                code=prompt["code"],
                number=number,
                text=prompt["text"],
                applies_to=prompt.get("applies_to") or Prompt.AppliesTo.CORE,
            )
            for number, prompt in enumerate(entry["prompts"], start=1)
        )
        _characteristics(framework, kloe, entry.get("characteristics") or {})
        _characteristics(
            framework, kloe, entry.get("characteristics_mental_health") or {}, mental_health=True
        )
        for number, item in enumerate(entry.get("good_practice") or [], start=1):
            practice = GoodPractice.objects.create(
                kloe=kloe, number=number, characteristic=item["characteristic"]
            )
            GoodPracticeDescription.objects.bulk_create(
                GoodPracticeDescription(good_practice=practice, number=n, text=text)
                for n, text in enumerate(item.get("descriptions") or [], start=1)
            )
    return framework, True


def _characteristics(
    framework: Framework, kloe: Kloe | None, by_level: dict, *, mental_health: bool = False
) -> None:
    RatingsCharacteristic.objects.bulk_create(
        RatingsCharacteristic(
            framework=framework,
            kloe=kloe,
            level=RATING_BY_SLUG[slug],
            number=number,
            text=text,
            mental_health=mental_health,
        )
        for slug, statements in by_level.items()
        for number, text in enumerate(statements, start=1)
    )


@transaction.atomic
def priority_scheme_load(*, path: Path = SCHEME_FILE) -> tuple[PriorityScheme, bool]:
    """Add the default scheme unless a scheme with its code exists (admins' edits stand)."""
    data = yaml.safe_load(path.read_text())
    scheme = PriorityScheme.objects.filter(code=data["code"]).first()
    if scheme:
        return scheme, False
    scheme = PriorityScheme.objects.create(code=data["code"], name=data["name"], active=True)
    PriorityLevel.objects.bulk_create(
        PriorityLevel(
            scheme=scheme,
            number=level["number"],
            label=level["label"],
            description=level.get("description") or "",
        )
        for level in data["levels"]
    )
    return scheme, True


def wellled_load_all() -> list[str]:
    """Load the framework and the default priority scheme; one line of news for each."""
    framework, loaded = framework_load()
    scheme, added = priority_scheme_load()
    return [
        f"{framework.code}: " + ("loaded" if loaded else FRAMEWORK_IN_USE.format(code=framework)),
        f"priority scheme {scheme.code}: " + ("added" if added else "kept as it is"),
    ]


def framework_current() -> Framework:
    framework = Framework.objects.order_by("-version", "-id").first()
    if framework is None:
        raise ValidationError(NO_FRAMEWORK, code="no_framework")
    return framework


# Board self-review --------------------------------------------------------------------------


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
    return review


# Developmental reviews ----------------------------------------------------------------------


def _check_review(review: DevelopmentalReview, kloes: list[Kloe], ratings: dict) -> None:
    errors = {}
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
    **fields,
) -> DevelopmentalReview:
    """Record (or correct) a developmental review with its scope and facilitator's ratings."""
    if review is None:
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
    _check_review(review, kloes, ratings)
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
    from .selectors import review_cycle_for_trust

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


# Action plans -------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    trust: Trust,
    actor: User,
    kloe: Kloe,
    text: str,
    owner: str,
    due_on: datetime.date,
    self_review: SelfReview | None = None,
    developmental_review: DevelopmentalReview | None = None,
) -> Action:
    policies.may_create_action(actor, trust).enforce()
    source = self_review or developmental_review
    if source is None or (self_review and developmental_review):
        raise ValidationError(ACTION_SOURCE_REQUIRED, code="source")
    if source.trust_id != trust.pk:
        raise ValidationError(ACTION_SOURCE_OTHER_TRUST, code="source")
    action = Action(
        trust=trust,
        self_review=self_review,
        developmental_review=developmental_review,
        kloe=kloe,
        text=text,
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_progress(
    *, action: Action, actor: User, status: str, noted_on: datetime.date, text: str
) -> Action:
    """Record progress on an action (a dated note) and its status now."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    policies.may_record_progress(actor, action).enforce()
    action.status = status
    action.full_clean()
    action.save(update_fields=["status"])
    if text.strip():
        note = ProgressNote(action=action, noted_on=noted_on, text=text, created_by=actor)
        note.full_clean()
        note.save()
    return action


# Ratings and decisions ----------------------------------------------------------------------


@transaction.atomic
def wellled_rating_record(
    *, trust: Trust, actor: User, rating: int, rated_on: datetime.date, note: str = ""
) -> WellLedRating:
    policies.may_record_wellled_rating(actor, trust).enforce()
    if rated_on > timezone.localdate():
        raise ValidationError({"rated_on": RATING_DATE_FUTURE}, code="future")
    record = WellLedRating(
        trust=trust, rating=rating, rated_on=rated_on, note=note, recorded_by=actor
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def segment_decision_record(
    *, trust: Trust, actor: User, segment: int, rationale: str, decided_on: datetime.date
) -> SegmentDecision:
    policies.may_record_segment_decision(actor, trust).enforce()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": DECISION_DATE_FUTURE}, code="future")
    decision = SegmentDecision(
        trust=trust, segment=segment, rationale=rationale, decided_on=decided_on, decided_by=actor
    )
    decision.full_clean()
    decision.save()
    return decision
