"""Celery tasks of the metrics app. Each takes IDs and calls one service."""

from celery import shared_task
from django.conf import settings
from django.db.models import Q

from core.jobs import JobKind, job_kind_register
from core.tasks import time_limits
from metrics.models import DataLoad, PeerRecompute
from metrics.services.load_outcome import data_load_fail
from metrics.services.peer_groups import peer_recompute_fail, peer_recompute_run

# NOTE: a load saves all or nothing, so a worker lost mid-load may hand it back to the queue
# (acks_late, reject_on_worker_lost); the claim (core.jobs.job_claim) runs it once.
LOAD_TASK_LIMITS = time_limits(settings.UOR_LOAD_TIME_LIMIT)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, **LOAD_TASK_LIMITS)
def data_load_task(self, load_id: int) -> dict:
    # NOTE: imported here, not at start-up: every process imports this module (the app's
    # ready()), and the loads need pandas.
    from metrics.services import data_load_run

    load = data_load_run(load_id=load_id)
    return {"status": load.status, "created": load.created_count, "updated": load.updated_count}


# The sweep (core.jobs) re-sends queued loads and re-queues or fails those whose worker
# stopped. A load run from the command line keeps no bytes on its row and is no job.
job_kind_register(
    JobKind(
        model=DataLoad,
        task_name="metrics.tasks.data_load_task",
        time_limit=LOAD_TASK_LIMITS["time_limit"],
        running=DataLoad.Status.RUNNING,
        doing="loading",
        requested_field="created_at",
        fail=lambda pk, reason: data_load_fail(load_id=pk, reason=reason, problems=0),
        requeue_fields=lambda reason: {"progress": 0},
        claim_fields={"progress": 10},
        sweepable=~Q(content=b""),
    )
)


# NOTE: each year of months commits on its own, so a recompute cut short has rewritten
# some months with the new cohorts and left the rest; the sweep re-queues it and a new run
# starts again from the first month (a month's rows are rewritten whole each time).
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, **LOAD_TASK_LIMITS)
def peer_recompute_task(self, recompute_id: int) -> dict:
    try:
        job = peer_recompute_run(recompute_id=recompute_id)
    except Exception as error:
        peer_recompute_fail(recompute_id=recompute_id, reason=f"{type(error).__name__}: {error}")
        raise
    return {"status": job.status, "months_done": job.months_done}


job_kind_register(
    JobKind(
        model=PeerRecompute,
        task_name="metrics.tasks.peer_recompute_task",
        time_limit=LOAD_TASK_LIMITS["time_limit"],
        running=PeerRecompute.Status.RUNNING,
        doing="recomputing benchmarks",
        requested_field="requested_at",
        fail=lambda pk, reason: peer_recompute_fail(recompute_id=pk, reason=reason),
        requeue_fields=lambda reason: {"months_done": 0},
    )
)
