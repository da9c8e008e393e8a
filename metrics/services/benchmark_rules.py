"""The benchmark rules for one value, as pages apply them to the stored percentiles.

Plain Python (no pandas or numpy): the pages that use them start without either.
`metrics.services.benchmarks` applies the same rules to whole columns, and the tests hold
the two equal.
"""

BETTER = "better"
WORSE = "worse"
NO_CHANGE = "no change"
CHANGE_MONTHS = (3, 6, 12)
AVERAGE_MONTHS = 12


def quartile_of(value: float, q1: float, median: float, q3: float, lower_is_better: bool) -> int:
    """One value's quartile (1 best) against stored percentiles: the rule
    `benchmarks._quartile` applies to whole columns."""
    if lower_is_better:
        return 1 if value <= q1 else 2 if value <= median else 3 if value <= q3 else 4
    return 1 if value >= q3 else 2 if value >= median else 3 if value >= q1 else 4


def change_label(change: float | None, lower_is_better: bool) -> str:
    """One change as "better", "worse" or "no change" ("" when there is none to judge)."""
    if change is None:
        return ""
    signed = -change if lower_is_better else change
    if abs(signed) <= 1e-8:  # np.isclose(signed, 0.0), as `benchmarks._direction_label`
        return NO_CHANGE
    return BETTER if signed > 0 else WORSE
