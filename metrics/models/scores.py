"""The SOF finance score of a trust for a month, computed from its metric values."""

from django.db import models

# The five SOF finance metrics, in the order of Figure 2 (and of the CSV export).
SOF_METRIC_CODES = (
    "capital_service_capacity",
    "liquidity_days",
    "ie_margin",
    "distance_from_plan",
    "agency_spend_vs_cap",
)
SOF_FLAG_CODES = ("control_total_accepted", "financial_special_measures")
# What a refresh writes for a trust and month, after its key (the API lists the same).
SCORE_COLUMNS = (
    *SOF_METRIC_CODES,
    "average",
    "overall",
    "moderated",
    "control_total_accepted",
    "financial_special_measures",
    "missing_metrics",
    "moderation",
)


class FinanceScore(models.Model):
    """One trust's SOF finance score for one month.

    Rows are written only by `metrics.services.finance_scores_refresh`, which computes every
    trust and month at once; nobody edits them. Empty scores mean the metric was not
    reported that month; then there is no average, overall or moderated score.
    """

    trust = models.ForeignKey(
        "metrics.Trust", on_delete=models.CASCADE, related_name="finance_scores"
    )
    period = models.DateField(help_text="The first day of the month the score is for.")
    capital_service_capacity = models.PositiveSmallIntegerField(
        "capital service capacity score", null=True, blank=True
    )
    liquidity_days = models.PositiveSmallIntegerField("liquidity score", null=True, blank=True)
    ie_margin = models.PositiveSmallIntegerField("I&E margin score", null=True, blank=True)
    distance_from_plan = models.PositiveSmallIntegerField(
        "distance from plan score", null=True, blank=True
    )
    agency_spend_vs_cap = models.PositiveSmallIntegerField(
        "agency spend score", null=True, blank=True
    )
    average = models.DecimalField(
        "weighted average", max_digits=4, decimal_places=2, null=True, blank=True
    )
    overall = models.PositiveSmallIntegerField("overall score", null=True, blank=True)
    moderated = models.PositiveSmallIntegerField("finance score", null=True, blank=True)
    control_total_accepted = models.BooleanField("control total accepted", null=True)
    financial_special_measures = models.BooleanField("in financial special measures", null=True)
    missing_metrics = models.CharField("missing metrics", max_length=200, blank=True)
    moderation = models.CharField("why moderated", max_length=300, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["trust__name", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "period"], name="financescore_one_a_month"),
            models.CheckConstraint(
                condition=models.Q(moderated__gte=1, moderated__lte=4)
                | models.Q(moderated__isnull=True),
                name="financescore_moderated_1_to_4",
            ),
        ]
        indexes = [models.Index(fields=["period"], name="financescore_period")]

    def __str__(self):
        return f"{self.trust_id} {self.period:%Y-%m}: {self.moderated or 'no score'}"

    @property
    def metric_scores(self) -> list[tuple[str, int | None]]:
        return [(code, getattr(self, code)) for code in SOF_METRIC_CODES]

    @property
    def is_moderated(self) -> bool:
        return self.moderated is not None and self.moderated != self.overall
