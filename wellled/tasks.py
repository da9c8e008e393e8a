"""Celery tasks of the well-led app. Each takes IDs and calls one service."""

from celery import shared_task

from assessments.tasks import RENDER_RETRIES, retry_countdown

from .models import SelfReviewReport
from .reports import self_review_report_fail, self_review_report_render


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=RENDER_RETRIES)
def self_review_render_task(self, report_id: int) -> dict:
    """Render one self-review PDF; retry with backoff, then mark it failed with the error.

    In-process (eager) runs have no worker to retry later, so they fail at once (as the
    assessment reports do); the PDF can be requested again.
    """
    try:
        report = self_review_report_render(report_id=report_id)
    except SelfReviewReport.DoesNotExist:
        return {"report": report_id, "status": "missing"}
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            self_review_report_fail(report_id=report_id, error=error)
            return {"report": report_id, "status": SelfReviewReport.Status.FAILED.value}
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error
    return {"report": report.pk, "status": report.status, "sha256": report.sha256}
