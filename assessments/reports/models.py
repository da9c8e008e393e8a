"""Keep one row per rendered version of an assessment's draft or final report."""

from django.db import models
from django.urls import reverse

from core.models import AbstractRenderedDocument


class ReportVersion(AbstractRenderedDocument):
    """One rendering of an assessment's draft or final report (states and bytes: core)."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft report"
        FINAL = "final", "Final report"
        RECORD = "record", "Internal decision record"

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When this final version was published; a later version supersedes it.",
    )
    superseded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a later final version, after a review request, replaced this one.",
    )

    class Meta(AbstractRenderedDocument.Meta):
        ordering = ["assessment", "kind", "-number"]
        constraints = [
            *AbstractRenderedDocument.Meta.constraints,
            models.UniqueConstraint(
                fields=["assessment", "kind", "number"], name="report_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["draft", "final", "record"]), name="report_kind_known"
            ),
            # Exactly one final version is the published one at a time; superseded ones keep
            # their published_at as history.
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(published_at__isnull=False, superseded_at__isnull=True),
                name="report_one_current_published",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(kind="final"),
                name="report_published_is_final",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("assessments:report_list", kwargs={"pk": self.assessment_id})

    @property
    def is_published(self) -> bool:
        """The version that is published now (not one a later version superseded)."""
        return self.published_at is not None and self.superseded_at is None

    @property
    def file_name(self) -> str:
        return f"uor-{self.assessment_id}-{self.kind}-v{self.number}.pdf"
