"""Files uploaded in the browser are loaded by a Celery task; the row tracks its progress."""

from django.utils import timezone

from core.tasks import queue_on_commit
from metrics.models import DataLoad, User

from .metric_values import metric_values_load_run
from .trusts import trusts_load, trusts_parse


def data_load_create(*, kind: str, file_name: str, content: bytes, uploaded_by: User) -> DataLoad:
    """Record an upload and queue its load once the row is committed."""
    load = DataLoad.objects.create(
        kind=kind, file_name=file_name[:255], content=content, uploaded_by=uploaded_by
    )
    queue_on_commit("metrics.tasks.data_load_task", load.pk)
    return load


def data_load_run(*, load_id: int) -> DataLoad:
    """Run one load. Safe to run twice: a finished load is left as it is."""
    load = DataLoad.objects.get(pk=load_id)
    if load.is_finished:
        return load
    load.status, load.progress = DataLoad.Status.RUNNING, 10
    load.save(update_fields=["status", "progress"])
    if load.kind == DataLoad.Kind.METRICS:
        return metric_values_load_run(load=load)[0]

    rows, errors = trusts_parse(content=bytes(load.content))
    if errors:
        load.status, load.errors = DataLoad.Status.FAILED, [str(error) for error in errors]
        load.error_count = len(errors)
    else:
        result = trusts_load(rows=rows)
        load.status = DataLoad.Status.DONE
        load.created_count, load.updated_count = result.created, result.updated
    load.progress, load.finished_at = 100, timezone.now()
    load.save()
    return load
