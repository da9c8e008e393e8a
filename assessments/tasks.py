"""Celery tasks of the assessments app. Each takes IDs and calls one service."""

import random

from celery import shared_task

from .models import ReportVersion
from .reports import report_fail, report_render

RENDER_RETRIES = 3


def retry_countdown(retries: int) -> int:
    """Exponential backoff with jitter: about 5, 10, 20 s, never over two minutes."""
    return min(120, 5 * 2**retries) + random.randint(0, 3)  # noqa: S311 (not security)


# NOTE: acks_late with reject_on_worker_lost puts the job back on the queue if the worker
# dies mid-render; the broker's visibility timeout (3600 s, settings) is far longer than any
# render, so a slow render is not handed to a second worker. A second run is harmless anyway.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=RENDER_RETRIES)
def report_render_task(self, report_id: int) -> dict:
    """Render one report version; retry with backoff, then mark it failed with the error.

    Celery's autoretry_for would raise its Retry out of an in-process (eager) run and leave
    the version queued for ever, so the retry is written out: in-process there is no worker
    to retry later, and the version fails at once with its error (it can be requested again).
    """
    try:
        report = report_render(report_id=report_id)
    except ReportVersion.DoesNotExist:
        return {"report": report_id, "status": "missing"}
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            report_fail(report_id=report_id, error=error)
            return {"report": report_id, "status": ReportVersion.Status.FAILED.value}
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error
    return {"report": report.pk, "status": report.status, "sha256": report.sha256}


@shared_task(acks_late=True)
def notify_task(event: str, assessment_id: int) -> int:
    """Send the e-mails of one hand-over (queued after the commit that made it)."""
    from .notifications import notification_send

    return notification_send(event=event, assessment_id=assessment_id)


@shared_task
def fa_deadline_reminders_task() -> int:
    """Remind trusts whose factual-accuracy deadline is 3 working days away (run daily)."""
    from .review import fa_deadline_reminders_send

    return fa_deadline_reminders_send()
