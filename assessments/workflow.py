"""The assessment workflow: which action moves which state, who may take it, and its checks.

This table is the one place the transitions live; who may take each action is the policy
it names (assessments/policies.py). Pages, the API and the home to-do list ask
`actions_for` which actions to offer and call `assessment_transition` to act; all refuse
with the policy's message. After each move, `transition_followups` asks the subject packages
for what follows it; they never import this module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.policies import Decision
from metrics.models import User

from . import policies
from .cqc_review.selectors import (
    quality_ratings_get,
    rating_key,
    rating_title,
    ratings_changed_by_cqc,
    rationale_revised,
)
from .cqc_review.trust_record import quality_ratings_to_trust_record
from .factual_accuracy.closing import fa_closable, fa_close_followup
from .factual_accuracy.services import fa_deadline_start
from .models import Assessment, AssessmentTransition, Evidence, KloeRating, Status
from .notifications import events_after, notify_on_commit
from .publication.services import rating_publish
from .reports.services import final_report_publish, report_request

UNKNOWN_ACTION = "There is no action called {action!r}."
WRONG_STATE = "{label} cannot be done now: the assessment is at “{status}”."
NOTE_REQUIRED = "Give your reasons in the note."
COMMENTARY_STILL_OPEN = (
    "The trust has not submitted its commentary and the deadline ({deadline:%d %B %Y}) "
    "has not passed."
)
COMMENTARY_MISSING = "Write commentary for every KLOE before submitting. Missing: {kloes}."
RATING_MISSING = "Propose a rating with a rationale for: {kloes}."
VISIT_NOT_HELD = (
    "The site visit is on {date:%-d %B %Y}: the rating goes to QA after the team has been there."
)
EVIDENCE_MISSING = "Record at least one piece of evidence for: {kloes}."
DRAFT_NOT_RENDERED = "Render the draft report before sharing it with the trust."
EMBARGOED = "The final report is under embargo until {day:%-d %B %Y}: publish it on that day."
FINAL_NOT_RENDERED = (
    "The final report is not ready yet: publish once it has rendered (see Reports)."
)
AGREED_RATING_MISSING = "Give the agreed rating for: {kloes}."
CQC_REASONS_MISSING = "Give CQC's reasons for each rating it changed. Missing for: {kloes}."
RATIONALE_NOT_REVISED = "The lead assessor has not yet revised the rationale of: {kloes}."
FINAL_INPUTS_MISSING = "Before finalising, record: {missing}."
QUALITY_MISSING = (
    "the quality ratings (safe, effective, caring, responsive, well-led and overall quality)"
)
COMBINED_MISSING = "the combined rating of quality and use of resources"
PUBLICATION_DATE_MISSING = "the publication date"
PUBLICATION_DATE_PAST = "The publication date cannot be in the past."


class TransitionRefused(ValidationError):
    """The action is not possible now (wrong state, or a check failed)."""


class TransitionForbidden(PermissionDenied):
    """The action's policy does not allow this actor to take it."""


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    allowed: Callable[[User, Assessment], Decision]  # the policy predicate
    checks: Callable[..., list[str]] = field(default=lambda assessment, note, data: [])
    needs_note: bool = False
    # Where the move goes when it depends on the data (agree_rating: revision or finalised).
    route: Callable[[Assessment, dict], str] | None = None


def _kloe_titles(kloes) -> str:
    return ", ".join(kloe.title for kloe in kloes)


def _commentary_closable(assessment, note, data) -> list[str]:
    if assessment.commentary_submitted_at or timezone.localdate() > assessment.commentary_deadline:
        return []
    return [COMMENTARY_STILL_OPEN.format(deadline=assessment.commentary_deadline)]


def _commentary_complete(assessment, note, data) -> list[str]:
    written = set(assessment.commentaries.exclude(text="").values_list("kloe_id", flat=True))
    missing = [kloe for kloe in assessment.framework.kloes.all() if kloe.pk not in written]
    return [COMMENTARY_MISSING.format(kloes=_kloe_titles(missing))] if missing else []


def _ratings_complete(assessment, note, data) -> list[str]:
    if not assessment.visit_held():  # the visit was moved after the ratings were proposed
        return [VISIT_NOT_HELD.format(date=assessment.site_visit_date)]
    kloes = list(assessment.framework.kloes.all())
    rated = {
        rating.kloe_id
        for rating in KloeRating.objects.filter(assessment=assessment).exclude(rationale="")
    }
    problems = []
    unrated = [kloe.title for kloe in kloes if kloe.pk not in rated]
    if None not in rated:
        unrated.append("the overall rating")
    if unrated:
        problems.append(RATING_MISSING.format(kloes=", ".join(unrated)))
    with_evidence = set(
        Evidence.objects.current().filter(assessment=assessment).values_list("kloe_id", flat=True)
    )
    without = [kloe for kloe in kloes if kloe.pk not in with_evidence]
    if without:
        problems.append(EVIDENCE_MISSING.format(kloes=_kloe_titles(without)))
    return problems


