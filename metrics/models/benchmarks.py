"""Benchmarks of each metric and month, stored by the load that changed the month's values."""

from django.db import models

NATIONAL = ""  # the peer_group of the national row: every trust


class MetricBenchmark(models.Model):
    """The 25th, 50th and 75th percentiles of one metric in one month, among every trust
    (`peer_group` blank) or among the trusts of one type (`peer_group` the trust type).

    Rows are written only by `metrics.services.benchmarks_refresh`, for the months a load
    changed; pages read them and never aggregate metric values themselves. The national row
    also keeps every trust's value of the month, lowest first, for the all-trusts chart.
    """

    metric = models.ForeignKey(
        "metrics.MetricDefinition", on_delete=models.CASCADE, related_name="benchmarks"
    )
    period = models.DateField(help_text="The first day of the month the benchmark is for.")
    peer_group = models.CharField(
        "trust type", max_length=20, blank=True, help_text="Blank for every trust (national)."
    )
    count = models.PositiveIntegerField("trusts with a value")
    q1 = models.FloatField("25th percentile")
    median = models.FloatField()
    q3 = models.FloatField("75th percentile")
    # [[trust id, ODS code, value], ...] lowest value first; national rows only, else null.
    ranking = models.JSONField(null=True, blank=True)
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
