"""Work that survives its queue: the job's row is the truth; the broker only rings the bell.

A job is a row (a rendered document, a data load) that goes queued, then rendering or
running, then finished. A service saves the row and rings after the commit (`Dispatch`,
through core.tasks.queue_on_commit); a bell that cannot ring because the broker is down is
logged, never raised into the request, and the row stays queued. `jobs_sweep` (Celery beat
every UOR_SWEEP_SECONDS, or `manage.py sweep_jobs`) rings again for queued rows nobody took
and re-queues or fails rows whose worker stopped. A task first claims its row
(`job_claim`), so a second delivery of the same job does nothing.

Each app registers its kinds of job (`job_kind_register`) in its tasks module: core knows
no app's models.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.contrib import messages
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import ChannelError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

JOB_MAX_ATTEMPTS = 3
WORKERS_AWAY = (
    "The service's workers cannot be reached just now. Your request is saved and queued: "
    "it will start by itself when they are back. You do not need to ask again."
)
WORKER_STOPPED = "The worker stopped while {doing}; requested again."
WORKER_GAVE_UP = "The worker stopped while {doing}; gave up after {attempts} attempts."

# What publishing raises when the broker is down or unreachable (kombu wraps most of them).
BROKER_DOWN = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)


@dataclass(frozen=True)
class JobKind:
    """How the sweep and the tasks find, claim, re-queue and fail the rows of one model.

    The model has `status` (with "queued" and "failed"), `attempts` and `started_at`.
    """

    model: type[models.Model]
    task_name: str
    time_limit: int  # the task's hard limit in seconds
    running: str  # the status while a worker has the row
    doing: str  # what the worker does, for the reasons shown ("rendering", "loading")
    requested_field: str  # when the row was made
    fail: Callable[[int, str], None]  # the app's own service: mark row pk failed with reason
    requeue_fields: Callable[[str], dict] = lambda reason: {}
    claim_fields: dict = field(default_factory=dict)
    sweepable: Q = field(default_factory=Q)  # rows of this model that are jobs at all

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def stale(self, now: datetime) -> Q:
        """Rows whose worker has had them past the hard limit plus a margin: it stopped."""
        cut = now - timedelta(seconds=self.time_limit + settings.UOR_JOB_MARGIN_SECONDS)
        return Q(status=self.running, started_at__lt=cut)


_KINDS: dict[type[models.Model], JobKind] = {}


def job_kind_register(kind: JobKind) -> JobKind:
    """Make `kind` known to the sweep and to `job_claim` (once per model; the last wins)."""
    _KINDS[kind.model] = kind
    return kind


def job_kinds() -> list[JobKind]:
    return list(_KINDS.values())


def job_kind_for(model: type[models.Model]) -> JobKind:
    return _KINDS[model]


def job_claim(kind: JobKind, pk: int, *, now: datetime | None = None) -> bool:
    """Take row `pk` for this run: queued, or stuck with a dead worker and attempts left.

    One conditional UPDATE: of two deliveries at once exactly one gets True; a ready or
    failed row, or one a live worker has, is never taken again.
    """
    now = now or timezone.now()
    takeable = Q(status="queued") | (kind.stale(now) & Q(attempts__lt=JOB_MAX_ATTEMPTS))
    taken = kind.model.objects.filter(takeable, pk=pk).update(
        status=kind.running, started_at=now, attempts=F("attempts") + 1, **kind.claim_fields
    )
    return bool(taken)


def dispatch(task_name: str, *args) -> bool:
    """Send the task; False, logged, when the broker cannot be reached (never raised).

    In-process (no broker) the task runs here and its errors propagate as before.
    """
    task = current_app.tasks[task_name]
    if current_app.conf.task_always_eager:
        task.delay(*args)
        return True
    try:
        # NOTE: no result is kept: the row is the result. Asking for one would make Celery
        # subscribe to Redis for it first, which, with Redis down, retries for 20 s and
        # then raises RuntimeError, a 500 after the row was saved.
        task.apply_async(args, ignore_result=True)
    except BROKER_DOWN as error:
        logger.warning(
            "Could not queue %s%r (%s: %s); the row stays queued and the sweep will send it",
            task_name,
            args,
            type(error).__name__,
            error,
        )
        return False
    return True


@dataclass
class Dispatch:
    """One send after the commit; `sent` is None until then, False if the broker was down.

    With `run_here_if_away`, a task that has no row for the sweep to find (telling people of
    a hand-over) runs in this process instead when the broker is down, so it is not lost.
    """

    task_name: str
    args: tuple
    sent: bool | None = None
    run_here_if_away: bool = False

    def __call__(self) -> None:
        self.sent = dispatch(self.task_name, *self.args)
        if self.sent is False and self.run_here_if_away:
            result = current_app.tasks[self.task_name].apply(self.args, throw=False)
            if result.failed():
                logger.error("%s%r failed in-process: %r", self.task_name, self.args, result.result)


def workers_away(row: models.Model) -> bool:
    """Whether the send of the job just saved as `row` failed (the page then says so).

    Services put the Dispatch of a row they queue on it as `row.job_dispatch`.
    """
    sent = getattr(getattr(row, "job_dispatch", None), "sent", None)
    return sent is False


def _broker_backlog() -> int | None:
    """Messages waiting in the default queue; None when the broker cannot be asked."""
    if current_app.conf.task_always_eager:
        return 0
    queue = current_app.conf.task_default_queue
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
            try:
                return connection.default_channel.queue_declare(
                    queue=queue, passive=True
                ).message_count
            except ChannelError:
                return 0  # Redis keeps no empty queue: nothing waits
    except BROKER_DOWN:
        return None


def jobs_sweep(now: datetime | None = None) -> dict:
    """Re-send queued rows nobody took; re-queue or fail rows whose worker stopped.

    Queued rows are sent again only when the broker's queue is empty (or cannot be asked):
    a row waiting behind a backlog is not lost, and is not sent twice. Returns the rows
    touched, as "app.model#pk", under redispatched, not_sent, requeued and failed.
    """
    now = now or timezone.now()
    done = {"redispatched": [], "not_sent": [], "requeued": [], "failed": []}
    grace = now - timedelta(seconds=settings.UOR_QUEUED_GRACE_SECONDS)
    # NOTE: asked before this sweep sends anything, so its own sends do not count.
    backlog = _broker_backlog()
    for kind in job_kinds():
        rows = kind.model.objects.filter(kind.sweepable)
        for pk, attempts in rows.filter(kind.stale(now)).values_list("pk", "attempts"):
            name = f"{kind.label}#{pk}"
            if attempts >= JOB_MAX_ATTEMPTS:
                kind.fail(pk, WORKER_GAVE_UP.format(doing=kind.doing, attempts=attempts))
                done["failed"].append(name)
                continue
            reason = WORKER_STOPPED.format(doing=kind.doing)
            if rows.filter(kind.stale(now), pk=pk).update(
                status="queued", **kind.requeue_fields(reason)
            ):
                logger.warning("%s: %s", name, reason)
                done["requeued"].append(name)
                done["redispatched" if dispatch(kind.task_name, pk) else "not_sent"].append(name)
        waiting = rows.filter(status="queued").filter(
            Q(started_at__isnull=True, **{f"{kind.requested_field}__lt": grace})
            | Q(started_at__lt=grace)
        )
        for pk in waiting.values_list("pk", flat=True):
            name = f"{kind.label}#{pk}"
            if name in done["requeued"]:
                continue
            if backlog:
                break  # the broker still holds work: these rows may be in it
            done["redispatched" if dispatch(kind.task_name, pk) else "not_sent"].append(name)
    return done


def job_queued_message(request, row: models.Model, text: str) -> None:
    """Tell the user their job is queued (`text`) and, if the broker was down, that it will
    start when the workers are back: the answer is the usual one, never an error page."""
    if workers_away(row):
        messages.info(request, f"{text} {WORKERS_AWAY}")
    else:
        messages.success(request, text)
