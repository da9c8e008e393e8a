"""Record CQC's well-led rating of a trust (in the trust's one record of CQC's ratings) and
NHS Improvement's segment decision."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from metrics.models import CqcRating, Trust, User
from metrics.services.cqc_ratings import RATING_DATE_FUTURE, cqc_rating_add

from .. import policies
from ..models.ratings_and_segments import SegmentDecision

DECISION_DATE_FUTURE = "The date of the decision cannot be in the future."


@transaction.atomic
def wellled_rating_record(
    *, trust: Trust, actor: User, rating: int, rated_on: datetime.date, note: str = ""
) -> CqcRating:
    policies.may_record_wellled_rating(actor, trust).enforce()
    if rated_on > timezone.localdate():
        raise ValidationError({"rated_on": RATING_DATE_FUTURE}, code="future")
    return cqc_rating_add(
        trust=trust,
        question=CqcRating.Question.WELL_LED,
        rating=rating,
        rated_on=rated_on,
        source=CqcRating.Source.WELL_LED_PAGE,
        actor=actor,
        note=note,
    )


@transaction.atomic
def segment_decision_record(
    *, trust: Trust, actor: User, segment: int, rationale: str, decided_on: datetime.date
) -> SegmentDecision:
    policies.may_record_segment_decision(actor, trust).enforce()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": DECISION_DATE_FUTURE}, code="future")
    decision = SegmentDecision(
        trust=trust, segment=segment, rationale=rationale, decided_on=decided_on, decided_by=actor
    )
    decision.full_clean()
    decision.save()
    return decision
