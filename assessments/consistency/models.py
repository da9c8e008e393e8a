"""The team's answers to consistency findings, and the snapshots the internal record keeps."""

from django.conf import settings
from django.db import models


class FindingAnswer(models.Model):
    """The team's answer to one finding, found again by its rule and subject.

    An acknowledgement holds while the finding says what it said when answered (`message`);
    a finding marked fixed that still trips shows as not fixed.
    """

    class Kind(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        FIXED = "fixed", "Marked fixed"

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="finding_answers"
    )
    rule = models.CharField(max_length=40)
    subject = models.CharField(max_length=60, help_text="A KLOE code, 'overall', or the like.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)
    message = models.TextField("the finding as answered")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment", "rule", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "rule", "subject"], name="one_answer_per_finding"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="acknowledged") | ~models.Q(reason=""),
                name="acknowledged_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.rule} {self.subject}: {self.get_kind_display()}"


class FindingRecord(models.Model):
    """The findings and their answers as they stood at one step (internal record only)."""

    class Stage(models.TextChoices):
        PROPOSED = "propose_rating", "When the team proposed the rating"
        FA_CLOSED = "close_factual_accuracy", "When the factual-accuracy check closed"

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="finding_records"
    )
    stage = models.CharField(max_length=30, choices=Stage.choices)
    findings = models.JSONField(default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment", "recorded_at", "id"]

    def __str__(self):
        return f"{self.get_stage_display()}: {len(self.findings)} findings"
