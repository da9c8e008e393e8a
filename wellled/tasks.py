"""Celery tasks of the well-led app. Each takes IDs and calls one service."""

from celery import shared_task

from core.tasks import RENDER_TASK_OPTIONS, render_with_retries

from .models import SelfReviewReport
from .reports import self_review_report_fail, self_review_report_render


@shared_task(**RENDER_TASK_OPTIONS)
def self_review_render_task(self, report_id: int) -> dict:
    """Render one self-review PDF; retry with backoff, then mark it failed with the error."""
    return render_with_retries(
        self,
        report_id,
        render=self_review_report_render,
        fail=self_review_report_fail,
        missing=SelfReviewReport.DoesNotExist,
    )
