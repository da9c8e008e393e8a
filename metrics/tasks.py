"""Celery tasks of the metrics app. Each takes IDs and calls one service."""

from celery import shared_task


@shared_task(bind=True, max_retries=3, retry_backoff=True, acks_late=True)
def data_load_task(self, load_id: int) -> dict:
    # NOTE: imported here, not at start-up: every process imports this module (the app's
    # ready()), and the loads need pandas.
    from metrics.services import data_load_run

    load = data_load_run(load_id=load_id)
    return {"status": load.status, "created": load.created_count, "updated": load.updated_count}
