"""Deadline reminders: a week and a day before the trust's commentary and factual-accuracy
deadlines, and once each has passed.

Run daily (Celery beat, or `manage.py send_deadline_reminders`). Each reminder carries a key
of its kind, assessment and deadline, and a person holding that key is not told again, so a
second run the same day, or a run after a missed day, sends nothing twice; a moved deadline
is a new deadline and is reminded of afresh.
"""

import datetime

from django.utils import timezone

from assessments.deadlines import fa_deadline_current
from assessments.models import Assessment, Status
from assessments.notifications import notify_on_commit

WEEK, DAY = 7, 1


def _reminder(days_left: int, prefix: str) -> str:
    """Which reminder is due with `days_left` days to go (none before the week's)."""
    if days_left < 0:
        return f"{prefix}_overdue"
    if days_left <= DAY:
        return f"{prefix}_day"
    if days_left <= WEEK:
        return f"{prefix}_week"
    return ""


def deadline_reminders_send(today: datetime.date | None = None) -> int:
    """Queue each reminder due `today`; return how many were queued (each person still gets
    each reminder once: the notification's key refuses a second)."""
    today = today or timezone.localdate()
    queued = 0
    due = []
    for assessment in Assessment.objects.filter(
        status=Status.SCHEDULED, commentary_submitted_at__isnull=True
    ):
        deadline = assessment.commentary_deadline
        due.append((assessment, _reminder((deadline - today).days, "commentary"), deadline))
    for assessment in Assessment.objects.filter(status=Status.FACTUAL_ACCURACY):
        current = fa_deadline_current(assessment)
        if current is not None:
            due.append(
                (assessment, _reminder((current.deadline - today).days, "fa"), current.deadline)
            )
    for assessment, event, deadline in due:
        if event:
            notify_on_commit(event, assessment, key=f"{event}:{assessment.pk}:{deadline:%Y-%m-%d}")
            queued += 1
    return queued
