"""Celery tasks of the well-led app. Each takes IDs and calls one service.

NOTE: the services are imported inside the tasks: this module is imported at start-up by
every process (the app's ready()), and the services pull in pandas (through the selectors).
"""

from celery import shared_task

from core.documents import document_job_kind
from core.jobs import job_kind_register
from core.tasks import RENDER_TASK_OPTIONS, render_with_retries

from .models import SelfReviewReport


@shared_task(**RENDER_TASK_OPTIONS)
def self_review_render_task(self, report_id: int) -> dict:
    """Render one self-review PDF; retry with backoff, then mark it failed with the error."""
    # NOTE: imported here, not at start-up (see above).
    from .reports import self_review_report_fail, self_review_report_render

    return render_with_retries(
        self,
        report_id,
        render=self_review_report_render,
        fail=self_review_report_fail,
        missing=SelfReviewReport.DoesNotExist,
    )


def _self_review_report_fail(*, report_id: int, error: str) -> None:
    # NOTE: imported here, not at start-up (see above).
    from .reports import self_review_report_fail

    self_review_report_fail(report_id=report_id, error=error)


# The sweep (core.jobs) re-sends or fails PDFs whose worker stopped.
job_kind_register(
    document_job_kind(
        model=SelfReviewReport,
        task_name="wellled.tasks.self_review_render_task",
        fail=_self_review_report_fail,
    )
)


@shared_task(acks_late=True)
def wellled_notify_task(
    event: str,
    trust_id: int,
    url: str,
    note: str = "",
    actor_id: int | None = None,
    key: str = "",
    due: str = "",
) -> int:
    """Deliver the notifications of one well-led event (queued after its commit)."""
    # NOTE: imported here, not at start-up (see above).
    from .notifications import wellled_notification_send

    return wellled_notification_send(
        event=event, trust_id=trust_id, url=url, note=note, actor_id=actor_id, key=key, due=due
    )


@shared_task
def wellled_reminders_task() -> int:
    """Remind of overdue developmental reviews and actions (run daily; each once)."""
    # NOTE: imported here, not at start-up (see above).
    from .notifications import wellled_reminders_send

    return wellled_reminders_send()
