"""Read the developmental reviews a user may see, and where a trust stands on comply or
explain (its review cycle). Services read the cycle too, so this module imports no service."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from metrics.models import Trust, User
from metrics.selectors import trusts_visible_to

from ..models.developmental_reviews import DevelopmentalReview, ReviewExplanation


def developmental_reviews_visible_to(*, user: User) -> QuerySet[DevelopmentalReview]:
    return (
        DevelopmentalReview.objects.filter(trust__in=trusts_visible_to(user=user))
        .select_related("trust", "agreed_by")
        .prefetch_related("kloes", "ratings__kloe")
    )


def developmental_review_get_for_user(*, user: User, pk: int) -> DevelopmentalReview:
    review = developmental_reviews_visible_to(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such developmental review")
    return review


# Comply or explain --------------------------------------------------------------------------


@dataclass
class ReviewCycle:
    """Where a trust stands on its three-yearly developmental review."""

    last_review: DevelopmentalReview | None
    due_on: datetime.date | None
    agreed: bool  # the due date was agreed with NHS Improvement (not the default three years)
    explanation: ReviewExplanation | None  # accepted for the due date now in force

    @property
    def overdue(self) -> bool:
        return (
            self.due_on is not None
            and self.due_on < timezone.localdate()
            and self.explanation is None
        )


def next_due(completed_on, agreed_on) -> datetime.date | None:
    """The next review is due on the agreed date, else three years after completion."""
    if agreed_on:
        return agreed_on
    return completed_on + relativedelta(years=3) if completed_on else None


def review_cycle_for_trust(*, trust: Trust) -> ReviewCycle:
    last = (
        DevelopmentalReview.objects.filter(trust=trust, completed_on__isnull=False)
        .order_by("-completed_on", "-id")
        .first()
    )
    due_on = next_due(last.completed_on, last.agreed_next_due_on) if last else None
    explanation = None
    if due_on:
        explanation = (
            ReviewExplanation.objects.filter(trust=trust, covers_due_on=due_on)
            .select_related("accepted_by")
            .first()
        )
    return ReviewCycle(last, due_on, bool(last and last.agreed_next_due_on), explanation)
