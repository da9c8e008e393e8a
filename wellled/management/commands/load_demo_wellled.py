"""Well-led demo data for `make run`, so the oversight view shows each kind of flag.

ZZ1 had a developmental review in 2022 (so it is now overdue) with an action past its date;
ZZ2 had one in 2024 that found material governance concerns, and CQC rated it Requires
improvement; ZZ3 is rated Good. NHS Improvement has recorded a CQC warning notice about ZZ1
and a strategic-change concern about ZZ4. Run after load_demo and load_wellled_framework;
safe to rerun.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from metrics.models import CqcRating, Trust, User
from wellled.models import DevelopmentalReview, OversightConcern
from wellled.services import (
    action_create,
    developmental_review_save,
    framework_current,
    wellled_rating_record,
)
from wellled.services.oversight import oversight_concern_record

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
CONCERNS = [
    # (trust, theme, kind, reason, raised on)
    (
        "ZZ1",
        "quality",
        "warning_notice",
        "Synthetic: a section 29A warning notice on staffing levels in the emergency department.",
        datetime.date(2026, 9, 14),
    ),
    (
        "ZZ4",
        "strategic",
        "concern",
        "Synthetic: the trust has not agreed its part in the system's community services plan.",
        datetime.date(2026, 10, 5),
    ),
]


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
        nhsi = User.objects.filter(username="assessor").first()
        for code, theme, kind, reason, raised_on in CONCERNS:
            trust = Trust.objects.get(ods_code=code)
            if nhsi and not OversightConcern.objects.filter(trust=trust).exists():
                oversight_concern_record(
                    trust=trust,
                    actor=nhsi,
                    theme=theme,
                    kind=kind,
                    reason=reason,
                    raised_on=raised_on,
                )
        self.stdout.write("Demo well-led data ready.")
