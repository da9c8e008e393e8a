"""How a data load ends: loaded, refused with the file's problems, or stopped.

Shared by the loads of trusts (services.loads) and of metric values (metric_values.load).
"""

from django.conf import settings
from django.utils import timezone

from metrics.models import DataLoad

LOAD_STOPPED = (
    "Loading stopped at the step “{step}” after {duration}: the file is too large to load in "
    "one go. Nothing was loaded; split it into smaller files and upload each."
)


def data_load_finish(load: DataLoad) -> None:
    """Save the load as finished (inside the transaction that saved its rows, if any)."""
    load.progress, load.finished_at = 100, timezone.now()
    load.save()


def data_load_saved(load: DataLoad) -> None:
    """Mark done a load whose values an earlier run committed (its finished_at says so),
    though the refresh of scores after them was cut short."""
    DataLoad.objects.filter(pk=load.pk, finished_at__isnull=False).exclude(
        status=DataLoad.Status.DONE
    ).update(status=DataLoad.Status.DONE, progress=100)
    load.refresh_from_db()


def data_load_fail(*, load_id: int, reason: str, problems: int = 1) -> None:
    """Mark an unfinished load failed with `reason`, shown on its page (nothing was saved).

    `problems` is 1 for a problem with the file, 0 for one with the service (a worker that
    stopped), so the page does not blame the file. A load whose values were committed
    (finished_at) is done instead: it saved them.
    """
    unfinished = DataLoad.objects.filter(pk=load_id).exclude(status=DataLoad.Status.DONE)
    unfinished.filter(finished_at__isnull=False).update(status=DataLoad.Status.DONE, progress=100)
    unfinished.filter(finished_at__isnull=True).update(
        status=DataLoad.Status.FAILED,
        errors=[reason],
        error_count=problems,
        progress=100,
        finished_at=timezone.now(),
    )


def data_load_stopped(*, load: DataLoad, step: str) -> None:
    """Fail a load that ran out of time at `step` (Celery's soft limit); its transaction
    rolled back whole, so nothing of it is saved."""
    seconds = settings.UOR_LOAD_TIME_LIMIT
    duration = f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} s"
    data_load_fail(load_id=load.pk, reason=LOAD_STOPPED.format(step=step, duration=duration))
    load.refresh_from_db()
