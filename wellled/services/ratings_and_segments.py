"""Record CQC's well-led rating of a trust and NHS Improvement's segment decision."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from metrics.models import Trust, User

from .. import policies
from ..models.ratings_and_segments import SegmentDecision, WellLedRating

RATING_DATE_FUTURE = "The date of the rating cannot be in the future."
DECISION_DATE_FUTURE = "The date of the decision cannot be in the future."


@transaction.atomic
def wellled_rating_record(
    *, trust: Trust, actor: User, rating: int, rated_on: datetime.date, note: str = ""
) -> WellLedRating:
    policies.may_record_wellled_rating(actor, trust).enforce()
    if rated_on > timezone.localdate():
        raise ValidationError({"rated_on": RATING_DATE_FUTURE}, code="future")
    record = WellLedRating(
        trust=trust, rating=rating, rated_on=rated_on, note=note, recorded_by=actor
    )
    record.full_clean()
    record.save()
    return record


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
