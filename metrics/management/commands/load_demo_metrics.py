"""`manage.py load_demo_metrics`: 24 months of synthetic values for the demo trusts."""

from django.core.management.base import BaseCommand, CommandError

from metrics.services.demo_metrics import DEMO_MONTHS, demo_metric_values_load


class Command(BaseCommand):
    help = (
        "Write deterministic synthetic values of every metric for the demo trusts ZZ1-ZZ6 "
        f"({DEMO_MONTHS} months, seeded), and compute their finance scores. Safe to run again."
    )

    def handle(self, *args, **options):
        try:
            result = demo_metric_values_load()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo metric values ready: {result.created} created, {result.updated} updated."
            )
        )
