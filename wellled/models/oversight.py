"""Hold what NHS Improvement records about a trust under a theme of the 2019/20 oversight
annex: a CQC warning notice (quality of care) or any other material concern, each dated,
with its reason, open until closed."""

from django.conf import settings
from django.db import models


class OversightTheme(models.TextChoices):
    """The five themes of the 2019/20 oversight annex (paragraph 8)."""

    QUALITY = "quality", "Quality of care"
    FINANCE = "finance", "Finance and use of resources"
    OPERATIONAL = "operational", "Operational performance"
    STRATEGIC = "strategic", "Strategic change"
    LEADERSHIP = "leadership", "Leadership and improvement capability"


class ConcernKind(models.TextChoices):
    WARNING_NOTICE = "warning_notice", "CQC warning notice"
    CONCERN = "concern", "Other material concern"


class OversightConcern(models.Model):
    """A warning notice or material concern recorded by NHS Improvement; kept when closed."""

    Theme = OversightTheme
    Kind = ConcernKind

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(max_length=20, choices=OversightTheme.choices)
    kind = models.CharField(max_length=20, choices=ConcernKind.choices, default=ConcernKind.CONCERN)
    reason = models.TextField()
    raised_on = models.DateField("date of the notice or concern")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField("date closed", null=True, blank=True)
    closed_reason = models.TextField("why it is closed", blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["trust", "-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theme__in=OversightTheme.values), name="concern_theme_known"
            ),
            # The annex names warning notices under quality of care only.
            models.CheckConstraint(
                condition=~models.Q(kind=ConcernKind.WARNING_NOTICE)
                | models.Q(theme=OversightTheme.QUALITY),
                name="warning_notice_is_quality",
            ),
        ]
        indexes = [models.Index(fields=["trust", "closed_on"], name="concern_open_by_trust")]

    def __str__(self):
        return f"{self.trust_id} {self.theme}: {self.get_kind_display()} ({self.raised_on})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
