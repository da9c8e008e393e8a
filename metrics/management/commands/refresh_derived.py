"""`manage.py refresh_derived [--period YYYY-MM ...]`: recompute stored scores and benchmarks."""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

BAD_PERIOD = "--period must be a month written YYYY-MM, not {value!r}"


class Command(BaseCommand):
    help = (
        "Recompute the stored SOF finance scores and metric benchmarks of the months named "
        "(every month with values when none is named). A load refreshes them itself; this is "
        "for a load whose worker stopped after its values were saved (docs/reliability.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", default=[], help="a month, YYYY-MM")

    def handle(self, *args, period: list[str], **options):
        for value in period:
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
                raise CommandError(BAD_PERIOD.format(value=value))
        months = [datetime.date.fromisoformat(f"{value}-01") for value in period] or None
        # NOTE: imported here: the refreshes need pandas and numpy, which start-up avoids.
        from metrics.services.benchmark_store import benchmarks_refresh
        from metrics.services.finance_scores import finance_scores_refresh

        with transaction.atomic():
            finance_scores_refresh(periods=months)
            written = benchmarks_refresh(periods=months)
        which = ", ".join(period) if period else "every month with values"
        self.stdout.write(f"Refreshed finance scores and {written} benchmark rows for {which}.")
