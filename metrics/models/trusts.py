from django.db import models
from django.urls import reverse


class TrustType(models.TextChoices):
    ACUTE = "acute", "Acute"
    ACUTE_SPECIALIST = "acute_specialist", "Acute specialist"
    MENTAL_HEALTH = "mental_health", "Mental health"
    COMMUNITY = "community", "Community"
    AMBULANCE = "ambulance", "Ambulance"


class Trust(models.Model):
    """An NHS trust: the organisation an assessment is about and a trust user belongs to."""

    TrustType = TrustType

    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    name = models.CharField(max_length=200)
    trust_type = models.CharField("trust type", max_length=20, choices=TrustType.choices)
    region = models.CharField(max_length=100)
    # The integrated care system (or STP) the trust works in: the oversight annex's
    # strategic-change theme and a filter of the oversight view.
    system = models.CharField(
        "integrated care system (ICS) or STP", max_length=100, blank=True, default=""
    )
    foundation_trust = models.BooleanField("foundation trust", default=False)
    # What peer cohorts are drawn by (docs/peer_cohorts.md): size, teaching status, PFI.
    teaching = models.BooleanField("teaching trust", default=False)
    pfi = models.BooleanField("has a PFI scheme", default=False)
    income_millions = models.DecimalField(
        "annual income (£ million)", max_digits=9, decimal_places=1, null=True, blank=True
    )
    # The cohort an admin assigned; None: the default group of its trust type.
    cohort = models.ForeignKey(
        "metrics.PeerGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_trusts",
        verbose_name="peer cohort",
        help_text="Blank: the default group of its trust type.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trust_type__in=TrustType.values),
                name="trust_type_known",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"

    def get_absolute_url(self):
        return reverse("metrics:trust_detail", kwargs={"ods_code": self.ods_code})