def _draft_rendered(assessment, note, data) -> list[str]:
    return [] if assessment.has_ready_draft() else [DRAFT_NOT_RENDERED]


def _final_rendered(assessment, note, data) -> list[str]:
    """Publishing marks the final version it publishes, so one must be ready; and the trust
    holds it under embargo until the publication date, so not before that day."""
    problems = []
    if not assessment.reports.filter(kind="final", status="ready").exists():
        problems.append(FINAL_NOT_RENDERED)
    if assessment.publication_date and timezone.localdate() < assessment.publication_date:
        problems.append(EMBARGOED.format(day=assessment.publication_date))
    return problems


def _agreed_ratings_given(assessment, note, data) -> list[str]:
    agreed = (data or {}).get("agreed_ratings") or {}
    kloes = list(assessment.framework.kloes.all())
    missing = [kloe.title for kloe in kloes if str(kloe.code) not in agreed]
    if "overall" not in agreed:
        missing.append("the overall rating")
    return [AGREED_RATING_MISSING.format(kloes=", ".join(missing))] if missing else []


def _agreed_changes(assessment, data) -> list[KloeRating]:
    """The ratings the agreed ratings in `data` change (before they are stored)."""
    agreed = (data or {}).get("agreed_ratings") or {}
    return [
        rating
        for rating in KloeRating.objects.filter(assessment=assessment).select_related("kloe")
        if rating_key(rating) in agreed and int(agreed[rating_key(rating)]) != rating.rating
    ]


def _final_inputs(assessment, note, data) -> list[str]:
    """What the final report needs besides the ratings: CQC's quality ratings, the combined
    rating, and the publication date (today or later)."""
    missing, problems = [], []
    if quality_ratings_get(assessment) is None:
        missing += [QUALITY_MISSING, COMBINED_MISSING]
    published_on = (data or {}).get("publication_date")
    if not published_on:
        missing.append(PUBLICATION_DATE_MISSING)
    elif published_on < timezone.localdate():
        problems.append(PUBLICATION_DATE_PAST)
    if missing:
        problems.insert(0, FINAL_INPUTS_MISSING.format(missing="; ".join(missing)))
    return problems


def _agreement_complete(assessment, note, data) -> list[str]:
    """Every rating agreed; CQC's reasons for each it changed; if it changed none, what
    finalising needs (a change goes to the rationale revision first)."""
    problems = _agreed_ratings_given(assessment, note, data)
    if problems:
        return problems
    reasons = (data or {}).get("cqc_reasons") or {}
    changed = _agreed_changes(assessment, data)
    unreasoned = [
        rating_title(r) for r in changed if not str(reasons.get(rating_key(r)) or "").strip()
    ]
    if unreasoned:
        return [CQC_REASONS_MISSING.format(kloes=", ".join(unreasoned))]
    return [] if changed else _final_inputs(assessment, note, data)


def _after_agreement(assessment, data) -> str:
    return Status.REVISION if _agreed_changes(assessment, data) else Status.FINALISED


def _revision_complete(assessment, note, data) -> list[str]:
    """Each changed rating has CQC's reasons and a revised rationale; then the final inputs."""
    changed = ratings_changed_by_cqc(assessment)
    problems = []
    if unreasoned := [rating_title(r) for r in changed if not r.cqc_reasons.strip()]:
        problems.append(CQC_REASONS_MISSING.format(kloes=", ".join(unreasoned)))
    if unrevised := [rating_title(r) for r in changed if not rationale_revised(r)]:
        problems.append(RATIONALE_NOT_REVISED.format(kloes=", ".join(unrevised)))
    return problems + _final_inputs(assessment, note, data)


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action(
            "close_commentary",
            "Close commentary",
            (Status.SCHEDULED,),
            Status.EVIDENCE,
            policies.may_close_commentary,
            _commentary_closable,
        ),
        Action(
            "submit_commentary",
            "Submit commentary",
            (Status.SCHEDULED,),
            Status.EVIDENCE,
            policies.may_submit_commentary,
            _commentary_complete,
        ),
        Action(
            "propose_rating",
            "Propose the rating for QA",
            (Status.EVIDENCE,),
            Status.QA_REVIEW,
            policies.may_send_rating_to_qa,
            _ratings_complete,
        ),
        Action(
            "ratify",
            "Ratify the rating",
            (Status.QA_REVIEW,),
            Status.DRAFT_REPORT,
            policies.may_ratify,
        ),
        Action(
            "return",
            "Return to the assessors",
            (Status.QA_REVIEW,),
            Status.EVIDENCE,
            policies.may_return_to_team,
            needs_note=True,
        ),
        Action(
            "share_draft",
            "Share the draft report",
            (Status.DRAFT_REPORT,),
            Status.FACTUAL_ACCURACY,
            policies.may_share_draft,
            _draft_rendered,
        ),
        Action(
            "close_factual_accuracy",
            "Close the factual-accuracy check",
            (Status.FACTUAL_ACCURACY,),
            Status.CQC_REVIEW,
            policies.may_close_factual_accuracy,
            fa_closable,
        ),
        Action(
            "accept_rating",
            "Accept the rating",
            (Status.CQC_REVIEW,),
            Status.FINALISED,
            policies.may_accept_rating,
            _final_inputs,
        ),
        Action(
            "dispute_rating",
            "Dispute the rating",
            (Status.CQC_REVIEW,),
            Status.DISPUTE,
            policies.may_dispute_rating,
            needs_note=True,
        ),
        Action(
            "agree_rating",
            "Record the agreed rating",
            (Status.DISPUTE,),
            Status.FINALISED,
            policies.may_agree_rating,
            _agreement_complete,
            route=_after_agreement,
        ),
        Action(
            "confirm_revision",
            "Confirm the revised text and finalise",
            (Status.REVISION,),
            Status.FINALISED,
            policies.may_confirm_revision,
            _revision_complete,
        ),
        Action(
            "publish",
            "Publish",
            (Status.FINALISED,),
            Status.PUBLISHED,
            policies.may_publish,
            _final_rendered,
        ),
    ]
}


