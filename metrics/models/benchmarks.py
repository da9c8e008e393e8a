"""Benchmarks of each metric and month, stored by the load that changed the month's values."""

import sys
from array import array

from django.db import models

NATIONAL = ""  # the peer_group of the national row: every trust


def ranking_pack(trust_ids, values) -> bytes:
    """Every trust's value of a month, lowest first, as bytes: the trust ids (4 bytes each)
    then the values (8 bytes each), little-endian. Both are numpy arrays."""
    return trust_ids.astype("<i4").tobytes() + values.astype("<f8").tobytes()


def ranking_unpack(data: bytes | memoryview | None) -> list[tuple[int, float]]:
    """[(trust id, value), ...] lowest value first, from `ranking_pack`'s bytes.

    NOTE: read with the standard library's arrays, not numpy: pages need no numpy.
    """
    if not data:
        return []
    data = bytes(data)
    count = len(data) // 12
    trust_ids, values = array("i"), array("d")
    trust_ids.frombytes(data[: 4 * count])
    values.frombytes(data[4 * count :])
    if sys.byteorder == "big":
        trust_ids.byteswap()
        values.byteswap()
    return list(zip(trust_ids, values, strict=True))


class MetricBenchmark(models.Model):
    """The 25th, 50th and 75th percentiles of one metric in one month, among every trust
    (`peer_group` blank) or among the trusts of one peer cohort (`peer_group` its code).

    Rows are written only by `metrics.services.benchmarks_refresh`, for the months a load
    changed; pages read them and never aggregate metric values themselves. The national row
    also keeps every trust's value of the month, lowest first, for the all-trusts chart.
    """

    metric = models.ForeignKey(
        "metrics.MetricDefinition", on_delete=models.CASCADE, related_name="benchmarks"
    )
    period = models.DateField(help_text="The first day of the month the benchmark is for.")
    # NOTE: the cohort's code (PeerGroup.code), not a key: the rows of a month are written
    # whole by one refresh, and a default group's code is its trust type's.
    peer_group = models.CharField(
        "peer cohort", max_length=40, blank=True, help_text="Blank for every trust (national)."
    )
    count = models.PositiveIntegerField("trusts with a value")
    q1 = models.FloatField("25th percentile")
    median = models.FloatField()
    q3 = models.FloatField("75th percentile")
    # Every trust's value, lowest first (`ranking_pack`); national rows only, else null.
    # NOTE: bytes, not JSON: a million values' rankings are written in a fraction of the time.
    ranking = models.BinaryField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["metric", "period", "peer_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "metric", "peer_group"], name="metricbenchmark_one_a_month"
            ),
        ]

    def __str__(self):
        scope = self.peer_group or "national"
        return f"{self.metric_id} {self.period:%Y-%m} {scope}: median {self.median}"
