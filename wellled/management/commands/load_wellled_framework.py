from django.core.management.base import BaseCommand

from wellled.services import wellled_load_all


class Command(BaseCommand):
    help = (
        "Load the well-led framework (fixtures/frameworks/wellled-2017.yaml) and the default "
        "priority-rating scheme (fixtures/wellled/priority_scheme.yaml)."
    )

    def handle(self, *args, **options):
        for line in wellled_load_all():
            self.stdout.write(line)
