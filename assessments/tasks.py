"""Celery tasks of the assessments app. Each takes IDs and calls one service.

NOTE: the services are imported inside the tasks: this module is imported at start-up by
every process (the app's ready()), and the services pull in pandas and the API framework.
"""

from celery import shared_task

from core.documents import document_job_kind
from core.jobs import job_kind_register
from core.tasks import RENDER_TASK_OPTIONS, render_with_retries

from .reports.models import ReportVersion


@shared_task(**RENDER_TASK_OPTIONS)
def report_render_task(self, report_id: int) -> dict:
    """Render one report version; retry with backoff, then mark it failed with the error."""
    # NOTE: imported here, not at start-up (see above).
    from .reports.services import report_fail, report_render

    return render_with_retries(
        self, report_id, render=report_render, fail=report_fail, missing=ReportVersion.DoesNotExist
    )


def _report_fail(*, report_id: int, error: str) -> None:
    # NOTE: imported here, not at start-up (see above).
    from .reports.services import report_fail

    report_fail(report_id=report_id, error=error)


# The sweep (core.jobs) re-sends or fails report versions whose worker stopped.
job_kind_register(
    document_job_kind(
        model=ReportVersion, task_name="assessments.tasks.report_render_task", fail=_report_fail
    )
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
    # NOTE: imported here, not at start-up (see above).
    from .notifications import notification_send

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
    # NOTE: imported here, not at start-up (see above).
    from .services.reminders import deadline_reminders_send

    return deadline_reminders_send()