def may_take(user: User, assessment: Assessment, action: Action) -> bool:
    """Whether `action` starts from the current state and its policy lets `user` take it."""
    return assessment.status in action.sources and bool(action.allowed(user, assessment))


def actions_for(*, user: User, assessment: Assessment) -> list[Action]:
    """The actions `user` may take on `assessment` in its current state (checks not run)."""
    return [action for action in ACTIONS.values() if may_take(user, assessment, action)]


def transition_problems(
    *, assessment: Assessment, action: str, note: str = "", data: dict | None = None
) -> list[str]:
    """What stands in the way of `action` now (its checks, its note), without taking it: a
    check page asks before it shows what the person is about to confirm."""
    spec = ACTIONS[action]
    problems = spec.checks(assessment, note, data)
    if spec.needs_note and not note.strip():
        problems.append(NOTE_REQUIRED)
    return problems


@transaction.atomic
def assessment_transition(
    *, assessment: Assessment, action: str, actor: User, note: str = "", data: dict | None = None
) -> Assessment:
    """Take `action`: check state, actor and the action's conditions, then move and log it."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise TransitionRefused(UNKNOWN_ACTION.format(action=action), code="unknown_action")
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status not in spec.sources:
        raise TransitionRefused(
            WRONG_STATE.format(label=spec.label, status=locked.get_status_display()),
            code="wrong_state",
        )
    decision = spec.allowed(actor, locked)
    if not decision:
        raise TransitionForbidden(decision.message)
    if problems := transition_problems(assessment=locked, action=action, note=note, data=data):
        raise TransitionRefused(problems, code="checks_failed")

    now = timezone.now()
    target = spec.route(locked, data) if spec.route else spec.target
    if action == "submit_commentary":
        locked.commentary_submitted_at = now
    if action == "agree_rating":
        _store_agreed_ratings(locked, data["agreed_ratings"], data.get("cqc_reasons") or {})
    if target == Status.FINALISED:
        locked.publication_date = data["publication_date"]
    from_status = locked.status
    locked.status, locked.status_changed_at = target, now
    locked.save(
        update_fields=[
            "status",
            "status_changed_at",
            "commentary_submitted_at",
            "publication_date",
        ]
    )
    AssessmentTransition.objects.create(
        assessment=locked,
        action=action,
        from_status=from_status,
        to_status=target,
        actor=actor,
        note=note.strip(),
        at=now,
    )
    transition_followups(assessment=locked, action=action, actor=actor, now=now)
    for event in events_after(action, target):
        notify_on_commit(event, locked, note=note.strip(), actor=actor)
    return locked


def _store_agreed_ratings(assessment: Assessment, agreed: dict, reasons: dict) -> None:
    """CQC's agreed rating for each KLOE and overall, with its reasons where it changed one."""
    for rating in KloeRating.objects.filter(assessment=assessment).select_related("kloe"):
        key = rating_key(rating)
        rating.agreed_rating = int(agreed[key])
        changed = rating.agreed_rating != rating.rating
        rating.cqc_reasons = str(reasons.get(key) or "").strip() if changed else ""
        rating.save(update_fields=["agreed_rating", "cqc_reasons"])


def transition_followups(*, assessment: Assessment, action: str, actor: User, now) -> None:
    """What follows a move, inside its transaction: the challenge deadline on sharing, the
    final report on finalising, the register row and the published report version on
    publishing. (The notifications follow in assessment_transition, with the note.)"""
    if action == "share_draft":
        fa_deadline_start(assessment=assessment, actor=actor, now=now)
    if action == "close_factual_accuracy":
        fa_close_followup(assessment=assessment, now=now)
    if assessment.status == Status.FINALISED:
        quality_ratings_to_trust_record(assessment=assessment, actor=actor)
        # NOTE: rendered once, here: finalising has checked everything the report needs.
        report_request(assessment=assessment, user=actor)
    if action == "publish":
        rating_publish(assessment=assessment, actor=actor, now=now)
        final_report_publish(assessment=assessment, now=now)
