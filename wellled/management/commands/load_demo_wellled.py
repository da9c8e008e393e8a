"""Well-led demo data for `make run`, so the oversight view shows each kind of flag.

ZZ1 had a developmental review in 2022 (so it is now overdue) with an action past its date;
ZZ2 had one in 2024 that found material governance concerns, and CQC rated it Requires
improvement; ZZ3 is rated Good. Run after load_demo and load_wellled_framework; safe to rerun.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from metrics.models import CqcRating, Trust, User
from wellled.models import DevelopmentalReview
from wellled.services import (
    action_create,
    developmental_review_save,
    framework_current,
    wellled_rating_record,
)

REVIEWS = [
    # (trust, started, completed, concerns, overdue action)
    ("ZZ1", datetime.date(2022, 3, 1), datetime.date(2022, 6, 30), "", True),
    (
        "ZZ2",
        datetime.date(2024, 1, 8),
        datetime.date(2024, 4, 26),
        "The board could not show how it tracks the cost improvement programme.",
        False,
    ),
]
RATINGS = [("ZZ2", 3, datetime.date(2025, 11, 3)), ("ZZ3", 2, datetime.date(2026, 2, 16))]


class Command(BaseCommand):
    help = "Load demo well-led reviews, an overdue action and CQC well-led ratings."

    @transaction.atomic
    def handle(self, *args, **options):
        cqc = User.objects.filter(username="cqc").first()
        if cqc is None:
            self.stderr.write("Run load_demo first: the demo users are missing.")
            return
        kloes = list(framework_current().kloes.all())
        for code, started, completed, concerns, overdue_action in REVIEWS:
            trust = Trust.objects.get(ods_code=code)
            if DevelopmentalReview.objects.filter(trust=trust).exists():
                continue
            actor = User.objects.filter(trust=trust).first()  # the trust records its reviews
            if actor is None:
                continue
            review = developmental_review_save(
                trust=trust,
                actor=actor,
                kloes=kloes,
                ratings=dict.fromkeys(kloes, 2),
                facilitator_name="Demo Facilitator",
                facilitator_organisation="Demo Reviews Ltd",
                peer_reviewers="A. Peer\nB. Peer",
                independence=DevelopmentalReview.Independence.DECLARED,
                started_on=started,
                completed_on=completed,
                findings="Synthetic findings for the demonstration.",
                good_practice="Clear board papers.",
                material_concerns=bool(concerns),
                concerns_text=concerns,
                letter_sent_on=completed + datetime.timedelta(days=14),
            )
            if overdue_action:
                action_create(
                    trust=trust,
                    actor=actor,
                    kloe=kloes[0],
                    text="Refresh the trust's strategy with partners",
                    owner="Director of strategy",
                    due_on=datetime.date(2025, 3, 31),
                    developmental_review=review,
                )
        for code, rating, rated_on in RATINGS:
            trust = Trust.objects.get(ods_code=code)
            if not CqcRating.objects.filter(trust=trust, question="well_led").exists():
                wellled_rating_record(trust=trust, actor=cqc, rating=rating, rated_on=rated_on)
        self.stdout.write("Demo well-led data ready.")
