"""`manage.py sweep_jobs`: what Celery beat runs every UOR_SWEEP_SECONDS, once, by hand."""

from django.core.management.base import BaseCommand

from core.jobs import jobs_sweep

LINES = {
    "redispatched": "Sent to the workers again",
    "not_sent": "Could not reach the broker for (still queued)",
    "requeued": "Worker stopped; queued again",
    "failed": "Worker stopped too often; marked failed",
}


class Command(BaseCommand):
    help = (
        "Re-send queued jobs (report renders, data loads) that no worker took, and re-queue "
        "or fail those left rendering or running by a worker that stopped; print what it did."
    )

    def handle(self, *args, **options):
        done = jobs_sweep()
        if not any(done.values()):
            self.stdout.write("Nothing to do: no job is stuck or waiting.")
            return
        for key, label in LINES.items():
            if done[key]:
                self.stdout.write(f"{label}: {len(done[key])} ({', '.join(done[key])})")
