"""Reads that pages and the API share. Who may see which trust is decided here only."""

import datetime
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import F, QuerySet
from django.http import Http404

from metrics.models import (
    DataLoad,
    FinanceScore,
    MetricDefinition,
    MetricValue,
    Notification,
    SecurityEvent,
    Trust,
    User,
)
from metrics.models.values import MetricArea
from metrics.policies import may_see_every_trust
from metrics.services.benchmarks import CHANGE_MONTHS, benchmarks_compute


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


# --- The metrics pack -------------------------------------------------------------------

PACK_MONTHS = 13  # the month and the 12 before it: enough for a 12-month change


@dataclass
class PackMetric:
    """One metric of the pack: the trust's value, benchmarks, trend and chart data."""

    definition: MetricDefinition
    value: float | None = None
    benchmark: dict = field(default_factory=dict)  # a row of benchmarks_compute, or {}
    bars: list[tuple[str, float, bool]] = field(default_factory=list)  # (label, value, this)
    # (month, the trust's value, national median, median of the trust's peers)
    trend: list[tuple[str, float | None, float | None, float | None]] = field(default_factory=list)

    @property
    def changes(self) -> list[tuple[int, float | None, str]]:
        return [
            (n, self.benchmark.get(f"change_{n}m"), self.benchmark.get(f"trend_{n}m", ""))
            for n in CHANGE_MONTHS
        ]


@dataclass
class MetricsPack:
    trust: Trust
    period: datetime.date | None
    periods: list[datetime.date]
    areas: list[tuple[str, list[PackMetric]]]
    finance_score: FinanceScore | None


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _na(value):
    return None if value is None or pd.isna(value) else value


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


def metrics_pack_get(
    *,
    user: User | None,
    trust: Trust,
    period: datetime.date | None = None,
    periods: list[datetime.date] | None = None,
) -> MetricsPack:
    """The metrics pack of `trust` for `period` (default: its latest month with values).

    A fixed number of queries whatever the number of trusts: the trust's months, the
    definitions, every trust's values for 13 months, the trusts' types and the score.
    Other trusts are named only to staff; a trust user sees them as "Another trust", and so
    does a report (`user` None), which may be read by anyone once published.
    """
    if periods is None:
        periods = metric_periods_for_trust(trust=trust)
    period = period or (periods[0] if periods else None)
    definitions = [d for d in MetricDefinition.objects.all() if not d.is_flag]
    areas: dict[str, list[PackMetric]] = {label: [] for _, label in MetricArea.choices}
    pack_metrics = {d.pk: PackMetric(definition=d) for d in definitions}
    for definition in definitions:
        areas[definition.get_area_display()].append(pack_metrics[definition.pk])
    finance_score = None
    if period is not None:
        values = pd.DataFrame(
            list(
                MetricValue.objects.filter(
                    metric_id__in=list(pack_metrics),
                    period__gte=_month_start(period, PACK_MONTHS - 1),
                    period__lte=period,
                ).values_list("trust_id", "metric_id", "period", "value")
            ),
            columns=["trust_id", "metric_id", "period", "value"],
        )
        trusts = pd.DataFrame(
            list(Trust.objects.values_list("pk", "ods_code", "trust_type")),
            columns=["trust_id", "ods_code", "trust_type"],
        ).set_index("trust_id")
        _pack_fill(
            pack_metrics=pack_metrics,
            values=values,
            trusts=trusts,
            trust=trust,
            period=period,
            name_others=user is not None and bool(may_see_every_trust(user)),
        )
        finance_score = FinanceScore.objects.filter(trust=trust, period=period).first()
    return MetricsPack(
        trust=trust,
        period=period,
        periods=periods,
        areas=[(label, metrics) for label, metrics in areas.items() if metrics],
        finance_score=finance_score,
    )


def _pack_fill(*, pack_metrics, values, trusts, trust, period, name_others) -> None:
    if values.empty:
        return
    lower_is_better = pd.Series(
        {pk: m.definition.lower_is_better for pk, m in pack_metrics.items()}
    )
    bench = benchmarks_compute(
        values=values, trust_types=trusts["trust_type"], lower_is_better=lower_is_better
    )
    bench["ods_code"] = bench["trust_id"].map(trusts["ods_code"])
    this_month = bench[bench["period"] == period]
    own = bench[bench["trust_id"] == trust.pk]
    # National medians per metric and month, for the trend chart's second line.
    medians = bench.groupby(["metric_id", "period"])["national_median"].first()
    months = [_month_start(period, back) for back in range(PACK_MONTHS - 2, -1, -1)]
    own_rows = own.set_index(["metric_id", "period"])
    for metric_id, rows in this_month.sort_values("value").groupby("metric_id"):
        pack_metric = pack_metrics[metric_id]
        pack_metric.bars = [
            (
                code if (name_others or trust_id == trust.pk) else "Another trust",
                float(value),
                trust_id == trust.pk,
            )
            for trust_id, code, value in rows[["trust_id", "ods_code", "value"]].itertuples(
                index=False
            )
        ]
    for metric_id, pack_metric in pack_metrics.items():
        if (metric_id, period) in own_rows.index:
            row = own_rows.loc[(metric_id, period)]
            pack_metric.benchmark = {key: _na(value) for key, value in row.items()}
            pack_metric.value = float(row["value"])
        pack_metric.trend = [
            (
                f"{month:%b %Y}",
                _na(own_rows["value"].get((metric_id, month))),
                _na(medians.get((metric_id, month))),
                _na(own_rows["peer_median"].get((metric_id, month))),
            )
            for month in months
        ]


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
