"""`manage.py load_metrics PATH`: metric values from CSV or XLSX, all rows or none."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from metrics.services.metric_values import ALLOWED_EXTENSIONS, metric_values_load_file


class Command(BaseCommand):
    help = (
        "Insert or update metric values from a CSV or XLSX file with the columns "
        "ods_code,metric_code,period,value (period as YYYY-MM). The whole file is checked "
        "first: a file with any bad row loads nothing, and the bad rows are listed."
    )
    # NOTE: no system checks: they import every URLconf and view (half a second of a
    # monthly load); `manage.py check` and every deploy run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, verbosity: int = 1, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.suffix.lower() not in ALLOWED_EXTENSIONS:
            raise CommandError(f"{path.name}: the file must end .csv or .xlsx")
        # tqdm draws only on a terminal (disable=None), so logs and tests stay clean.
        bar = tqdm(
            total=100,
            unit="%",
            disable=None,
            bar_format="{desc:18}{percentage:3.0f}%|{bar}| {elapsed}",
        )
        stages: list[tuple[str, float]] = []

        def progress(percent: int, stage: str) -> None:
            if not stages or stages[-1][0] != stage:
                stages.append((stage, time.perf_counter()))
            bar.set_description_str(stage)
            bar.update(max(percent - bar.n, 0))

        started = time.perf_counter()
        load, result = metric_values_load_file(content=path, file_name=path.name, progress=progress)
        bar.close()
        if verbosity >= 2:
            ends = [moment for _, moment in stages[1:]] + [time.perf_counter()]
            for (stage, begun), ended in zip(stages, ends, strict=True):
                self.stdout.write(f"  {stage}: {ended - begun:.2f} s")
            self.stdout.write(f"  total: {time.perf_counter() - started:.2f} s")
        if load.status != load.Status.DONE:
            for error in load.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"Nothing loaded from {path.name}: see the problems above.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {path.name}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
        if verbosity >= 2:
            self.stdout.write(f"  written by the {result.method} path")
