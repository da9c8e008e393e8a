from django.conf import settings
from django.db import models


class DataLoad(models.Model):
    """A file an admin uploaded for loading, and what became of it.

    The file's bytes are kept on the row so a Celery worker on another machine can read it.
    """

    class Kind(models.TextChoices):
        TRUSTS = "trusts", "Trusts"
        METRICS = "metrics", "Metric values"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Loading"
        DONE = "done", "Loaded"
        FAILED = "failed", "Not loaded"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField("file name", max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    created_count = models.PositiveIntegerField("rows created", default=0)
    updated_count = models.PositiveIntegerField("rows updated", default=0)
    errors = models.JSONField(default=list, blank=True)
    # The listed errors stop at the first 50 (plus a line counting the rest); this is all.
    error_count = models.PositiveIntegerField("rows with problems", default=0)
    # Empty for a load run from the command line (`manage.py load_metrics`).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_loads",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A worker claims the row (core.jobs.job_claim): one more attempt, started now. The sweep
    # re-queues a row whose worker stopped, or fails it after JOB_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} load of {self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
