"""Load the demo data set: synthetic trusts and one user per role (passwords in the README)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from metrics.models import User
from metrics.services import metric_definitions_load, trusts_load, trusts_parse, user_create

DEMO_TRUSTS = settings.BASE_DIR / "fixtures" / "demo" / "trusts.csv"
# (username, full name, role, trust ODS code, password). Synthetic people, demo data only.
DEMO_USERS = [
    ("admin", "Sam Whitfield", "admin", None, "demo-admin-pass-2026"),
    ("assessor", "Amara Okafor", "assessor", None, "demo-assessor-pass-2026"),
    ("assessor2", "Tom Lindqvist", "assessor", None, "demo-assessor-pass-2026"),
    ("qa", "Priya Raman", "qa", None, "demo-qa-pass-2026"),
    ("cqc", "Dr Helen Marsh", "cqc", None, "demo-cqc-pass-2026"),
    ("trust", "Gareth Evans", "trust", "ZZ1", "demo-trust-pass-2026"),
    ("trust2", "Leah Osei", "trust", "ZZ2", "demo-trust-pass-2026"),
    ("ceo", "Dr Nadia Hussain", "trust", "ZZ1", "demo-trust-pass-2026"),
]
# The trust users who receive their trust's notifications: Demo Northshire's chief executive
# (ceo) and the two demo trust users, so each demo trust user sees the hand-overs.
DEMO_TRUST_CONTACTS = {"ceo", "trust", "trust2"}


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
        for username, full_name, role, trust_code, password in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user_create(
                username=username,
                full_name=full_name,
                role=role,
                trust_code=trust_code,
                password=password,
                email=f"{username}@demo.invalid",
                trust_contact=username in DEMO_TRUST_CONTACTS,
            )
            created += 1
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(rows)} trusts, {created} new users.")
        )
