"""`manage.py load_metric_definitions [PATH]`: reference data for the metrics, idempotent."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from metrics.services.metric_values import METRIC_DEFINITIONS_FIXTURE, metric_definitions_load


class Command(BaseCommand):
    help = (
        "Create or update metric definitions from a YAML fixture "
        "(default fixtures/metric_definitions.yaml). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=METRIC_DEFINITIONS_FIXTURE)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            created, updated = metric_definitions_load(path=path)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Metric definitions: {created} created, {updated} updated.")
        )
