"""Closing the factual-accuracy check: the trust's word that it has no more challenges, and
the rule that the lead closes the check before the trust's deadline only with that word or
a recorded reason (the trust is told either way).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from assessments import policies
from assessments.deadlines import fa_deadline_current
from assessments.models import Assessment
from assessments.notifications import notify_on_commit
from metrics.models import User

from .models import NoMoreChallenges
from .services import challenges_settled

EARLY_CLOSE_REASON = (
    "The trust can raise challenges until {deadline:%d %B %Y} and has not confirmed that it "
    "has no more: give your reason for closing the check early. The trust is told."
)


def closes_early(assessment: Assessment, today: datetime.date | None = None) -> bool:
    """Whether closing now would cut short the trust's time for challenges."""
    current = fa_deadline_current(assessment)
    return current is not None and (today or timezone.localdate()) <= current.deadline


def trust_confirmed(assessment: Assessment) -> NoMoreChallenges | None:
    return NoMoreChallenges.objects.filter(assessment=assessment).first()


def early_close_needs_reason(assessment: Assessment) -> bool:
    return closes_early(assessment) and trust_confirmed(assessment) is None


def fa_closable(assessment: Assessment, note: str, data) -> list[str]:
    """The workflow's check before close_factual_accuracy: every challenge settled, and a
    reason when the check closes early without the trust's confirmation."""
    problems = challenges_settled(assessment, note, data)
    if early_close_needs_reason(assessment) and not note.strip():
        problems.append(
            EARLY_CLOSE_REASON.format(deadline=fa_deadline_current(assessment).deadline)
        )
    return problems


def fa_close_followup(*, assessment: Assessment, now: datetime.datetime) -> None:
    """Tell the trust when the lead cut its time for challenges short (not when the trust
    itself said it had no more)."""
    if closes_early(assessment, timezone.localdate(now)) and trust_confirmed(assessment) is None:
        notify_on_commit("fa_closed_early", assessment)


@transaction.atomic
def no_more_challenges_confirm(*, assessment: Assessment, actor: User) -> NoMoreChallenges:
    """Record the trust's word that it has no more challenges; the team is told."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    policies.may_confirm_no_more_challenges(actor, locked).enforce()
    confirmation = NoMoreChallenges.objects.create(assessment=locked, confirmed_by=actor)
    notify_on_commit("no_more_challenges", locked)
    return confirmation
