"""Load the demo data set: synthetic trusts and one user per role (passwords in the README)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from metrics.models import User
from metrics.services import metric_definitions_load, trusts_load, trusts_parse, user_create

DEMO_TRUSTS = settings.BASE_DIR / "fixtures" / "demo" / "trusts.csv"
# (username, role, trust ODS code, password). These accounts exist only in demo data.
DEMO_USERS = [
    ("admin", "admin", None, "demo-admin-pass-2026"),
    ("assessor", "assessor", None, "demo-assessor-pass-2026"),
    ("assessor2", "assessor", None, "demo-assessor-pass-2026"),
    ("qa", "qa", None, "demo-qa-pass-2026"),
    ("cqc", "cqc", None, "demo-cqc-pass-2026"),
    ("trust", "trust", "ZZ1", "demo-trust-pass-2026"),
    ("trust2", "trust", "ZZ2", "demo-trust-pass-2026"),
]


class Command(BaseCommand):
    help = "Load synthetic demo trusts and one demo user per role. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        rows, errors = trusts_parse(content=DEMO_TRUSTS.read_bytes())
        if errors:
            raise CommandError("; ".join(str(error) for error in errors))
        trusts_load(rows=rows)
        metric_definitions_load()
        created = 0
        for username, role, trust_code, password in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user_create(
                username=username,
                role=role,
                trust_code=trust_code,
                password=password,
                email=f"{username}@demo.invalid",
            )
            created += 1
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(rows)} trusts, {created} new users.")
        )
