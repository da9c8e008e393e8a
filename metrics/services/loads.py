"""Files uploaded in the browser are loaded by a Celery task; the row tracks its progress.

The row is the job (core.jobs): a worker claims it before loading, a second delivery of
the same load does nothing, and the sweep re-queues a load whose worker stopped. That is
safe because a load saves all or nothing: its rows commit in one transaction with the
load's counts and finished_at, so a load "running" with no finished_at has saved nothing,
and one with a finished_at (its worker stopped refreshing scores) is simply marked done.
"""

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction

from core.jobs import job_claim, job_kind_for
from core.tasks import queue_on_commit
from metrics.models import DataLoad, User

from .load_outcome import data_load_finish, data_load_saved, data_load_stopped
from .metric_values import metric_values_load_run
from .trusts import trusts_load, trusts_parse


def data_load_create(*, kind: str, file_name: str, content: bytes, uploaded_by: User) -> DataLoad:
    """Record an upload and queue its load once the row is committed."""
    load = DataLoad.objects.create(
        kind=kind, file_name=file_name[:255], content=content, uploaded_by=uploaded_by
    )
    # The page warns if the send fails (core.jobs.workers_away); the sweep sends it later.
    load.job_dispatch = queue_on_commit("metrics.tasks.data_load_task", load.pk)
    return load


def data_load_run(*, load_id: int) -> DataLoad:
    """Run one load if this run claims it; a load that is finished, or that a live worker
    is running, is returned as it is (a duplicate delivery does nothing)."""
    if not job_claim(job_kind_for(DataLoad), load_id):
        return DataLoad.objects.defer("content").get(pk=load_id)
    load = DataLoad.objects.get(pk=load_id)
    if load.finished_at is not None:
        data_load_saved(load)  # an earlier run saved the values; its worker stopped after
        return load
    if load.kind == DataLoad.Kind.METRICS:
        return metric_values_load_run(load=load)[0]
    step = "Checking"
    try:
        rows, errors = trusts_parse(content=bytes(load.content))
        if errors:
            load.status, load.errors = DataLoad.Status.FAILED, [str(error) for error in errors]
            load.error_count = len(errors)
            data_load_finish(load)
            return load
        step = "Saving"
        with transaction.atomic():
            result = trusts_load(rows=rows, actor=load.uploaded_by)
            load.status = DataLoad.Status.DONE
            load.created_count, load.updated_count = result.created, result.updated
            data_load_finish(load)
    except SoftTimeLimitExceeded:
        data_load_stopped(load=load, step=step)
    return load
