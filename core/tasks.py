"""The one shape of a document-rendering Celery task, which each app's task wraps.

Tasks take IDs and own their retries: a failed render is retried with backoff and, once
the retries are spent, its row is marked failed with the error so the page can show it.
"""

import random
from collections.abc import Callable

from celery import Task, current_app
from django.db import transaction

RENDER_RETRIES = 3

# NOTE: acks_late with reject_on_worker_lost puts the job back on the queue if the worker
# dies mid-render; the broker's visibility timeout (3600 s, settings) is far longer than any
# render, so a slow render is not handed to a second worker. A second run is harmless anyway.
RENDER_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": RENDER_RETRIES,
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
    except Exception as error:
        if task.request.is_eager or task.request.retries >= task.max_retries:
            fail(report_id=pk, error=error)
            return {"report": pk, "status": "failed"}
        raise task.retry(exc=error, countdown=retry_countdown(task.request.retries)) from error
    return {"report": document.pk, "status": document.status, "sha256": document.sha256}


def queue_on_commit(task_name: str, *args) -> None:
    """Queue the task called `task_name` with `args` once the current transaction commits.

    Services name their task rather than import it: an app's tasks module imports its services,
    so the import the other way round would be a cycle. Each app imports its tasks module in
    `AppConfig.ready()`, so every name is in Celery's registry before a request is served.
    """
    transaction.on_commit(lambda: current_app.tasks[task_name].delay(*args))
