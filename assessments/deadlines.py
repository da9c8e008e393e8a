"""The deadlines after the draft: for factual-accuracy challenges and for a review request.

Policies (who may raise a challenge, ask for a review) and services both read them, so they
live below both: this module imports only models and working days.
"""

import datetime

from django.utils import timezone

from .models import Assessment, FactualAccuracyDeadline, Status
from .working_days import working_days_after

FA_WORKING_DAYS = 10  # "ten working days" from the day the draft is shared
REVIEW_WORKING_DAYS = 15  # a review request within 15 working days of publication


def fa_deadline_current(assessment: Assessment) -> FactualAccuracyDeadline | None:
    return assessment.fa_deadlines.order_by("-set_at", "-id").first()


def challenges_open(assessment: Assessment, today: datetime.date | None = None) -> bool:
    """Whether the trust may still raise challenges: the check is on and the deadline not past."""
    if assessment.status != Status.FACTUAL_ACCURACY:
        return False
    current = fa_deadline_current(assessment)
    return current is None or (today or timezone.localdate()) <= current.deadline


def review_deadline(assessment: Assessment) -> datetime.date | None:
    """The last day to ask for a review: 15 working days from the first publication."""
    first = assessment.published_ratings.order_by("version").first()
    if first is None:
        return None
    return working_days_after(timezone.localdate(first.published_at), REVIEW_WORKING_DAYS)
