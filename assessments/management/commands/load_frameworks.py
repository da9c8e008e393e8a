from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.services import frameworks_load_all


class Command(BaseCommand):
    help = "Load the UoR framework versions from fixtures/frameworks/ (used ones are kept)."

    def handle(self, *args, **options):
        try:
            lines = frameworks_load_all()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line in lines:
            self.stdout.write(line)
