"""Run the factual-accuracy check: the trust's challenges, the team's answers and their
independent sign-off, and the deadline with its reminders.

Every write enforces its policy (assessments/policies.py), which the pages and the API ask
too, so all three refuse with the same messages.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from assessments import policies
from assessments.deadlines import FA_WORKING_DAYS
from assessments.models import (
    Assessment,
    Attachment,
    Evidence,
    Kloe,
    KloeRating,
    PassageRevision,
)
from assessments.notifications import notify_on_commit
from assessments.services import evidence_revision_record
from assessments.working_days import working_days_after
from core.uploads import upload_check, upload_store
from metrics.models import User

from .models import Challenge, FactualAccuracyDeadline
from .rating_requests import rating_request_in

CHALLENGE_TO_RATING = (
    "This challenge cannot be accepted: trusts can challenge the accuracy and completeness of "
    "the information outlined in the Use of Resources report, but cannot challenge the rating. "
    "The decision on the rating remains legally with CQC. Tell us which facts are wrong or "
    "missing and what they should say instead."
)
CHALLENGE_ASKS_RATING = "Your proposed correction asks for a different rating (“{words}”). "
EVIDENCE_REQUIRED = "Choose the finding the challenge is about."
EVIDENCE_NOT_HERE = "That finding is not part of this assessment."
RATING_REQUIRED = "Choose the rating whose reasons the challenge is about."
RATING_NOT_HERE = "That rating is not part of this assessment."
TARGET_REQUIRED = (
    "Say which passage the challenge is about: a finding, the reasons for a rating or the "
    "summary of findings."
)
OMISSION_WHERE = (
    "Say where the missing information belongs: a KLOE's section (and, if you like, the "
    "finding it follows) or the summary of findings."
)
OMISSION_FINDING_ELSEWHERE = "The finding it follows must be in the section you chose."
PASSAGE_REQUIRED = "Quote the passage you challenge."
RESOLVE_TEXT_REQUIRED = "Write the corrected text of the passage."
RESOLVE_TEXT_UNCHANGED = "The text is the same as before: change it, or say why nothing changes."
RESOLVE_REASON_REQUIRED = "Give the reason why no text changes; the report prints it."
RESOLVE_CHOOSE = "Choose whether the text changes."
RESOLVE_PASSAGE_GONE = "The passage this challenge is about no longer exists."
RESPONSE_REQUIRED = "Write the response the trust will read."
SIGN_OFF_UNANSWERED = "There is no answer to sign off yet."
SIGN_OFF_ALREADY = "This answer is already signed off."
SEND_BACK_REASON_REQUIRED = "Give the reason for sending the answer back; the team reads it."
CHALLENGES_OUTSTANDING = (
    "Every challenge must be answered and signed off first. Outstanding: {numbers}."
)
CHALLENGES_UNRESOLVED = (
    "Every accepted or partly accepted challenge must be resolved first, by a change to its "
    "passage or a reason why no text changes. Unresolved: {numbers}."
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
    target: str = "",
    evidence: Evidence | None = None,
    rating: KloeRating | None = None,
    kloe: Kloe | None = None,
    files: tuple[tuple[str, bytes], ...] = (),
) -> Challenge:
    """Record a trust's challenge to the draft. A challenge to the rating itself is refused.

    The challenge names its passage (`target`: a finding, a rating's reasons or the summary);
    a figure is challenged through the finding or rationale that quotes it. An omission names
    where the missing information belongs instead of quoting a passage. Left empty, `target`
    is the one the named finding, rating or section implies.
    """
    policies.may_raise_challenge(actor, assessment).enforce()
    if about_rating:
        raise ValidationError(CHALLENGE_TO_RATING, code="about_rating")
    if words := rating_request_in(correction):  # judged by the service, whatever was ticked
        message = CHALLENGE_ASKS_RATING.format(words=words) + CHALLENGE_TO_RATING
        raise ValidationError({"correction": ValidationError(message, code="about_rating")})
    target, kloe = _challenge_locate(
        assessment=assessment,
        kind=kind,
        target=target,
        evidence=evidence,
        rating=rating,
        kloe=kloe,
    )
    if kind != Challenge.Kind.OMISSION and not passage.strip():
        raise ValidationError({"passage": PASSAGE_REQUIRED})
    if not section.strip():
        section = _section_label(target=target, evidence=evidence, rating=rating, kloe=kloe)
    for name, content in files:
        upload_check(name=name, content=content)
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    last = assessment.challenges.aggregate(last=Max("number"))["last"] or 0
    challenge = Challenge(
        assessment=assessment,
        number=last + 1,
        kind=kind,
        section=section.strip(),
        target=target,
        passage=passage.strip(),
        correction=correction.strip(),
        reason=reason.strip(),
        evidence=evidence,
        rating=rating,
        kloe=kloe,
        raised_by=actor,
    )
    challenge.full_clean()
    challenge.save()
    for name, content in files:
        _challenge_attachment(challenge, actor, name, content)
    notify_on_commit("challenge_raised", assessment, actor=actor, note=challenge.reason)
    return challenge


def _challenge_locate(
    *,
    assessment: Assessment,
    kind: str,
    target: str,
    evidence: Evidence | None,
    rating: KloeRating | None,
    kloe: Kloe | None,
) -> tuple[str, Kloe | None]:
    """Check that the passage (or, for an omission, the place) is in this assessment and
    return the target with the omission's section."""
    T = Challenge.Target
    if evidence is not None and evidence.assessment_id != assessment.pk:
        raise ValidationError({"evidence": EVIDENCE_NOT_HERE})
    if rating is not None and rating.assessment_id != assessment.pk:
        raise ValidationError({"rating": RATING_NOT_HERE})
    if kind == Challenge.Kind.OMISSION:
        if not target:
            target = T.SECTION if (kloe or evidence) else ""
        if target == T.SECTION:
            kloe = kloe or (evidence.kloe if evidence else None)
            if kloe is None or not assessment.framework.kloes.filter(pk=kloe.pk).exists():
                raise ValidationError({"kloe": OMISSION_WHERE})
            if evidence is not None and evidence.kloe_id != kloe.pk:
                raise ValidationError({"evidence": OMISSION_FINDING_ELSEWHERE})
            return target, kloe
        if target == T.SUMMARY:
            return target, None
        raise ValidationError({"target": OMISSION_WHERE})
    if not target:
        # NOTE: "an inaccurate fact behind a finding" is about a finding unless told otherwise.
        inaccurate = kind == Challenge.Kind.INACCURATE
        target = T.FINDING if evidence or inaccurate else T.RATIONALE if rating else ""
    if target == T.FINDING and evidence is None:
        raise ValidationError({"evidence": EVIDENCE_REQUIRED})
    if target == T.RATIONALE and rating is None:
        raise ValidationError({"rating": RATING_REQUIRED})
    if target not in (T.FINDING, T.RATIONALE, T.SUMMARY):
        raise ValidationError({"target": TARGET_REQUIRED})
    return target, None


def _section_label(*, target, evidence, rating, kloe) -> str:
    """The section of the report a challenge is in, for the lists and the final report."""
    if target == Challenge.Target.SUMMARY:
        return "Summary of findings"
    if target == Challenge.Target.RATIONALE:
        return rating.kloe.title if rating.kloe else "Why the overall rating"
    return (kloe or evidence.kloe).title


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
    notify_on_commit("answers_waiting", challenge.assessment, actor=actor)
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
    notify_on_commit("answers_given", challenge.assessment, actor=actor)
    return current


@transaction.atomic
def challenge_send_back(*, challenge: Challenge, actor: User, reason: str) -> Challenge:
    """The independent reviewer refuses the answer: it goes back to the team with the reason
    (the draft response is kept for the team to rework; the outcome is chosen again)."""
    policies.may_sign_off(actor, challenge.assessment).enforce()
    current = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not current.is_answered:
        raise ValidationError(SIGN_OFF_UNANSWERED, code="unanswered")
    if current.is_signed_off:
        raise ValidationError(SIGN_OFF_ALREADY, code="signed_off")
    if not reason.strip():
        raise ValidationError({"reason": SEND_BACK_REASON_REQUIRED})
    current.outcome, current.sent_back_reason = "", reason.strip()
    current.sent_back_by, current.sent_back_at = actor, timezone.now()
    current.save(update_fields=["outcome", "sent_back_reason", "sent_back_by", "sent_back_at"])
    notify_on_commit("answers_sent_back", challenge.assessment)
    return current


def challenges_settled(assessment, note, data) -> list[str]:
    """The check before close_factual_accuracy: every challenge answered and signed off, and
    every accepted or partly accepted one resolved (its passage changed, or why not)."""
    challenges = assessment.challenges
    outstanding = [
        str(number)
        for number in challenges.filter(signed_off_at__isnull=True).values_list("number", flat=True)
    ]
    unresolved = [
        str(number)
        for number in challenges.filter(outcome__in=Challenge.UPHELD, resolution="").values_list(
            "number", flat=True
        )
    ]
    problems = []
    if outstanding:
        problems.append(CHALLENGES_OUTSTANDING.format(numbers=", ".join(outstanding)))
    if unresolved:
        problems.append(CHALLENGES_UNRESOLVED.format(numbers=", ".join(unresolved)))
    return problems


# Resolving an accepted challenge -----------------------------------------------------------


@transaction.atomic
def challenge_resolve(
    *, challenge: Challenge, actor: User, resolution: str, text: str = "", reason: str = ""
) -> Challenge:
    """Resolve an accepted or partly accepted challenge: change its passage or say why not.

    A change rewrites the passage the report prints (a finding with its evidence history, a
    rationale, the summary; for an omission, a new finding after the named one or text added
    to the summary) and keeps the old and new text as a PassageRevision naming the challenge.
    """
    current = Challenge.objects.select_for_update().get(pk=challenge.pk)
    assessment = current.assessment
    policies.may_resolve_challenge(actor, assessment, current).enforce()
    if resolution == Challenge.Resolution.NO_CHANGE:
        if not reason.strip():
            raise ValidationError({"reason": RESOLVE_REASON_REQUIRED})
        current.resolution_reason = reason.strip()
    elif resolution == Challenge.Resolution.CHANGED:
        if not text.strip():
            raise ValidationError({"text": RESOLVE_TEXT_REQUIRED})
        _passage_change(challenge=current, actor=actor, text=text.strip())
    else:
        raise ValidationError({"resolution": RESOLVE_CHOOSE})
    current.resolution, current.resolved_by, current.resolved_at = resolution, actor, timezone.now()
    current.full_clean()
    current.save(update_fields=["resolution", "resolution_reason", "resolved_by", "resolved_at"])
    return current


def passage_text(challenge: Challenge) -> str:
    """The text of the passage a challenge is about as the report prints it now ("" for an
    omission: the team writes only what is added)."""
    T = Challenge.Target
    if challenge.kind == Challenge.Kind.OMISSION:
        return ""
    if challenge.target == T.FINDING and challenge.evidence:
        return challenge.evidence.text
    if challenge.target == T.RATIONALE and challenge.rating:
        return challenge.rating.rationale
    if challenge.target == T.SUMMARY:
        return challenge.assessment.summary
    return ""


def _passage_change(*, challenge: Challenge, actor: User, text: str) -> None:
    T, P = Challenge.Target, PassageRevision.Passage
    assessment = challenge.assessment
    record = {"assessment": assessment, "challenge": challenge, "revised_by": actor}
    record["reason"] = PassageRevision.Reason.FACTUAL_ACCURACY
    if challenge.kind == Challenge.Kind.OMISSION:
        if challenge.target == T.SECTION:
            added = _finding_insert(challenge=challenge, actor=actor, text=text)
            PassageRevision.objects.create(
                passage=P.FINDING, evidence=added, old_text="", new_text=text, **record
            )
            return
        fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
        old = fresh.summary.strip()
        new = f"{old}\n\n{text}" if old else text
        Assessment.objects.filter(pk=fresh.pk).update(summary=new)
        PassageRevision.objects.create(passage=P.SUMMARY, old_text=old, new_text=new, **record)
        return
    if challenge.target == T.FINDING:
        if challenge.evidence is None:
            raise ValidationError(RESOLVE_PASSAGE_GONE, code="gone")
        evidence = Evidence.objects.select_for_update().get(pk=challenge.evidence_id)
        _unchanged_refused(evidence.text, text)
        evidence_revision_record(evidence=evidence, actor=actor)
        Evidence.objects.filter(pk=evidence.pk).update(
            text=text, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
        )
        PassageRevision.objects.create(
            passage=P.FINDING, evidence=evidence, old_text=evidence.text, new_text=text, **record
        )
    elif challenge.target == T.RATIONALE:
        if challenge.rating is None:
            raise ValidationError(RESOLVE_PASSAGE_GONE, code="gone")
        rating = KloeRating.objects.select_for_update().get(pk=challenge.rating_id)
        _unchanged_refused(rating.rationale, text)
        KloeRating.objects.filter(pk=rating.pk).update(
            rationale=text, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
        )
        PassageRevision.objects.create(
            passage=P.RATIONALE, rating=rating, old_text=rating.rationale, new_text=text, **record
        )
    else:
        fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _unchanged_refused(fresh.summary, text)
        Assessment.objects.filter(pk=fresh.pk).update(summary=text)
        PassageRevision.objects.create(
            passage=P.SUMMARY, old_text=fresh.summary, new_text=text, **record
        )


def _unchanged_refused(old: str, new: str) -> None:
    if old.strip() == new.strip():
        raise ValidationError({"text": RESOLVE_TEXT_UNCHANGED})


def _finding_insert(*, challenge: Challenge, actor: User, text: str) -> Evidence:
    """Add the missing information as a finding in the named section, after the named
    finding when there is one (findings are ordered by when they were recorded)."""
    after = challenge.evidence
    added = Evidence(
        assessment=challenge.assessment,
        kloe=challenge.kloe,
        prompt=after.prompt if after else None,
        source=Evidence.Source.TRUST_SUBMISSION,
        finding=Evidence.Finding.CONTEXT,
        text=text,
        created_by=actor,
        updated_by=actor,
    )
    added.full_clean()
    added.save()
    if after is not None:
        # NOTE: findings sort by (KLOE, created_at, id); a moment after the named finding puts
        # the new one straight after it without a position column on every finding.
        later = after.created_at + datetime.timedelta(microseconds=1)
        Evidence.objects.filter(pk=added.pk).update(created_at=later)
    return added
