"""Draw the pages of an assessment's latest draft and final reports as PNG images.

docs/report-pages/ holds the images of the demo's published assessment (make run's data):
    .venv/bin/python manage.py report_page_images --out docs/report-pages
It needs `pdftoppm` (Debian's poppler-utils), which `make test` installs.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment, ReportVersion

NO_POPPLER = "pdftoppm is missing: install Debian's poppler-utils."
NO_ASSESSMENT = "No assessment has ready draft and final reports; run make run's demo steps first."


class Command(BaseCommand):
    help = "Save the pages of the latest ready draft and final report as PNG images."

    def add_arguments(self, parser):
        parser.add_argument("--assessment", type=int, help="its ID (default: the demo's)")
        parser.add_argument("--out", default="docs/report-pages", help="folder for the images")
        parser.add_argument("--dpi", type=int, default=60)
        parser.add_argument("--pages", type=int, default=6, help="the first N pages of each")

    def handle(self, *args, **options):
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise CommandError(NO_POPPLER)
        assessment = self._assessment(options["assessment"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        for kind in (ReportVersion.Kind.DRAFT, ReportVersion.Kind.FINAL):
            report = (
                assessment.reports.filter(kind=kind, status=ReportVersion.Status.READY)
                .order_by("-number")
                .first()
            )
            for old in out.glob(f"{kind}-*.png"):
                old.unlink()
            with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
                pdf.write(bytes(report.pdf))
                pdf.flush()
                subprocess.run(  # noqa: S603 (a fixed program and our own file names)
                    [
                        pdftoppm,
                        *("-png", "-r", str(options["dpi"]), "-l", str(options["pages"])),
                        *(pdf.name, str(out / kind)),
                    ],
                    check=True,
                )
            # pdftoppm pads page numbers to the report's length; name them draft-1.png, ...
            pages = sorted(out.glob(f"{kind}-*.png"), key=lambda page: int(page.stem.split("-")[1]))
            for page in pages:
                page.rename(out / f"{kind}-{int(page.stem.split('-')[1])}.png")
            self.stdout.write(f"{kind}: {len(pages)} pages in {out}")

    def _assessment(self, pk: int | None) -> Assessment:
        ready = Assessment.objects.filter(reports__status=ReportVersion.Status.READY)
        if pk is not None:
            ready = ready.filter(pk=pk)
        for assessment in ready.distinct().order_by("-status_changed_at", "-pk"):
            kinds = set(
                assessment.reports.filter(status=ReportVersion.Status.READY).values_list(
                    "kind", flat=True
                )
            )
            if {ReportVersion.Kind.DRAFT, ReportVersion.Kind.FINAL} <= kinds:
                return assessment
        raise CommandError(NO_ASSESSMENT)
