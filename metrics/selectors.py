"""Reads that pages and the API share. Who may see which trust is decided here only."""

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404

from metrics.models import (
    CqcQuestion,
    CqcRating,
    DataLoad,
    FinanceScore,
    MetricDefinition,
    MetricValue,
    Notification,
    SecurityEvent,
    Trust,
    User,
)
from metrics.policies import may_see_every_trust


def trusts_visible_to(*, user: User) -> QuerySet[Trust]:
    """Staff see every trust; a trust user sees only their own; anyone else none."""
    if not user.is_authenticated:
        return Trust.objects.none()
    if may_see_every_trust(user):
        return Trust.objects.all()
    return Trust.objects.filter(pk=user.trust_id)


def trust_get_for_user(*, user: User, ods_code: str) -> Trust:
    """The trust, or 404 when it does not exist or the user may not know it exists."""
    trust = trusts_visible_to(user=user).filter(ods_code=ods_code).first()
    if trust is None:
        raise Http404("No such trust")
    return trust


def data_loads_for_admin() -> QuerySet[DataLoad]:
    return DataLoad.objects.select_related("uploaded_by").defer("content")


def security_events_filtered(
    *, kind: str = "", username: str = "", date_from=None, date_to=None
) -> QuerySet[SecurityEvent]:
    events = SecurityEvent.objects.select_related("user")
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username__icontains=username)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events


def metric_definitions_list() -> QuerySet[MetricDefinition]:
    return MetricDefinition.objects.all()


def metric_values_visible_to(*, user: User) -> QuerySet[MetricValue]:
    """Values of the trusts the user may see (selected with their trust and metric)."""
    return MetricValue.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "metric"
    )


def finance_scores_visible_to(*, user: User) -> QuerySet[FinanceScore]:
    """Finance scores of the trusts the user may see, newest month first."""
    return (
        FinanceScore.objects.filter(trust__in=trusts_visible_to(user=user))
        .select_related("trust")
        .order_by("trust__name", "-period")
    )


def finance_score_periods() -> list[datetime.date]:
    """The months that have finance scores, newest first."""
    return list(
        FinanceScore.objects.order_by("-period").values_list("period", flat=True).distinct()
    )


def finance_scores_for_sector(
    *, user: User, period: datetime.date, region: str = "", trust_type: str = "", sort: str = ""
) -> QuerySet[FinanceScore]:
    """Every visible trust's score for one month, filtered and sorted as the sector page asks.

    Sorts: "name" (default), "score" (best first, no score last), "-score" (worst first).
    """
    scores = finance_scores_visible_to(user=user).filter(period=period)
    if region:
        scores = scores.filter(trust__region=region)
    if trust_type:
        scores = scores.filter(trust__trust_type=trust_type)
    orderings = {
        "score": [F("moderated").asc(nulls_last=True), "average", "trust__name"],
        "-score": [F("moderated").desc(nulls_last=True), "-average", "trust__name"],
    }
    return scores.order_by(*orderings.get(sort, ["trust__name"]))


def metric_periods_for_trust(*, trust: Trust) -> list[datetime.date]:
    """The months the trust has any value for, newest first (read along the primary key)."""
    return list(
        MetricValue.objects.filter(trust=trust)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )


def trust_regions() -> list[str]:
    return list(Trust.objects.order_by("region").values_list("region", flat=True).distinct())


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def cqc_ratings_visible_to(*, user: User) -> QuerySet[CqcRating]:
    """CQC's ratings of the trusts the user may see, each question's newest first."""
    return CqcRating.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "recorded_by"
    )


def cqc_rating_latest(question: str, field_name: str = "rating") -> Subquery:
    """A subquery for a trust query (`OuterRef("pk")`): one field of the trust's current
    rating for the question, so a list of trusts reads every rating in its one query."""
    latest = CqcRating.objects.filter(trust=OuterRef("pk"), question=question).order_by(
        "-rated_on", "-id"
    )
    return Subquery(latest.values(field_name)[:1])


@dataclass
class CqcQuestionRatings:
    question: str
    label: str
    current: CqcRating | None
    earlier: list[CqcRating]


def cqc_ratings_for_trust(*, trust: Trust) -> list[CqcQuestionRatings]:
    """Each question with its current rating and the earlier ones, in one query."""
    by_question: dict[str, list[CqcRating]] = {question: [] for question in CqcQuestion.values}
    for rating in CqcRating.objects.filter(trust=trust).select_related("recorded_by"):
        by_question[rating.question].append(rating)
    return [
        CqcQuestionRatings(
            question=question,
            label=CqcQuestion(question).label,
            current=rows[0] if rows else None,
            earlier=rows[1:],
        )
        for question, rows in by_question.items()
    ]
