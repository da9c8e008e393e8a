"""The SOF finance score of every trust and month, computed at once with pandas.

The rule, its source and where every boundary value falls are in docs/sof_finance_score.md;
the thresholds, weights and moderation caps are data in fixtures/sof_thresholds.yaml.
In short: each of the five metrics scores 1 (best) to 4 on Figure 2's bands; the weighted
average (0.2 each) is rounded half up (towards the worse score) to a whole overall score;
the rules then propose to make the score worse where one applies: a 4 on any metric or no
accepted control total caps it at 3 (no better than 3), financial special measures at 4.
The proposal is NHS Improvement's to decide (`metrics.services.moderation`); a refresh keeps
the decisions made (`finance_score_storage`). A trust missing any of the five metrics for a
month gets no average, overall or proposed score, and the row names the missing metrics.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from metrics.models import FinanceScore, MetricDefinition
from metrics.models.scores import SOF_FLAG_CODES, SOF_METRIC_CODES
from metrics.services.finance_score_storage import finance_scores_replace, sof_values_wide
from metrics.services.metric_values_changed import Progress, no_progress

SOF_THRESHOLDS_FIXTURE = settings.BASE_DIR / "fixtures" / "sof_thresholds.yaml"
OPERATORS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
WORST_SCORE = 4

# Messages shown beside a score (pages, command output). Tests assert on these.
REASON_SCORED_4 = "scored 4 on "  # followed by the metric codes
REASON_NO_CONTROL_TOTAL = "control total not accepted"
REASON_SPECIAL_MEASURES = "in financial special measures"
BAD_THRESHOLDS = "sof_thresholds.yaml: {error}"
REFRESHING = "Refreshing finance scores"  # the stage `load_metrics -v 2` times


@dataclass(frozen=True)
class Band:
    score: int
    op: str
    bound: float


@dataclass(frozen=True)
class SofRules:
    """Figure 2's bands per metric, the weights and the moderation caps."""

    bands: dict[str, tuple[Band, ...]]
    weights: dict[str, float]
    cap_any_4: int
    cap_no_control_total: int
    cap_special_measures: int


