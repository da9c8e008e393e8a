"""The signal sent once a load's metric values are committed; no heavy imports here.

Receivers recompute what is derived from the values (finance scores, benchmarks) for the
months that changed. It lives apart from `metric_values` so `metrics.signals` can connect
receivers at start-up without importing pandas.
"""

from collections.abc import Callable

from django.dispatch import Signal

# How a long load reports (percent, stage) to the status page or the command line.
Progress = Callable[[int, str], None]


def no_progress(percent: int, stage: str) -> None:
    """The default reporter: callers that show no progress pass nothing."""
    return None


# kwargs: metric_ids (list[int]) and periods (list[date]): only the metrics and months whose
# values a load created or changed (a load that changes nothing sends nothing); progress
# (a Progress): a receiver reports its stage through it, e.g. "Refreshing finance scores".
metric_values_changed = Signal()
