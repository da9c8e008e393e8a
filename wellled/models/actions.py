"""Hold a trust's action plan: actions from a self-review or a developmental review, and the
progress noted on each."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .developmental_reviews import DevelopmentalReview
from .framework import Kloe
from .self_reviews import SelfReview


class Action(models.Model):
    """One action of a trust's plan, from a self-review or a developmental review."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    self_review = models.ForeignKey(
        SelfReview, on_delete=models.CASCADE, null=True, blank=True, related_name="plan"
    )
    developmental_review = models.ForeignKey(
        DevelopmentalReview, on_delete=models.CASCADE, null=True, blank=True, related_name="plan"
    )
    kloe = models.ForeignKey(Kloe, on_delete=models.PROTECT, related_name="+", verbose_name="KLOE")
    text = models.TextField("action")
    owner = models.CharField(max_length=200)
    due_on = models.DateField("due date")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(self_review__isnull=False, developmental_review__isnull=True)
                    | models.Q(self_review__isnull=True, developmental_review__isnull=False)
                ),
                name="action_from_one_review",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["not_started", "in_progress", "complete"]),
                name="action_status_known",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("wellled:action_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_on < timezone.localdate()

    @property
    def source(self):
        return self.self_review or self.developmental_review


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField("date")
    text = models.TextField("progress")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-noted_on", "-id"]

    def __str__(self):
        return f"{self.noted_on}: {self.text[:60]}"
