"""Peer cohorts: the groups of similar trusts each metric is benchmarked within.

Each trust is benchmarked within exactly one cohort: the group an admin assigned it to
(`Trust.cohort`), else the default group of its trust type. The default groups' codes are
the trust types' own, so their stored benchmarks keep the keys they always had.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from .trusts import TrustType


class PeerGroup(models.Model):
    """A cohort of similar trusts (NHS Providers: size, location, PFI; docs/peer_cohorts.md).

    A default group (one per trust type) holds every trust of its type not assigned
    elsewhere. An admin's group either names rules (type, region, teaching, PFI, income) and
    holds exactly the trusts that match them, or names none and holds the trusts an admin
    assigns to it by hand.
    """

    class YesNo(models.TextChoices):
        ANY = "", "Any"
        YES = "yes", "Yes"
        NO = "no", "No"

    code = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Short key the stored benchmarks use; cannot be changed once saved.",
    )
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_type_default = models.BooleanField("default group of its trust type", default=False)
    trust_type = models.CharField(
        "trust type", max_length=20, choices=TrustType.choices, blank=True, help_text="Blank: any."
    )
    region = models.CharField(max_length=100, blank=True, help_text="Blank: any region.")
    teaching = models.CharField(
        "teaching trust", max_length=3, choices=YesNo.choices, blank=True, default=""
    )
    pfi = models.CharField("has a PFI scheme", max_length=3, choices=YesNo.choices, blank=True)
    income_min = models.DecimalField(
        "annual income from (£ million)",
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    income_below = models.DecimalField(
        "annual income below (£ million)",
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_type_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust_type"],
                condition=models.Q(is_type_default=True),
                name="peergroup_one_default_a_type",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_rules(self) -> bool:
        """Whether members follow from rules (else an admin assigns them by hand)."""
        return not self.is_type_default and bool(
            self.trust_type
            or self.region
            or self.teaching
            or self.pfi
            or self.income_min is not None
            or self.income_below is not None
        )

    def matches(self, trust) -> bool:
        """Whether `trust` meets every rule this group names."""
        income = trust.income_millions
        checks = [
            not self.trust_type or trust.trust_type == self.trust_type,
            not self.region or trust.region.casefold() == self.region.casefold(),
            not self.teaching or trust.teaching == (self.teaching == self.YesNo.YES),
            not self.pfi or trust.pfi == (self.pfi == self.YesNo.YES),
            self.income_min is None or (income is not None and income >= self.income_min),
            self.income_below is None or (income is not None and income < self.income_below),
        ]
        return all(checks)


class MetricContextNote(models.Model):
    """Context the trust or NHS Improvement gives for one metric of one trust (a cost
    outside its control, a PFI charge), shown wherever the trust's figure is."""

    trust = models.ForeignKey(
        "metrics.Trust", on_delete=models.CASCADE, related_name="context_notes"
    )
    metric = models.ForeignKey(
        "metrics.MetricDefinition", on_delete=models.CASCADE, related_name="context_notes"
    )
    text = models.TextField("context", max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["trust", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "metric"], name="contextnote_one_a_metric"),
        ]

    def __str__(self):
        return f"{self.trust_id} {self.metric_id}: {self.text[:40]}"


class PeerRecompute(models.Model):
    """A job (core.jobs): every month's stored benchmarks computed again after cohorts
    changed, with its progress in months done of months."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Recomputing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    reason = models.CharField(max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="peer_recomputes",
        null=True,
        blank=True,
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    months_total = models.PositiveIntegerField("months", default=0)
    months_done = models.PositiveIntegerField("months done", default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Benchmarks recompute #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.months_done / self.months_total) if self.months_total else 0
