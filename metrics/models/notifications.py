"""A message in a person's list of notifications: one row per person per hand-over."""

from django.conf import settings
from django.db import models


# NOTE: here, beside the user model, because both assessments and wellled announce
# hand-overs and both may import metrics; core keeps no tables of its own.
class Notification(models.Model):
    """What happened, why (the note, where there is one) and a link to the thing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    note = models.TextField("reason or note", blank=True)
    url = models.CharField(max_length=300, blank=True)
    # A reminder's key ("fa_week:12:2026-12-30"): each is sent to each person once.
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_key_once_per_user",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
