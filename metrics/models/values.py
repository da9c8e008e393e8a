"""Metric definitions (reference data from fixtures/) and the monthly values trusts report."""

from django.core.exceptions import ValidationError
from django.db import models


class MetricArea(models.TextChoices):
    """The UoR key line of enquiry (KLOE) a metric informs."""

    FINANCE = "finance", "Finance"
    CLINICAL_SERVICES = "clinical_services", "Clinical services"
    PEOPLE = "people", "People"
    CLINICAL_SUPPORT_SERVICES = "clinical_support_services", "Clinical support services"
    CORPORATE_SERVICES = (
        "corporate_services",
        "Corporate services, procurement, estates and facilities",
    )
    OPERATIONAL = "operational", "Operational"


class MetricUnit(models.TextChoices):
    RATIO = "ratio", "ratio (times)"
    DAYS = "days", "days"
    PERCENT = "percent", "%"
    GBP = "gbp", "£"
    GBP_PER_M2 = "gbp_per_m2", "£ per m²"
    INDEX = "index", "index"
    COUNT = "count", "count"
    FLAG = "flag", "yes (1) / no (0)"


class MetricDefinition(models.Model):
    """One metric of the UoR core set or the SOF finance score, loaded from a fixture."""

    Area = MetricArea
    Unit = MetricUnit

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    area = models.CharField("UoR area", max_length=32, choices=Area.choices)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    lower_is_better = models.BooleanField("lower is better")
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    source = models.CharField(max_length=200)
    rationale = models.TextField()
    reference = models.CharField(
        max_length=200, blank=True, help_text="Where the source document defines the metric."
    )
    # A standard the value is held to (an NHS Constitution operational standard): met when
    # the value is on the better side of it, `lower_is_better` saying which side that is.
    threshold = models.FloatField(null=True, blank=True)
    threshold_source = models.CharField(
        "source of the threshold", max_length=300, blank=True, default=""
    )

    class Meta:
        ordering = ["area", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__in=MetricArea.values),
                name="metricdefinition_area_known",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__in=MetricUnit.values),
                name="metricdefinition_unit_known",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_flag(self) -> bool:
        return self.unit == self.Unit.FLAG

    def clean(self):
        if self.threshold is not None and not self.threshold_source.strip():
            raise ValidationError({"threshold_source": "Give the source of the threshold."})

    def meets_threshold(self, value: float) -> bool | None:
        """Whether a value meets the standard (None when there is none)."""
        if self.threshold is None:
            return None
        return value <= self.threshold if self.lower_is_better else value >= self.threshold


class MetricValue(models.Model):
    """A trust's value of one metric for one month.

    `period` is always the first day of the month. Flags (unit "flag") hold 0 or 1; the
    loader enforces both, since a check constraint cannot see the metric's unit.
    """

    # NOTE: the key (trust, metric, month) is the primary key: no surrogate id, whose
    # sequence and second index would double the cost of a million-row load; lookups by
    # trust use the key's first column. The foreign keys are not enforced by PostgreSQL
    # (db_constraint=False): a per-row check costs ten seconds a million rows and
    # re-validating after a bulk load half a second (docs/benchmarks.md). Instead the loader
    # checks every trust and metric in the same transaction, and Django applies CASCADE
    # (trust) and PROTECT (metric) on delete. Large loads drop and rebuild the indexes, so
    # an index added here later stays correct.
    pk = models.CompositePrimaryKey("trust", "metric", "period")
    trust = models.ForeignKey(
        "metrics.Trust",
        on_delete=models.CASCADE,
        related_name="metric_values",
        db_index=False,
        db_constraint=False,
    )
    metric = models.ForeignKey(
        MetricDefinition,
        on_delete=models.PROTECT,
        related_name="values",
        db_index=False,
        db_constraint=False,
    )
    period = models.DateField(help_text="The first day of the month the value is for.")
    value = models.FloatField()

    class Meta:
        ordering = ["trust", "metric", "period"]

    def __str__(self):
        return f"{self.trust_id} {self.metric_id} {self.period:%Y-%m}: {self.value}"
