from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from metrics.models import Role
from metrics.services import user_create


class Command(BaseCommand):
    help = "Create a user with a role; trust users name their trust by ODS code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"one of {', '.join(Role.values)}")
        parser.add_argument("--trust", help="ODS code of the trust (trust users only)")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help='full name, e.g. "Dr Amara Okafor"')
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--trust-contact",
            action="store_true",
            help="the trust user receives the trust's notifications",
        )

    def handle(self, *args, **options):
        try:
            user = user_create(
                username=options["username"],
                role=options["role"],
                password=options["password"],
                trust_code=options["trust"],
                email=options["email"],
                full_name=options["name"],
                trust_contact=options["trust_contact"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {user.username} ({user.get_role_display()}, {user.organisation_name})."
            )
        )
