"""The metrics pack: a trust's metrics for a month against the stored benchmarks.

Pages read what loads stored: the trust's own values for 13 months (along the primary key)
and each metric's stored percentiles and ranking (`MetricBenchmark`). Nothing is aggregated
across trusts here, so a pack costs the same whatever the number of trusts; the per-row
rules (quartile, change, trend) are those of `metrics.services.benchmarks`.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import BinaryField, Case, F, Value, When

from metrics.charts import number
from metrics.models import (
    FinanceScore,
    MetricBenchmark,
    MetricContextNote,
    MetricDefinition,
    MetricValue,
    PeerGroup,
    Trust,
)
from metrics.models.benchmarks import NATIONAL, ranking_unpack
from metrics.models.values import MetricArea
from metrics.policies import may_see_every_trust
from metrics.selectors import metric_periods_for_trust
from metrics.services.benchmark_rules import (
    AVERAGE_MONTHS,
    CHANGE_MONTHS,
    change_label,
    quartile_of,
)
from metrics.services.peer_groups import trust_cohort

PACK_MONTHS = 13  # the month and the 12 before it: enough for a 12-month change
TREND_MONTHS = 12
ANOTHER_TRUST = "Another trust"


@dataclass
class PackMetric:
    """One metric of the pack: the trust's value, benchmarks, trend and chart data."""

    definition: MetricDefinition
    value: float | None = None
    # national_/peer_ q1, median, q3, count and quartile (peer: within the trust's cohort);
    # outlier (quartile 4 within the cohort, docs/peer_cohorts.md); average_12m;
    # change_Nm and trend_Nm for N in CHANGE_MONTHS ({} when the trust has no value).
    benchmark: dict = field(default_factory=dict)
    # Every trust's value of the month, lowest first: (label, value, is this trust).
    bars: list[tuple[str, float, bool]] = field(default_factory=list)
    # (month, the trust's value, national median, median of the trust's cohort)
    trend: list[tuple[str, float | None, float | None, float | None]] = field(default_factory=list)
    # The trust's or NHS Improvement's context for this metric, if any.
    context_note: MetricContextNote | None = None

    @property
    def trend_rows(self) -> list[tuple[str, str, str, str]]:
        """The trend as the table beside its chart prints it."""
        return [(month, *(number(v) for v in values)) for month, *values in self.trend]

    @property
    def bar_rows(self) -> list[tuple[str, str, bool]]:
        """Every trust's value as the all-trusts table prints it."""
        return [(label, number(value), is_this) for label, value, is_this in self.bars]

    @cached_property
    def shown(self) -> dict[str, str]:
        """The benchmark's numbers as the page prints them (quartiles and counts as they are)."""
        return {
            key: number(value) if isinstance(value, float) else value
            for key, value in self.benchmark.items()
        }

    @property
    def changes(self) -> list[tuple[int, float | None, str]]:
        return [
            (n, self.benchmark.get(f"change_{n}m"), self.benchmark.get(f"trend_{n}m", ""))
            for n in CHANGE_MONTHS
        ]

    @property
    def change_rows(self) -> list[tuple[int, str, str]]:
        return [(n, number(change), label) for n, change, label in self.changes]


@dataclass
class MetricsPack:
    trust: Trust
    period: datetime.date | None
    periods: list[datetime.date]
    areas: list[tuple[str, list[PackMetric]]]
    finance_score: FinanceScore | None
    cohort: PeerGroup  # the peer cohort every peer figure is within


def month_start(day: datetime.date, back: int) -> datetime.date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def metrics_pack_get(
    *,
    user,
    trust: Trust,
    period: datetime.date | None = None,
    periods: list[datetime.date] | None = None,
    codes: set[str] | None = None,
    with_ranking: bool = True,
) -> MetricsPack:
    """The metrics pack of `trust` for `period` (default: its latest month with values).

    `codes` limits it to those metrics (the KLOE workspace shows only its own);
    `with_ranking` False leaves out every trust's value (the report's charts need none).
    A fixed number of queries whatever the number of trusts. Other trusts are named only to
    staff; a trust user sees them as "Another trust", and so does a report (`user` None),
    which may be read by anyone once published.
    """
    if periods is None:
        periods = metric_periods_for_trust(trust=trust)
    period = period or (periods[0] if periods else None)
    definitions = [
        d
        for d in MetricDefinition.objects.all()
        if not d.is_flag and (codes is None or d.code in codes)
    ]
    pack_metrics = {d.pk: PackMetric(definition=d) for d in definitions}
    areas: dict[str, list[PackMetric]] = {label: [] for _, label in MetricArea.choices}
    for definition in definitions:
        areas[definition.get_area_display()].append(pack_metrics[definition.pk])
    finance_score = None
    cohort = trust_cohort(trust)
    for note in MetricContextNote.objects.filter(trust=trust, metric_id__in=list(pack_metrics)):
        pack_metrics[note.metric_id].context_note = note
    if period is not None and pack_metrics:
        name_others = user is not None and bool(may_see_every_trust(user))
        _pack_fill(
            pack_metrics,
            trust,
            period,
            cohort=cohort.code,
            with_ranking=with_ranking,
            name_others=name_others,
        )
        finance_score = FinanceScore.objects.filter(trust=trust, period=period).first()
    return MetricsPack(
        trust=trust,
        period=period,
        periods=periods,
        areas=[(label, metrics) for label, metrics in areas.items() if metrics],
        finance_score=finance_score,
        cohort=cohort,
    )


