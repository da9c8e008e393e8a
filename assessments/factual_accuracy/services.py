"""Run the factual-accuracy check: the trust's challenges, the team's answers and their
independent sign-off, and the deadline with its reminders.

Every write enforces its policy (assessments/policies.py), which the pages and the API ask
too, so all three refuse with the same messages.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments import policies
from assessments.deadlines import FA_WORKING_DAYS, fa_deadline_current
from assessments.models import Assessment, Attachment, Evidence, Status
from assessments.notifications import notify_on_commit
from assessments.working_days import working_days_after, working_days_between
from core.uploads import upload_check, upload_store
from metrics.models import User

from .models import Challenge, FactualAccuracyDeadline

CHALLENGE_TO_RATING = (
    "This challenge cannot be accepted: trusts can challenge the accuracy and completeness of "
    "the information outlined in the Use of Resources report, but cannot challenge the rating. "
    "The decision on the rating remains legally with CQC. Tell us which facts are wrong or "
    "missing and what they should say instead."
)
EVIDENCE_REQUIRED = "Choose the finding whose fact is inaccurate."
EVIDENCE_NOT_HERE = "That finding is not part of this assessment."
RESPONSE_REQUIRED = "Write the response the trust will read."
SIGN_OFF_UNANSWERED = "There is no answer to sign off yet."
SIGN_OFF_ALREADY = "This answer is already signed off."
CHALLENGES_OUTSTANDING = (
    "Every challenge must be answered and signed off first. Outstanding: {numbers}."
)
DEADLINE_REASON_REQUIRED = "Give the reason for changing the deadline; it is recorded."
DEADLINE_BEFORE_SHARE = "The deadline cannot be before the day the draft was shared."


@transaction.atomic
def fa_deadline_set(
    *, assessment: Assessment, actor: User, deadline: datetime.date, reason: str
) -> FactualAccuracyDeadline:
    """Move the deadline for challenges; the change and its reason are kept."""
    policies.may_set_fa_deadline(actor, assessment).enforce()
    if not reason.strip():
        raise ValidationError({"reason": DEADLINE_REASON_REQUIRED})
    first = assessment.fa_deadlines.order_by("set_at", "id").first()
    if first and deadline < timezone.localdate(first.set_at):
        raise ValidationError({"deadline": DEADLINE_BEFORE_SHARE})
    return FactualAccuracyDeadline.objects.create(
        assessment=assessment, deadline=deadline, reason=reason.strip(), set_by=actor
    )


def fa_deadline_start(*, assessment: Assessment, actor: User, now: datetime.datetime):
    """The first deadline, set when the draft is shared: ten working days from that day."""
    return FactualAccuracyDeadline.objects.create(
        assessment=assessment,
        deadline=working_days_after(timezone.localdate(now), FA_WORKING_DAYS),
        reason="Ten working days from the day the draft was shared.",
        set_by=actor,
    )


def fa_deadline_reminders_send(today: datetime.date | None = None) -> int:
    """Queue the "deadline in 3 working days" e-mail for each check whose deadline is
    exactly three working days after `today`; return how many were queued."""
    today = today or timezone.localdate()
    sent = 0
    for assessment in Assessment.objects.filter(status=Status.FACTUAL_ACCURACY):
        current = fa_deadline_current(assessment)
        if current and working_days_between(today, current.deadline) == 3:
            notify_on_commit("fa_deadline_soon", assessment)
            sent += 1
    return sent


# Challenges ------------------------------------------------------------------------------


@transaction.atomic
def challenge_raise(
    *,
    assessment: Assessment,
    actor: User,
    kind: str,
    section: str,
    passage: str,
    correction: str,
    reason: str,
    about_rating: bool = False,
    evidence: Evidence | None = None,
    files: tuple[tuple[str, bytes], ...] = (),
) -> Challenge:
    """Record a trust's challenge to the draft. A challenge to the rating itself is refused."""
    policies.may_raise_challenge(actor, assessment).enforce()
    if about_rating:
        raise ValidationError(CHALLENGE_TO_RATING, code="about_rating")
    if kind == Challenge.Kind.INACCURATE and evidence is None:
        raise ValidationError({"evidence": EVIDENCE_REQUIRED})
    if evidence is not None and evidence.assessment_id != assessment.pk:
        raise ValidationError({"evidence": EVIDENCE_NOT_HERE})
    for name, content in files:
        upload_check(name=name, content=content)
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    last = assessment.challenges.aggregate(last=Max("number"))["last"] or 0
    challenge = Challenge(
        assessment=assessment,
        number=last + 1,
        kind=kind,
        section=section.strip(),
        passage=passage.strip(),
        correction=correction.strip(),
        reason=reason.strip(),
        evidence=evidence,
        raised_by=actor,
    )
    challenge.full_clean()
    challenge.save()
    for name, content in files:
        _challenge_attachment(challenge, actor, name, content)
    notify_on_commit("challenge_raised", assessment)
    return challenge


def _challenge_attachment(challenge: Challenge, actor: User, name: str, content: bytes):
    attachment = Attachment(assessment=challenge.assessment, challenge=challenge)
    return upload_store(attachment=attachment, name=name, content=content, actor=actor)


@transaction.atomic
def challenge_answer(
    *, challenge: Challenge, actor: User, outcome: str, response: str
) -> Challenge:
    """Draft (or redraft) the team's answer; it waits for an independent sign-off."""
    current = Challenge.objects.select_for_update().get(pk=challenge.pk)
    policies.may_answer_challenge(actor, challenge.assessment, current).enforce()
    errors = {}
    if outcome not in Challenge.Outcome.values:
        errors["outcome"] = "Choose accepted, partly accepted or not accepted."
    if not response.strip():
        errors["response"] = RESPONSE_REQUIRED
    if errors:
        raise ValidationError(errors)
    current.outcome, current.response = outcome, response.strip()
    current.answered_by, current.answered_at = actor, timezone.now()
    current.save(update_fields=["outcome", "response", "answered_by", "answered_at"])
    return current


@transaction.atomic
def challenge_sign_off(*, challenge: Challenge, actor: User) -> Challenge:
    """The independent reviewer signs the answer off; the trust can then read it."""
    policies.may_sign_off(actor, challenge.assessment).enforce()
    current = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not current.is_answered:
        raise ValidationError(SIGN_OFF_UNANSWERED, code="unanswered")
    if current.is_signed_off:
        raise ValidationError(SIGN_OFF_ALREADY, code="signed_off")
    current.signed_off_by, current.signed_off_at = actor, timezone.now()
    current.save(update_fields=["signed_off_by", "signed_off_at"])
    notify_on_commit("answers_given", challenge.assessment)
    return current


def challenges_settled(assessment, note, data) -> list[str]:
    """The check before close_factual_accuracy: every challenge answered and signed off."""
    outstanding = [
        str(number)
        for number in assessment.challenges.filter(signed_off_at__isnull=True).values_list(
            "number", flat=True
        )
    ]
    return [CHALLENGES_OUTSTANDING.format(numbers=", ".join(outstanding))] if outstanding else []
