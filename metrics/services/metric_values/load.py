"""Loads of a values file, recorded as DataLoad rows: parse, then write if nothing is wrong."""

import logging
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from metrics.models import DataLoad, User
from metrics.services.load_outcome import data_load_finish, data_load_saved, data_load_stopped

from .parse import Progress, metric_values_parse, no_progress
from .write import MetricValuesLoadResult, metric_values_write

logger = logging.getLogger(__name__)


def _load_progress(load: DataLoad, outer: Progress) -> Progress:
    """Report progress to `outer` and on the load's row, where the status page reads it.

    On PostgreSQL the row is written on a connection of its own, so the page sees the
    progress while the load's transaction is still open.
    """
    side = []
    stages = ["Reading"]
    if connection.vendor == "postgresql" and load.pk:
        side.append(connections.create_connection(DEFAULT_DB_ALIAS))

    def report(percent: int, stage: str) -> None:
        stages.append(stage)
        outer(percent, stage)
        if side and percent < 100:
            with side[0].cursor() as cursor:
                cursor.execute(
                    f"UPDATE {DataLoad._meta.db_table} SET progress = %s WHERE id = %s",  # noqa: S608
                    [percent, load.pk],
                )

    def close() -> None:
        # NOTE: a refresh sent on the commit of an outer transaction may report after this;
        # it then reaches `outer` only (a reopened side connection would wait on the row).
        while side:
            side.pop().close()

    report.close = close
    # The step a load was at when it ran out of time (the failure names it).
    report.stages = stages
    return report


def metric_values_load_run(
    *,
    load: DataLoad,
    content: bytes | Path | None = None,
    progress: Progress = no_progress,
) -> tuple[DataLoad, MetricValuesLoadResult | None]:
    """Check and write one values file (its bytes or its path), recording it on `load`.

    The values and the load's counts and finished_at commit together, so a load left
    "running" with no finished_at by a worker that stopped has saved nothing and can run
    again; it is "Loaded" once the refresh of scores after that commit is done. Out of time
    (Celery's soft limit) before the commit, the load fails naming its step, nothing saved.
    """
    report = _load_progress(load, progress)
    result = None
    try:
        data = bytes(load.content) if content is None else content
        parsed = metric_values_parse(content=data, file_name=load.file_name, progress=report)
        if parsed.errors:
            load.status, load.errors = DataLoad.Status.FAILED, parsed.error_lines()
            load.error_count = parsed.error_count
            data_load_finish(load)
            return load, result
        with transaction.atomic():
            result = metric_values_write(parsed=parsed, progress=report)
            load.created_count, load.updated_count = result.created, result.updated
            load.finished_at = timezone.now()
            load.save(update_fields=["created_count", "updated_count", "finished_at"])
        # The refresh of scores and benchmarks ran on that commit; the load is done.
        load.status = DataLoad.Status.DONE
        data_load_finish(load)
    except SoftTimeLimitExceeded:
        if not DataLoad.objects.filter(pk=load.pk, finished_at__isnull=False).exists():
            data_load_stopped(load=load, step=report.stages[-1])
            return load, None
        # The values are saved; only the refresh of scores after them was cut short.
        logger.error("Load %s: time ran out refreshing scores after saving", load.pk)
        data_load_saved(load)
    finally:
        report.close()
    return load, result


def metric_values_load_file(
    *,
    content: bytes | Path,
    file_name: str,
    uploaded_by: User | None = None,
    progress: Progress = no_progress,
) -> tuple[DataLoad, MetricValuesLoadResult | None]:
    """Load a file given on the command line; the load is recorded like an upload.

    The file's bytes are not kept on the row: the file is still where the admin left it.
    """
    load = DataLoad.objects.create(
        kind=DataLoad.Kind.METRICS,
        file_name=file_name[:255],
        content=b"",
        uploaded_by=uploaded_by,
        status=DataLoad.Status.RUNNING,
    )
    return metric_values_load_run(load=load, content=content, progress=progress)
