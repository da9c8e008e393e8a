"""Celery tasks of the assessments app. Each takes IDs and calls one service."""

from celery import shared_task

from core.tasks import RENDER_TASK_OPTIONS, render_with_retries

from .factual_accuracy.services import fa_deadline_reminders_send
from .notifications import notification_send
from .reports.models import ReportVersion
from .reports.services import report_fail, report_render


@shared_task(**RENDER_TASK_OPTIONS)
def report_render_task(self, report_id: int) -> dict:
    """Render one report version; retry with backoff, then mark it failed with the error."""
    return render_with_retries(
        self, report_id, render=report_render, fail=report_fail, missing=ReportVersion.DoesNotExist
    )


@shared_task(acks_late=True)
def notify_task(event: str, assessment_id: int) -> int:
    """Send the e-mails of one hand-over (queued after the commit that made it)."""
    return notification_send(event=event, assessment_id=assessment_id)


@shared_task
def fa_deadline_reminders_task() -> int:
    """Remind trusts whose factual-accuracy deadline is 3 working days away (run daily)."""
    return fa_deadline_reminders_send()
