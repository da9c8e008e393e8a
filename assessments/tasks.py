"""Celery tasks of the assessments app. Each takes IDs and calls one service."""

from celery import shared_task

from core.tasks import RENDER_TASK_OPTIONS, render_with_retries

from .notifications import notification_send
from .reports.models import ReportVersion
from .reports.services import report_fail, report_render
from .services.reminders import deadline_reminders_send


@shared_task(**RENDER_TASK_OPTIONS)
def report_render_task(self, report_id: int) -> dict:
    """Render one report version; retry with backoff, then mark it failed with the error."""
    return render_with_retries(
        self, report_id, render=report_render, fail=report_fail, missing=ReportVersion.DoesNotExist
    )


@shared_task(acks_late=True)
def notify_task(
    event: str,
    assessment_id: int,
    note: str = "",
    actor_id: int | None = None,
    user_ids: list[int] | None = None,
    key: str = "",
) -> int:
    """Deliver the notifications of one hand-over (queued after the commit that made it)."""
    return notification_send(
        event=event,
        assessment_id=assessment_id,
        note=note,
        actor_id=actor_id,
        user_ids=user_ids,
        key=key,
    )


@shared_task
def deadline_reminders_task() -> int:
    """Remind a week and a day before the commentary and factual-accuracy deadlines, and
    when they pass; each reminder goes to each person once, however often this runs."""
    return deadline_reminders_send()