def sof_rules_parse(*, data: dict) -> SofRules:
    """Check the fixture's shape: every metric banded 1-3 in order, weights summing to 1."""
    try:
        bands = {
            code: tuple(Band(int(b["score"]), str(b["op"]), float(b["bound"])) for b in entries)
            for code, entries in data["metrics"].items()
        }
        weights = {code: float(weight) for code, weight in data["weights"].items()}
        moderation = data["moderation"]
        rules = SofRules(
            bands=bands,
            weights=weights,
            cap_any_4=int(moderation["any_metric_scored_4"]),
            cap_no_control_total=int(moderation["control_total_not_accepted"]),
            cap_special_measures=int(moderation["financial_special_measures"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(BAD_THRESHOLDS.format(error=f"bad shape ({exc!r})")) from exc
    if set(bands) != set(SOF_METRIC_CODES) or set(weights) != set(SOF_METRIC_CODES):
        raise ValueError(BAD_THRESHOLDS.format(error=f"must cover exactly {SOF_METRIC_CODES}"))
    for code, metric_bands in bands.items():
        if [band.score for band in metric_bands] != [1, 2, 3]:
            raise ValueError(BAD_THRESHOLDS.format(error=f"{code}: bands for scores 1, 2, 3"))
        if any(band.op not in OPERATORS for band in metric_bands):
            raise ValueError(BAD_THRESHOLDS.format(error=f"{code}: unknown operator"))
    if not np.isclose(sum(weights.values()), 1.0):
        raise ValueError(BAD_THRESHOLDS.format(error="weights must add up to 1"))
    return rules


@cache
def sof_rules_load(path: Path = SOF_THRESHOLDS_FIXTURE) -> SofRules:
    return sof_rules_parse(data=yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def metric_scores(*, values: pd.Series, bands: tuple[Band, ...]) -> pd.Series:
    """Score a column of values 1-4 on the bands; missing values stay missing (<NA>)."""
    array = values.to_numpy(dtype="float64", na_value=np.nan)
    conditions = [OPERATORS[band.op](array, band.bound) for band in bands]
    scores = np.select(conditions, [band.score for band in bands], default=WORST_SCORE)
    result = pd.Series(scores, index=values.index, dtype="Int64")
    return result.mask(np.isnan(array))


def score_round(average: pd.Series) -> pd.Series:
    """Round a weighted average to a whole score, halves up (2.5 -> 3: the worse score).

    The average is first rounded to 2 decimals so a sum of floats such as 2.4999999999
    counts as the 2.5 it stands for. With five weights of 0.2 an average is a multiple of
    0.2, so a half cannot occur; the rule matters only if the weights change.
    """
    return np.floor(average.round(2) + 0.5).astype("Int64")


def finance_scores_frame(*, wide: pd.DataFrame, rules: SofRules | None = None) -> pd.DataFrame:
    """Score every row of `wide` (one row per trust and month) at once.

    `wide` has a column per SOF metric code and per flag code (missing values as NaN),
    and any index. The result has the same index and the columns of FinanceScore.
    """
    rules = rules or sof_rules_load()
    wide = wide.reindex(columns=[*SOF_METRIC_CODES, *SOF_FLAG_CODES])
    out = pd.DataFrame(index=wide.index)
    for code in SOF_METRIC_CODES:
        out[code] = metric_scores(values=wide[code], bands=rules.bands[code])
    scores = out[list(SOF_METRIC_CODES)]
    missing = scores.isna()
    complete = ~missing.any(axis=1)
    weights = pd.Series(rules.weights)[list(SOF_METRIC_CODES)]
    average = (scores.astype("float64") * weights).sum(axis=1, min_count=len(weights))
    out["average"] = average.round(2).where(complete)
    out["overall"] = score_round(out["average"]).where(complete)

    scored_4 = scores.eq(WORST_SCORE).fillna(False)
    any_4 = scored_4.any(axis=1)
    no_control_total = wide["control_total_accepted"].eq(0)
    special_measures = wide["financial_special_measures"].eq(1)
    floor = pd.Series(1, index=wide.index, dtype="Int64")
    floor = floor.mask(any_4, np.maximum(floor, rules.cap_any_4))
    floor = floor.mask(no_control_total, np.maximum(floor, rules.cap_no_control_total))
    floor = floor.mask(special_measures, np.maximum(floor, rules.cap_special_measures))
    out["proposed"] = np.maximum(out["overall"], floor).where(complete)
    # Until NHS Improvement decides, the score shown is the proposal (see the storage).
    out["moderated"] = out["proposed"]

    out["control_total_accepted"] = wide["control_total_accepted"].map({1.0: True, 0.0: False})
    out["financial_special_measures"] = wide["financial_special_measures"].map(
        {1.0: True, 0.0: False}
    )
    # Text columns: joined column by column over the whole frame, never row by row.
    out["missing_metrics"] = _join_names(missing)
    names_4 = _join_names(scored_4)
    moderation = np.where(names_4 != "", REASON_SCORED_4 + names_4, "")
    moderation = _join(moderation, np.where(no_control_total, REASON_NO_CONTROL_TOTAL, ""))
    moderation = _join(moderation, np.where(special_measures, REASON_SPECIAL_MEASURES, ""))
    out["moderation"] = pd.Series(moderation, index=wide.index, dtype=object).where(complete, "")
    return out


def _join(left: np.ndarray, right: np.ndarray, sep: str = "; ") -> np.ndarray:
    """Join two arrays of strings element-wise, with `sep` only where both are non-empty."""
    left, right = np.asarray(left, dtype=object), np.asarray(right, dtype=object)
    both = (left != "") & (right != "")
    return np.where(both, left + sep + right, left + right)


def _join_names(flags: pd.DataFrame) -> np.ndarray:
    """For each row, the names of the True columns joined with ", " ("" when none)."""
    text = np.full(len(flags), "", dtype=object)
    for column in flags.columns:
        text = _join(text, np.where(flags[column].to_numpy(dtype=bool), column, ""), ", ")
    return text


@transaction.atomic
def finance_scores_refresh(*, periods: list[datetime.date] | None = None) -> int:
    """Compute and store the finance score of every trust for `periods` (all when None).

    The months' rows are replaced in one transaction; return how many rows were written.
    The values are pivoted by one SQL statement, scored in one vectorised pass
    (`finance_scores_frame`), joined to the decisions that stand with one more query and
    written with `COPY` on PostgreSQL.
    """
    frame = finance_scores_frame(wide=sof_values_wide(periods=periods))
    finance_scores_replace(frame=frame, periods=periods)
    return len(frame)


def finance_scores_on_values_changed(
    sender, *, metric_ids, periods, progress: Progress = no_progress, **kwargs
) -> None:
    """Receiver of `metric_values_changed`: recompute the months whose values changed.

    NOTE: runs in-process after the load commits (the signal is sent on commit): a month of
    every trust is a few thousand rows, well under a second. Only loads that change a SOF
    metric or flag trigger it.
    """
    codes = [*SOF_METRIC_CODES, *SOF_FLAG_CODES]
    if MetricDefinition.objects.filter(pk__in=metric_ids, code__in=codes).exists():
        progress(90, REFRESHING)
        finance_scores_refresh(periods=list(periods))


# --- Output shared by the command, the sector page's CSV and the API ---------------------

# "moderated" is the finance score: NHS Improvement's decision, else the rules' proposal;
# "moderation_status" says which. It stays the last column, as it was before decisions.
CSV_COLUMNS = [
    "ods_code",
    *SOF_METRIC_CODES,
    "average",
    "overall",
    "proposed",
    "proposal_reason",
    "moderation_status",
    "decided_on",
    "decision_reason",
    "moderated",
]
MISSING_NOTE = "{ods_code} {period}: no score, missing {metrics}"


def finance_score_row(*, score: FinanceScore) -> dict:
    """A score as the CSV columns (blank where there is no score).

    Read `score` with its decision selected (`finance_scores_visible_to` does).
    """
    row = {"ods_code": score.trust.ods_code}
    for code in SOF_METRIC_CODES:
        row[code] = getattr(score, code)
    decision = score.decision
    row |= {
        "average": score.average,
        "overall": score.overall,
        "proposed": score.proposed,
        "proposal_reason": score.moderation,
        "moderation_status": (
            score.moderation_status.label if score.proposed is not None or decision else None
        ),
        "decided_on": timezone.localdate(decision.decided_at).isoformat() if decision else None,
        "decision_reason": decision.reason if decision else None,
        "moderated": score.moderated,
    }
    return {key: "" if value is None else value for key, value in row.items()}
