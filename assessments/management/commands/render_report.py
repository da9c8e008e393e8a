import time

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment, ReportVersion
from assessments.reports.services import report_fail, report_render, report_version_create


class Command(BaseCommand):
    help = (
        "Render an assessment's draft or final report now, in this process, as a new version; "
        "print its version, size and SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--kind", choices=ReportVersion.Kind.values, default="draft")

    def handle(self, *args, assessment_id, kind, **options):
        assessment = Assessment.objects.filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"There is no assessment {assessment_id}.")
        report = report_version_create(assessment=assessment, kind=kind, requested_by=None)
        started = time.perf_counter()
        try:
            report = report_render(report_id=report.pk)
        except Exception as error:
            report_fail(report_id=report.pk, error=error)
            raise CommandError(
                f"{report.get_kind_display()} v{report.number} failed: {error}"
            ) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{report.get_kind_display()} version {report.number} of assessment {assessment.pk}: "
            f"{report.size} bytes, SHA-256 {report.sha256}, rendered in {seconds:.2f} s"
        )
