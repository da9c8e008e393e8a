"""Store the benchmarks of the months a load changed, so pages only read them.

On PostgreSQL one statement computes every metric and month at once, national and peer
groups together (GROUPING SETS), with `percentile_cont`, the same linear percentiles pandas
uses; nothing passes through Python. Elsewhere (SQLite, the embedded default) the month's
values are read and the same figures computed with pandas.
"""

import datetime

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from metrics.models import MetricBenchmark, MetricDefinition, MetricValue, Trust
from metrics.models.benchmarks import NATIONAL

from .benchmarks import QUANTILES, percentiles
from .metric_values.parse import Progress, no_progress

REFRESH_STAGE = "Refreshing benchmarks"

_REFRESH_SQL = """
INSERT INTO {benchmark} (metric_id, period, peer_group, count, q1, median, q3, ranking,
                         computed_at)
SELECT metric_id, period, peer_group, count, p[1], p[2], p[3], ranking, %(now)s
FROM (
    SELECT v.metric_id, v.period,
           CASE WHEN GROUPING(t.trust_type) = 1 THEN '' ELSE t.trust_type END AS peer_group,
           count(*) AS count,
           percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY v.value) AS p,
           CASE WHEN GROUPING(t.trust_type) = 1 THEN
               json_agg(json_build_array(v.trust_id, t.ods_code, v.value)
                        ORDER BY v.value, v.trust_id)
           END AS ranking
    FROM {value} v
    JOIN {trust} t ON t.id = v.trust_id
    JOIN {definition} d ON d.id = v.metric_id AND d.unit <> 'flag'
    WHERE v.period = ANY(%(periods)s)
    GROUP BY GROUPING SETS ((v.metric_id, v.period), (v.metric_id, v.period, t.trust_type))
) AS grouped
"""


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _refresh_in_sql(periods: list[datetime.date]) -> None:
    sql = _REFRESH_SQL.format(
        benchmark=_table(MetricBenchmark),
        value=_table(MetricValue),
        trust=_table(Trust),
        definition=_table(MetricDefinition),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"periods": periods, "now": timezone.now()})


def benchmark_rows_compute(*, values: pd.DataFrame, trusts: pd.DataFrame) -> list[dict]:
    """The benchmark rows of `values` (trust_id, metric_id, period, value) with pandas:
    one national row per metric and month, with its ranking, and one per peer group.
    `trusts` has the ods_code and trust_type of each trust id (its index)."""
    if values.empty:
        return []
    frame = values.assign(
        peer_group=values["trust_id"].map(trusts["trust_type"]),
        ods_code=values["trust_id"].map(trusts["ods_code"]),
    )
    frame = frame[frame["peer_group"].notna()]
    rows = []
    for by, scope in (
        (["metric_id", "period"], "national"),
        (["metric_id", "period", "peer_group"], "peer"),
    ):
        table = percentiles(frame, by, scope)
        for record in table.to_dict("records"):
            rows.append(
                {
                    "metric_id": int(record["metric_id"]),
                    "period": record["period"],
                    "peer_group": record.get("peer_group", NATIONAL),
                    "count": int(record[f"{scope}_count"]),
                    **{name: float(record[f"{scope}_{name}"]) for name in QUANTILES},
                }
            )
    ordered = frame.sort_values(["value", "trust_id"])
    rankings = {
        key: [
            [int(t), code, float(v)]
            for t, code, v in zip(group["trust_id"], group["ods_code"], group["value"], strict=True)
        ]
        for key, group in ordered.groupby(["metric_id", "period"], sort=False)
    }
    for row in rows:
        if row["peer_group"] == NATIONAL:
            row["ranking"] = rankings[(row["metric_id"], row["period"])]
    return rows


def _refresh_in_python(periods: list[datetime.date]) -> None:
    values = pd.DataFrame(
        list(
            MetricValue.objects.filter(period__in=periods)
            .exclude(metric__unit=MetricDefinition.Unit.FLAG)
            .values_list("trust_id", "metric_id", "period", "value")
        ),
        columns=["trust_id", "metric_id", "period", "value"],
    )
    trusts = pd.DataFrame(
        list(Trust.objects.values_list("pk", "ods_code", "trust_type")),
        columns=["trust_id", "ods_code", "trust_type"],
    ).set_index("trust_id")
    now = timezone.now()
    MetricBenchmark.objects.bulk_create(
        [
            MetricBenchmark(computed_at=now, **row)
            for row in benchmark_rows_compute(values=values, trusts=trusts)
        ],
        batch_size=1000,
    )


@transaction.atomic
def benchmarks_refresh(*, periods: list[datetime.date] | None = None) -> None:
    """Compute and store the benchmarks of `periods` (every month with values when None)."""
    if periods is None:
        periods = list(MetricValue.objects.values_list("period", flat=True).distinct())
    periods = sorted(set(periods))
    MetricBenchmark.objects.filter(period__in=periods).delete()
    if not periods:
        return
    if connection.vendor == "postgresql":
        _refresh_in_sql(periods)
    else:
        _refresh_in_python(periods)


def benchmarks_on_values_changed(
    sender, *, periods, progress: Progress = no_progress, **kwargs
) -> None:
    """Receiver of `metric_values_changed`: the months a load changed, benchmarked again."""
    progress(100, REFRESH_STAGE)
    benchmarks_refresh(periods=list(periods))
