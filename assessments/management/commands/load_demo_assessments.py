"""Demo assessments for `make run`: one scheduled for ZZ1, led by `assessor`, and one
published for ZZ2 with its draft and final reports (assessments/demo.py)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.demo import demo_published_assessment_load
from assessments.models import Assessment, Framework
from assessments.services import assessment_create
from metrics.models import Trust, User


class Command(BaseCommand):
    help = "Schedule a demo assessment of the first demo trust (after load_demo). Safe to rerun."

    def handle(self, *args, **options):
        trust = Trust.objects.filter(ods_code="ZZ1").first()
        lead = User.objects.filter(username="assessor").first()
        if trust is None or lead is None:
            self.stderr.write("Run load_demo first: the demo trust and assessor are missing.")
            return
        published = demo_published_assessment_load()
        if published is not None:
            self.stdout.write(f"Published {published}, with its draft and final reports.")
        if Assessment.objects.filter(trust=trust).exists():
            self.stdout.write("Demo assessment already there.")
            return
        today = timezone.localdate()
        assessment = assessment_create(
            trust=trust,
            framework=Framework.objects.get(code="uor-2017-acute"),
            site_visit_date=today + datetime.timedelta(days=42),
            lead=lead,
            members=list(User.objects.filter(username="assessor2")),
            created_by=lead,
            today=today,
        )
        self.stdout.write(f"Scheduled {assessment}.")
