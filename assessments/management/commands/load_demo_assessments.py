"""Demo assessments for `make run`: one at each stage of the workflow (assessments/demo.py)."""

from django.core.management.base import BaseCommand

from assessments.demo import demo_assessments_load
from metrics.models import Trust, User


class Command(BaseCommand):
    help = (
        "Build one demo assessment at each stage, from scheduled to published (after "
        "load_demo, load_frameworks and load_demo_metrics). Safe to rerun: adds what is missing."
    )

    def handle(self, *args, **options):
        if not (
            Trust.objects.filter(ods_code="ZZ1").exists()
            and User.objects.filter(username="assessor").exists()
        ):
            self.stderr.write("Run load_demo first: the demo trusts and assessors are missing.")
            return
        built = demo_assessments_load()
        for assessment in built:
            self.stdout.write(f"{assessment}: {assessment.get_status_display()}.")
        if not built:
            self.stdout.write("Demo assessments already there.")
