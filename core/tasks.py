"""The one shape of a document-rendering Celery task, which each app's task wraps.

Tasks take IDs and own their retries: a failed render is retried with backoff and, once
the retries are spent, its row is marked failed with the error so the page can show it.
"""

import random
from collections.abc import Callable

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction

from .jobs import Dispatch, jobs_sweep

RENDER_RETRIES = 3
RENDER_STOPPED = "Rendering stopped after {minutes} minutes; request a new version to try again."


def time_limits(soft: int) -> dict:
    """A task's Celery time limits: asked to stop at `soft` seconds, killed a little later.

    The broker's visibility timeout (settings) is derived from the longest of these.
    """
    return {"soft_time_limit": soft, "time_limit": soft + settings.UOR_TIME_LIMIT_GRACE}


# NOTE: acks_late with reject_on_worker_lost puts the job back on the queue if the worker
# dies mid-render; the broker's visibility timeout (settings) is longer than the hard limit,
# so a slow render is not handed to a second worker. A second run finds the row claimed
# (core.jobs.job_claim) and does nothing; the sweep re-queues a dead worker's rows.
RENDER_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": RENDER_RETRIES,
    **time_limits(settings.UOR_RENDER_TIME_LIMIT),
}


def retry_countdown(retries: int) -> int:
    """Exponential backoff with jitter: about 5, 10, 20 s, never over two minutes."""
    return min(120, 5 * 2**retries) + random.randint(0, 3)  # noqa: S311 (not security)


def render_with_retries(
    task: Task,
    pk: int,
    *,
    render: Callable[..., object],
    fail: Callable[..., None],
    missing: type[Exception],
) -> dict:
    """Run `render(report_id=pk)`; retry with backoff, then `fail(report_id=pk, error=...)`.

    Celery's autoretry_for would raise its Retry out of an in-process (eager) run and leave
    the row queued for ever, so the retry is written out: in-process there is no worker to
    retry later, and the row fails at once with its error (it can be requested again).
    """
    try:
        document = render(report_id=pk)
    except missing:
        return {"report": pk, "status": "missing"}
    except SoftTimeLimitExceeded:
        # A render that ran out of time would run out again: fail it at once, saying so.
        fail(report_id=pk, error=RENDER_STOPPED.format(minutes=task.soft_time_limit // 60))
        return {"report": pk, "status": "failed"}
    except Exception as error:
        if task.request.is_eager or task.request.retries >= task.max_retries:
            fail(report_id=pk, error=error)
            return {"report": pk, "status": "failed"}
        raise task.retry(exc=error, countdown=retry_countdown(task.request.retries)) from error
    return {"report": document.pk, "status": document.status, "sha256": document.sha256}


def queue_on_commit(task_name: str, *args, run_here_if_away: bool = False) -> Dispatch:
    """Queue the task called `task_name` with `args` once the current transaction commits.

    Services name their task rather than import it: an app's tasks module imports its services,
    so the import the other way round would be a cycle. Each app imports its tasks module in
    `AppConfig.ready()`, so every name is in Celery's registry before a request is served.
    A broker that cannot be reached is logged, not raised (core.jobs): the returned Dispatch
    says whether the send worked, and the sweep sends the row's job later. A task with no row
    for the sweep (`run_here_if_away`) runs in this process instead.
    """
    send = Dispatch(task_name, args, run_here_if_away=run_here_if_away)
    transaction.on_commit(send)
    return send


@shared_task
def jobs_sweep_task() -> dict:
    """Re-send queued jobs nobody took; re-queue or fail those whose worker stopped."""
    return jobs_sweep()
