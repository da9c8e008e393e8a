"""Rendered reports: one row per version of an assessment's draft or final report."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from .assessment import Assessment


class ReportVersion(models.Model):
    """One rendering of a report. Once ready, its bytes and their SHA-256 never change.

    A new render is a new row with the next number; a failed row stays failed with its error.
    """

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft report"
        FINAL = "final", "Final report"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField("version")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(default=b"", editable=False)
    size = models.PositiveIntegerField("size in bytes", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when rendered from the command line.",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "number"], name="report_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["draft", "final"]), name="report_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="report_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""),
                name="ready_report_has_checksum",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("assessments:report_list", kwargs={"pk": self.assessment_id})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def progress(self) -> int:
        """A rough percentage for the page's status line (a render has no finer steps)."""
        return {"queued": 0, "rendering": 50}.get(self.status, 100)

    @property
    def file_name(self) -> str:
        return f"uor-{self.assessment_id}-{self.kind}-v{self.number}.pdf"
