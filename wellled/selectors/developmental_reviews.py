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
from ..models.self_reviews import SelfReview, SelfReviewEntry


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


# The board's self-rating beside the facilitator's -------------------------------------------


@dataclass
class RatingComparison:
    """One KLOE: the facilitator's rating (CQC's scale) and the board's priority, read on the
    same scale through its scheme's `comparable_rating` mapping."""

    kloe: object
    facilitator: int | None
    board_level: object | None  # the PriorityLevel the board chose

    @property
    def board(self) -> int | None:
        return self.board_level.comparable_rating if self.board_level else None

    @property
    def verdict(self) -> str:
        if self.facilitator is None or self.board_level is None:
            return "Not rated by both"
        if self.board is None:
            return "The board's scheme maps this priority to no rating"
        if self.facilitator == self.board:
            return "The same"
        if self.facilitator > self.board:
            return "The facilitator rates it lower than the board"
        return "The facilitator rates it higher than the board"


def ratings_compared(*, review: DevelopmentalReview) -> tuple[object | None, list]:
    """The trust's latest signed-off self-review (on or before the review's completion) and,
    for each KLOE the review covers or rates, the two ratings on one scale."""
    board = SelfReview.objects.filter(trust=review.trust, status=SelfReview.Status.SIGNED_OFF)
    if review.completed_on:
        board = board.filter(signed_off_on__lte=review.completed_on)
    board = board.order_by("-signed_off_on", "-id").first()
    entries = {}
    if board is not None:
        entries = {
            entry.kloe_id: entry.priority
            for entry in SelfReviewEntry.objects.filter(review=board).select_related("priority")
        }
    rated = {rating.kloe_id: rating.rating for rating in review.ratings.all()}
    kloes = sorted(
        {
            kloe.pk: kloe for kloe in [*review.kloes.all(), *(r.kloe for r in review.ratings.all())]
        }.values(),
        key=lambda kloe: kloe.number,
    )
    return board, [
        RatingComparison(kloe, rated.get(kloe.pk), entries.get(kloe.pk)) for kloe in kloes
    ]
