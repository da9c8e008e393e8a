from django.core.management.base import BaseCommand

from assessments.services.reminders import deadline_reminders_send
from wellled.notifications import wellled_reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders due today: a week and a day before the commentary and "
        "factual-accuracy deadlines and once they pass, and overdue developmental reviews and "
        "well-led actions. Safe to run again: each reminder reaches each person once."
    )

    def handle(self, *args, **options):
        queued = deadline_reminders_send() + wellled_reminders_send()
        self.stdout.write(self.style.SUCCESS(f"{queued} reminder(s) due today checked."))