def _pack_fill(pack_metrics, trust, period, *, cohort, with_ranking, name_others) -> None:
    ids = list(pack_metrics)
    first = month_start(period, PACK_MONTHS - 1)
    own = {
        (metric_id, month): value
        for metric_id, month, value in MetricValue.objects.filter(
            trust=trust, metric_id__in=ids, period__gte=first, period__lte=period
        ).values_list("metric_id", "period", "value")
    }
    # One read of the stored benchmarks: 13 months, national and the cohort's; the national
    # row of the month also brings every trust's value when the ranking is wanted, and
    # staff then get the trusts' codes to name them.
    no_ranking = Value(None, output_field=BinaryField())
    ranking = (
        Case(When(period=period, peer_group=NATIONAL, then=F("ranking")), default=no_ranking)
        if with_ranking
        else no_ranking
    )
    stored, rankings = {}, {}
    rows = (
        MetricBenchmark.objects.filter(
            metric_id__in=ids,
            period__gte=first,
            period__lte=period,
            peer_group__in=[NATIONAL, cohort],
        )
        .annotate(ranking_of_month=ranking)
        .values_list(
            "metric_id", "period", "peer_group", "count", "q1", "median", "q3", "ranking_of_month"
        )
    )
    for metric_id, month, group, count, q1, median, q3, ranked in rows:
        stored[(metric_id, month, group)] = (count, q1, median, q3)
        if ranked is not None:
            rankings[metric_id] = ranking_unpack(ranked)
    names = dict(Trust.objects.values_list("pk", "ods_code")) if rankings and name_others else {}
    trend_months = [month_start(period, back) for back in range(TREND_MONTHS - 1, -1, -1)]
    own_id, own_code = trust.pk, trust.ods_code
    for metric_id, pack_metric in pack_metrics.items():
        lower_is_better = pack_metric.definition.lower_is_better
        pack_metric.trend = [
            (
                f"{month:%b %Y}",
                own.get((metric_id, month)),
                _median(stored.get((metric_id, month, NATIONAL))),
                _median(stored.get((metric_id, month, cohort))),
            )
            for month in trend_months
        ]
        pack_metric.bars = [
            (
                own_code if trust_id == own_id else names.get(trust_id, ANOTHER_TRUST),
                value,
                trust_id == own_id,
            )
            for trust_id, value in rankings.get(metric_id, [])
        ]
        value = own.get((metric_id, period))
        if value is None:
            continue
        pack_metric.value = value
        pack_metric.benchmark = _benchmark(
            value=value,
            lower_is_better=lower_is_better,
            national=stored.get((metric_id, period, NATIONAL)),
            peer=stored.get((metric_id, period, cohort)),
            history=[
                own.get((metric_id, month_start(period, back))) for back in range(PACK_MONTHS)
            ],
        )


def _median(row) -> float | None:
    return None if row is None else row[2]


def _benchmark(*, value, lower_is_better, national, peer, history) -> dict:
    """The figures beside one value: `history` is the trust's value 0, 1, ... 12 months back."""
    figures = {"value": value}
    for scope, row in (("national", national), ("peer", peer)):
        if row is None:
            continue
        count, q1, median, q3 = row
        figures.update(
            {
                f"{scope}_count": count,
                f"{scope}_q1": q1,
                f"{scope}_median": median,
                f"{scope}_q3": q3,
                f"{scope}_quartile": quartile_of(value, q1, median, q3, lower_is_better),
            }
        )
    # NOTE: "outlier" is the bottom quartile of the trust's cohort (docs/peer_cohorts.md).
    figures["outlier"] = figures.get("peer_quartile") == 4
    window = [v for v in history[:AVERAGE_MONTHS] if v is not None]
    figures["average_12m"] = sum(window) / len(window)
    for n in CHANGE_MONTHS:
        change = None if history[n] is None else value - history[n]
        figures[f"change_{n}m"] = change
        figures[f"trend_{n}m"] = change_label(change, lower_is_better)
    return figures
