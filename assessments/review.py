"""From the shared draft to the published rating: factual-accuracy challenges and their
deadline, CQC's discussion and combined rating, publication, and the trust's review request.

Every write here enforces its policy (assessments/policies.py), which the pages and the API
ask too, so all three refuse with the same messages. Workflow moves stay in workflow.py, which calls
`transition_followups` after each one.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from core.ratings import Rating
from core.uploads import upload_check, upload_store
from metrics.models import User

from . import policies
from .deadlines import FA_WORKING_DAYS, fa_deadline_current
from .models import (
    Assessment,
    Attachment,
    Challenge,
    DiscussionMessage,
    Evidence,
    FactualAccuracyDeadline,
    KloeRating,
    PublishedRating,
    QualityRatings,
    ReviewRequest,
    Status,
)
from .reports.services import report_request
from .working_days import working_days_after, working_days_between

REVIEW_MAX_WORDS = 500

# Messages --------------------------------------------------------------------------------

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
MESSAGE_REQUIRED = "Write a message."
OVERRIDE_REASON_REQUIRED = (
    "Give the reason for setting a combined rating other than the one proposed."
)
REVIEW_TOO_LONG = "The grounds must be at most 500 words; they have {words}."
REVIEW_EMPTY = "Give the grounds: what in the assessment process was not followed."
NEW_RATING_REQUIRED = "Choose the changed rating."
DECISION_NOTE_REQUIRED = "Give the reasons for the decision."


# Factual-accuracy deadline ---------------------------------------------------------------


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


# Challenges ------------------------------------------------------------------------------


def challenges_for_user(*, user: User, assessment: Assessment) -> QuerySet[Challenge]:
    """The challenges `user` may see on an assessment they can see (the caller checked).

    The trust sees its own from the shared draft on; NHS Improvement and CQC staff see them
    all. Whether the trust sees an answer is `answer_visible`'s business.
    """
    challenges = assessment.challenges.select_related(
        "raised_by", "answered_by", "signed_off_by", "evidence", "evidence__kloe"
    ).prefetch_related("attachments")
    if not policies.may_see_internal(user, assessment):
        return challenges.none()
    return challenges


def challenge_get_for_user(*, user: User, assessment: Assessment, pk: int) -> Challenge:
    challenge = challenges_for_user(user=user, assessment=assessment).filter(pk=pk).first()
    if challenge is None:
        raise Http404("No such challenge")
    return challenge


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


# CQC's discussion ------------------------------------------------------------------------


def discussion_for_user(*, user: User, assessment: Assessment) -> QuerySet[DiscussionMessage]:
    if not policies.may_read_discussion(user, assessment):
        return DiscussionMessage.objects.none()
    return assessment.discussion.select_related("author")


@transaction.atomic
def discussion_post(*, assessment: Assessment, actor: User, text: str) -> DiscussionMessage:
    policies.may_post_discussion(actor, assessment).enforce()
    if not text.strip():
        raise ValidationError({"text": MESSAGE_REQUIRED})
    return DiscussionMessage.objects.create(assessment=assessment, author=actor, text=text.strip())


# The combined rating ---------------------------------------------------------------------

PRINCIPLE_OUTSTANDING = "At least two ratings are outstanding and the rest are good"
PRINCIPLE_INADEQUATE = "Two or more ratings are inadequate"
PRINCIPLE_ONE_INADEQUATE = "One rating is inadequate: limited to requires improvement"
PRINCIPLE_THREE_RI = "Three or more ratings are requires improvement"
PRINCIPLE_GOOD = "None of the other principles applies: good"


@dataclass(frozen=True)
class CombinedProposal:
    rating: int
    principle: str


def combined_rating_propose(ratings: list[int]) -> CombinedProposal:
    """CQC's aggregation of the five key questions and Use of Resources, equally weighted.

    Checked in this order: two or more inadequate → inadequate; one inadequate → requires
    improvement; three or more requires improvement → requires improvement (CQC raised the
    usual two to three for this six-rating combination); at least two outstanding and the
    rest good → outstanding; otherwise good.
    """
    if len(ratings) != 6 or any(r not in Rating.values for r in ratings):
        raise ValueError("Give six ratings from 1 (outstanding) to 4 (inadequate).")
    count = Counter(ratings)
    if count[Rating.INADEQUATE] >= 2:
        return CombinedProposal(Rating.INADEQUATE, PRINCIPLE_INADEQUATE)
    if count[Rating.INADEQUATE] == 1:
        return CombinedProposal(Rating.REQUIRES_IMPROVEMENT, PRINCIPLE_ONE_INADEQUATE)
    if count[Rating.REQUIRES_IMPROVEMENT] >= 3:
        return CombinedProposal(Rating.REQUIRES_IMPROVEMENT, PRINCIPLE_THREE_RI)
    if count[Rating.OUTSTANDING] >= 2 and count[Rating.OUTSTANDING] + count[Rating.GOOD] == 6:
        return CombinedProposal(Rating.OUTSTANDING, PRINCIPLE_OUTSTANDING)
    return CombinedProposal(Rating.GOOD, PRINCIPLE_GOOD)


QUALITY_FIELDS = ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")


def uor_rating(assessment: Assessment) -> int | None:
    """The UoR overall rating: CQC's agreed rating where it set one, else the proposed one."""
    overall = KloeRating.objects.filter(assessment=assessment, kloe__isnull=True).first()
    if overall is None:
        return None
    return overall.agreed_rating or overall.rating


