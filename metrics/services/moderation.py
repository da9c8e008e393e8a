"""NHS Improvement decides the moderation the rules propose for a trust's finance score.

The 2019/20 framework (para 41) says the overall figure "may be moderated down": the refresh
proposes (metrics.services.finance_scores), a person decides here. A decision confirms the
proposal or sets another score 1-4 with a reason; it is kept with who and when, and a later
decision for the same month is added beside it, never written over it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from metrics.models import FinanceScore, ModerationDecision, Trust, User
from metrics.policies import may_decide_moderation

CONFIRM = "confirm"
SET_ANOTHER = "set"

NO_SUCH_SCORE = "There is no finance score for {trust} in {month}."
REASON_REQUIRED = "Enter the reason for setting a score other than the proposal"
SCORE_REQUIRED = "Choose the finance score to set"
SAME_AS_PROPOSAL = (
    "The proposal is already {proposed}: choose a different score, or confirm the proposal"
)
PROPOSAL_MOVED = (
    "The proposal for this month changed while you were deciding (a load recomputed it). "
    "Read the proposal as it stands now and decide again."
)


def _score_locked(*, trust: Trust, period: datetime.date) -> FinanceScore:
    """The month's score row, locked until the decision commits.

    NOTE: a refresh replaces a month's rows (delete, then insert). Waiting on a row the
    refresh deleted finds nothing; the second read sees the row it wrote instead.
    """
    rows = FinanceScore.objects.select_for_update().filter(trust=trust, period=period)
    score = rows.first() or rows.first()
    if score is None:
        month = f"{period:%B %Y}"
        raise ValidationError(NO_SUCH_SCORE.format(trust=trust.name, month=month), code="none")
    return score


@transaction.atomic
def moderation_decide(
    *,
    actor: User,
    trust: Trust,
    period: datetime.date,
    outcome: str,
    proposal_seen: str,
    score: int | None = None,
    reason: str = "",
) -> ModerationDecision:
    """Record `actor`'s decision on the month's proposed moderation and show its score.

    `outcome` is CONFIRM (the proposed score stands) or SET_ANOTHER (`score`, with a
    `reason`). `proposal_seen` is the proposal the person read (`FinanceScore.proposal_token`):
    a proposal recomputed in between is refused, so nobody confirms what they did not see.
    """
    may_decide_moderation(actor).enforce()
    finance_score = _score_locked(trust=trust, period=period)
    may_decide_moderation(actor, finance_score).enforce()
    if proposal_seen != finance_score.proposal_token:
        raise ValidationError(PROPOSAL_MOVED, code="proposal_moved")
    reason = reason.strip()
    if outcome == SET_ANOTHER:
        errors = {}
        if score is None:
            errors["score"] = ValidationError(SCORE_REQUIRED, code="required")
        elif score == finance_score.proposed:
            message = SAME_AS_PROPOSAL.format(proposed=finance_score.proposed)
            errors["score"] = ValidationError(message, code="same")
        if not reason:
            errors["reason"] = ValidationError(REASON_REQUIRED, code="required")
        if errors:
            raise ValidationError(errors)
    else:
        score = finance_score.proposed
    decision = ModerationDecision(
        trust=trust,
        period=period,
        overall=finance_score.overall,
        proposed=finance_score.proposed,
        proposal_reason=finance_score.moderation,
        score=score,
        reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    FinanceScore.objects.filter(pk=finance_score.pk).update(
        moderated=score, decision=decision, proposal_changed=False
    )
    return decision
