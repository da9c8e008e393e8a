"""Loads of a values file, recorded as DataLoad rows: parse, then write if nothing is wrong."""

from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from metrics.models import DataLoad, User

from .parse import Progress, metric_values_parse, no_progress
from .write import MetricValuesLoadResult, metric_values_write


def _load_progress(load: DataLoad, outer: Progress) -> Progress:
    """Report progress to `outer` and on the load's row, where the status page reads it.

    On PostgreSQL the row is written on a connection of its own, so the page sees the
    progress while the load's transaction is still open.
    """
    side = []
    if connection.vendor == "postgresql" and load.pk:
        side.append(connections.create_connection(DEFAULT_DB_ALIAS))

    def report(percent: int, stage: str) -> None:
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
    return report


def metric_values_load_run(
    *,
    load: DataLoad,
    content: bytes | Path | None = None,
    progress: Progress = no_progress,
) -> tuple[DataLoad, MetricValuesLoadResult | None]:
    """Check and write one values file (its bytes or its path), recording it on `load`."""
    report = _load_progress(load, progress)
    try:
        data = bytes(load.content) if content is None else content
        parsed = metric_values_parse(content=data, file_name=load.file_name, progress=report)
        result = None
        if parsed.errors:
            load.status, load.errors = DataLoad.Status.FAILED, parsed.error_lines()
            load.error_count = parsed.error_count
        else:
            result = metric_values_write(parsed=parsed, progress=report)
            load.status = DataLoad.Status.DONE
            load.created_count, load.updated_count = result.created, result.updated
    finally:
        report.close()
    load.progress, load.finished_at = 100, timezone.now()
    load.save()
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
