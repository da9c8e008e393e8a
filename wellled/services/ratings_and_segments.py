"""Record CQC's well-led rating of a trust (in the trust's one record of CQC's ratings) and
NHS Improvement's segment decision (with the flags standing that day and the warnings the
decider confirmed)."""

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from metrics.models import CqcRating, Trust, User
from metrics.services.cqc_ratings import RATING_DATE_FUTURE, cqc_rating_add

from .. import policies
from ..models.ratings_and_segments import SEGMENT_SUPPORT_OFFER, SegmentDecision
from ..selectors.oversight import oversight_rows
from .segment_rules import Proposal, SegmentWarning, segment_warnings

DECISION_DATE_FUTURE = "The date of the decision cannot be in the future."
SEGMENT_REQUIRED = "Choose the segment, 1 to 4"
LICENCE_BREACH_REQUIRED = "Choose the licence-breach status"
SPECIAL_MEASURES_REQUIRED = "Choose the special-measures status"
SUPPORT_OFFER_REQUIRED = "Choose the level of support offered"
# Each status a decision must give, with the message naming it when missing or unknown.
STATUSES = (
    ("licence_breach", SegmentDecision.LicenceBreach, LICENCE_BREACH_REQUIRED),
    ("special_measures", SegmentDecision.SpecialMeasures, SPECIAL_MEASURES_REQUIRED),
    ("support_offer", SegmentDecision.SupportOffer, SUPPORT_OFFER_REQUIRED),
)
WARNINGS_TO_CONFIRM = (
    "The decision raises {count} warning(s): read them and confirm, or change the decision"
)


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


class WarningsToConfirm(ValidationError):
    """The decision contradicts rules the decider has not yet confirmed reading: nothing is
    saved; `warnings` are every warning the decision raises."""

    def __init__(self, warnings: list[SegmentWarning]):
        super().__init__(
            {"confirm": WARNINGS_TO_CONFIRM.format(count=len(warnings))}, code="unconfirmed"
        )
        self.warnings = warnings


def segment_flags_now(*, trust: Trust, actor: User) -> list[dict]:
    """The oversight flags standing for `trust` today, as the oversight view shows them, as
    plain records to keep, with the theme each comes under."""
    rows = oversight_rows(user=actor, ods_code=trust.ods_code)
    row = rows[0] if rows else None
    records = []
    for flag in row.flags if row else []:
        record = {"code": flag.code, "label": flag.label, "source": flag.source}
        if flag.theme:
            record["theme"], record["theme_label"] = (
                flag.theme,
                flag.theme_label or "The service's own",
            )
        records.append(record)
    return records


def segment_warnings_for(
    *,
    trust: Trust,
    segment: int,
    licence_breach: str,
    special_measures: str,
    support_offer: str,
    decided_on: datetime.date,
    flags: list[dict],
) -> list[SegmentWarning]:
    """The warnings a proposed decision raises against the decision before it and the flags."""
    previous = (
        SegmentDecision.objects.filter(trust=trust, decided_on__lte=decided_on)
        .order_by("-decided_on", "-id")
        .first()
    )
    proposal = Proposal(
        segment=segment,
        licence_breach=licence_breach,
        special_measures=special_measures,
        support_offer=support_offer,
        decided_on=decided_on,
        flags=flags,
        previous=previous,
    )
    return segment_warnings(proposal)


@transaction.atomic
def segment_decision_record(
    *,
    trust: Trust,
    actor: User,
    segment: int,
    rationale: str,
    decided_on: datetime.date,
    licence_breach: str,
    special_measures: str,
    support_offer: str,
    warnings_confirmed: Collection[str] = (),
) -> SegmentDecision:
    """Record the decision with the flags standing today and the warnings it raises; raise
    WarningsToConfirm (nothing saved) while any warning is not among `warnings_confirmed`."""
    policies.may_record_segment_decision(actor, trust).enforce()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": DECISION_DATE_FUTURE}, code="future")
    # NOTE: checked before the rules run, which read the codes' labels.
    given = {
        "licence_breach": licence_breach,
        "special_measures": special_measures,
        "support_offer": support_offer,
    }
    problems = {
        name: message for name, choices, message in STATUSES if given[name] not in choices.values
    }
    if segment not in SEGMENT_SUPPORT_OFFER:
        problems["segment"] = SEGMENT_REQUIRED
    if problems:
        raise ValidationError(problems, code="required")
    # NOTE: the flags kept are the ones the warnings were worked out from, read in the same
    # transaction as the save; what the page showed earlier may have changed since.
    flags = segment_flags_now(trust=trust, actor=actor)
    warnings = segment_warnings_for(
        trust=trust,
        segment=segment,
        licence_breach=licence_breach,
        special_measures=special_measures,
        support_offer=support_offer,
        decided_on=decided_on,
        flags=flags,
    )
    if {warning.code for warning in warnings} - set(warnings_confirmed):
        raise WarningsToConfirm(warnings)
    decision = SegmentDecision(
        trust=trust,
        segment=segment,
        licence_breach=licence_breach,
        special_measures=special_measures,
        support_offer=support_offer,
        rationale=rationale,
        decided_on=decided_on,
        decided_by=actor,
        warnings=[warning.as_record() for warning in warnings],
        flags=flags,
    )
    decision.full_clean()
    decision.save()
    return decision
