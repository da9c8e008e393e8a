"""The benchmark rules: percentiles, quartiles, outliers, changes and trends.

`benchmarks_compute` applies them to a whole frame of values at once with pandas; it is the
reference the stored benchmarks (`benchmark_store`) and the pages' per-row rules
(`quartile_of`, `change_label`) are tested against.

For each metric and month: the national 25th, 50th and 75th percentiles of every trust's
value, and the same among peers (the trusts of its peer cohort, docs/peer_cohorts.md; by
default its trust type). For each trust: its quartile by
the metric's direction (1 = best quarter, 4 = worst), its average over the 12 months ending
with the month, and its change over 3, 6 and 12 months labelled better or worse by the
metric's direction.

Quartile rule (docs/sof_finance_score.md, "Benchmarks"): where higher is better, a value at
or above the 75th percentile is quartile 1, at or above the median 2, at or above the 25th
percentile 3, else 4; where lower is better the mirror image (at or below the 25th
percentile is 1, ...). A value exactly on a percentile gets the better quartile.
Outlier ("bottom quartile of its cohort", docs/peer_cohorts.md): quartile 4 within the
trust's cohort, i.e. strictly worse than the cohort's 25th/75th percentile on the side the
metric's direction says is worse. Percentiles are pandas' linear ones.
"""

import numpy as np
import pandas as pd

from .benchmark_rules import (
    AVERAGE_MONTHS,
    BETTER,
    CHANGE_MONTHS,
    NO_CHANGE,
    WORSE,
    change_label,
    quartile_of,
)

__all__ = [
    "AVERAGE_MONTHS",
    "BETTER",
    "CHANGE_MONTHS",
    "NO_CHANGE",
    "WORSE",
    "benchmarks_compute",
    "change_label",
    "percentiles",
    "quartile_of",
]

QUANTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}


def percentiles(values: pd.DataFrame, by: list[str], prefix: str) -> pd.DataFrame:
    grouped = values.groupby(by, observed=True)["value"]
    table = grouped.quantile(list(QUANTILES.values())).unstack()
    table.columns = [f"{prefix}_{name}" for name in QUANTILES]
    table[f"{prefix}_count"] = grouped.count()
    return table.reset_index()


def _quartile(value, q1, median, q3, lower_is_better) -> np.ndarray:
    """Quartile 1 (best) to 4 (worst) of each value against its percentiles."""
    higher = np.select([value >= q3, value >= median, value >= q1], [1, 2, 3], default=4)
    lower = np.select([value <= q1, value <= median, value <= q3], [1, 2, 3], default=4)
    return np.where(lower_is_better, lower, higher)


def _direction_label(change: pd.Series, lower_is_better: pd.Series) -> pd.Series:
    signed = np.where(lower_is_better, -change, change)
    labels = np.select(
        [np.isclose(signed, 0.0), signed > 0, signed < 0], [NO_CHANGE, BETTER, WORSE], default=""
    )
    return pd.Series(labels, index=change.index).where(change.notna(), "")


def benchmarks_compute(
    *, values: pd.DataFrame, trust_types: pd.Series, lower_is_better: pd.Series
) -> pd.DataFrame:
    """Benchmark every (metric, trust, month) of `values`.

    `values` has columns trust_id, metric_id, period (first day of the month), value;
    `trust_types` maps trust_id to its peer cohort's code (its type for the default
    cohorts); `lower_is_better` maps metric_id to the
    metric's direction. Returns one row per input row, with the columns described in the
    module docstring. Changes and averages use the months present in `values`: give it
    13 months to get a 12-month change for the last one.
    """
    frame = values[["trust_id", "metric_id", "period", "value"]].copy()
    if frame.empty:
        return frame
    frame["month"] = pd.PeriodIndex(pd.to_datetime(frame["period"]), freq="M")
    frame["trust_type"] = frame["trust_id"].map(trust_types).astype(object).fillna("unknown")
    frame["lower_is_better"] = frame["metric_id"].map(lower_is_better).fillna(False).astype(bool)

    frame = frame.merge(percentiles(frame, ["metric_id", "month"], "national"), how="left")
    frame = frame.merge(
        percentiles(frame, ["metric_id", "month", "trust_type"], "peer"), how="left"
    )
    for scope in ("national", "peer"):
        frame[f"{scope}_quartile"] = _quartile(
            frame["value"],
            frame[f"{scope}_q1"],
            frame[f"{scope}_median"],
            frame[f"{scope}_q3"],
            frame["lower_is_better"],
        )
    frame["outlier"] = frame["peer_quartile"] == 4

    # Trends: one row per (metric, trust), one column per month of a complete range.
    months = pd.period_range(frame["month"].min(), frame["month"].max(), freq="M")
    wide = frame.pivot_table(
        index=["metric_id", "trust_id"], columns="month", values="value", aggfunc="first"
    ).reindex(columns=months)
    wide.columns.name = "month"
    derived = {
        "average_12m": wide.T.rolling(AVERAGE_MONTHS, min_periods=1).mean().T,
        **{f"change_{n}m": wide - wide.shift(n, axis=1) for n in CHANGE_MONTHS},
    }
    for name, table in derived.items():
        long = table.stack(future_stack=True).rename(name).reset_index()
        frame = frame.merge(long, on=["metric_id", "trust_id", "month"], how="left")
    for n in CHANGE_MONTHS:
        frame[f"trend_{n}m"] = _direction_label(frame[f"change_{n}m"], frame["lower_is_better"])
    return frame