@transaction.atomic
def quality_ratings_record(
    *,
    assessment: Assessment,
    actor: User,
    ratings: dict,
    combined: int | None = None,
    override_reason: str = "",
) -> QualityRatings:
    """Record the five key questions and overall quality (each with its date), propose the
    combined rating from them and the UoR rating, and keep CQC's choice and any reason."""
    policies.may_record_quality(actor, assessment).enforce()
    five = [int(ratings[name]) for name in QUALITY_FIELDS[:5]]
    proposal = combined_rating_propose([*five, uor_rating(assessment) or Rating.GOOD])
    chosen = combined or proposal.rating
    if chosen != proposal.rating and not override_reason.strip():
        raise ValidationError({"override_reason": OVERRIDE_REASON_REQUIRED})
    values = {
        **{name: int(ratings[name]) for name in QUALITY_FIELDS},
        **{f"{name}_date": ratings[f"{name}_date"] for name in QUALITY_FIELDS},
        "proposed_combined": proposal.rating,
        "principle": proposal.principle,
        "combined": chosen,
        "override_reason": override_reason.strip() if chosen != proposal.rating else "",
        "recorded_by": actor,
    }
    record, _ = QualityRatings.objects.update_or_create(assessment=assessment, defaults=values)
    return record


# After each workflow move ----------------------------------------------------------------

NOTIFY_AFTER = {
    "submit_commentary": "commentary_submitted",
    "propose_rating": "rating_proposed",
    "share_draft": "draft_shared",
    "close_factual_accuracy": "review_ready",
    "publish": "published",
}


def transition_followups(*, assessment: Assessment, action: str, actor: User, now) -> None:
    """What follows a move, inside its transaction: the challenge deadline on sharing, the
    final report on finalising, the register row on publishing, and the e-mails."""
    if action == "share_draft":
        shared_on = timezone.localdate(now)
        FactualAccuracyDeadline.objects.create(
            assessment=assessment,
            deadline=working_days_after(shared_on, FA_WORKING_DAYS),
            reason="Ten working days from the day the draft was shared.",
            set_by=actor,
        )
    if action in ("accept_rating", "agree_rating"):
        report_request(assessment=assessment, user=actor)
    if action == "publish" and uor_rating(assessment) is not None:
        PublishedRating.objects.create(
            assessment=assessment,
            version=1,
            rating=uor_rating(assessment),
            combined=getattr(_quality(assessment), "combined", None),
            published_by=actor,
            published_at=now,
        )
    if action in NOTIFY_AFTER:
        notify_on_commit(NOTIFY_AFTER[action], assessment)


def _quality(assessment: Assessment) -> QualityRatings | None:
    return QualityRatings.objects.filter(assessment=assessment).first()


def notify_on_commit(event: str, assessment: Assessment) -> None:
    from .tasks import notify_task

    transaction.on_commit(lambda: notify_task.delay(event, assessment.pk))


# The published register and review requests ---------------------------------------------


def published_ratings() -> QuerySet[PublishedRating]:
    """The current version of each published rating: public information."""
    latest = {}
    for pk, assessment_id in PublishedRating.objects.order_by(
        "assessment_id", "-version"
    ).values_list("pk", "assessment_id"):
        latest.setdefault(assessment_id, pk)
    return PublishedRating.objects.filter(pk__in=latest.values()).select_related(
        "assessment__trust", "assessment__framework"
    )


@transaction.atomic
def review_request_create(*, assessment: Assessment, actor: User, grounds: str) -> ReviewRequest:
    policies.may_request_review(actor, assessment).enforce()
    words = len(grounds.split())
    if not words:
        raise ValidationError({"grounds": REVIEW_EMPTY})
    if words > REVIEW_MAX_WORDS:
        raise ValidationError({"grounds": REVIEW_TOO_LONG.format(words=words)})
    return ReviewRequest.objects.create(
        assessment=assessment, grounds=grounds.strip(), requested_by=actor
    )


@transaction.atomic
def review_request_decide(
    *, review: ReviewRequest, actor: User, decision: str, note: str, new_rating: int | None = None
) -> ReviewRequest:
    """CQC's decision; a changed rating is published as a new version, the old one kept."""
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
    current.save()
    return current


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
