"""The warnings a segment decision can raise: each a small named rule with its message and
its source in the 2019/20 oversight annex. A warning never blocks a decision: the decider
reads it and confirms, and the warnings confirmed are kept with the decision.

Table 2 (annex 1, "Support needs and segment descriptions") describes each segment by the
provider's licence and special-measures status; paragraph 27 ties the segment to the level
of support decided on; paragraph 31 sets the quarterly rule for segment 1.
"""

import datetime
from dataclasses import asdict, dataclass

from dateutil.relativedelta import relativedelta

from ..models.ratings_and_segments import SEGMENT_SUPPORT_OFFER, SegmentDecision

TABLE_2 = "NHS Oversight Framework 2019/20 annex 1, Table 2"
PARA_27 = "NHS Oversight Framework 2019/20 annex 1, paragraph 27 and Table 2"
PARA_31 = "NHS Oversight Framework 2019/20 annex 1, paragraph 31"
# The service's own flags are not triggers the annex names (issue 16): they do not count
# against segment 1.
SERVICE_FLAG_CODES = frozenset({"review_overdue", "no_review", "actions_overdue"})
QUARTER = relativedelta(months=3)

BREACH_NEEDED = (
    "Segment {segment} is for a provider in actual or suspected breach of its licence (or "
    "equivalent for NHS trusts); no breach is recorded."
)
SPECIAL_MEASURES_NEEDED = (
    "Segment 4 is for a provider whose very serious or complex issues mean it is in special "
    "measures; the trust is recorded as not in special measures."
)
SPECIAL_MEASURES_BELOW_4 = (
    "The trust is recorded in special measures ({status}), but segment {segment} is for a "
    "provider not in special measures; Table 2 places special measures in segment 4."
)
BREACH_IN_SEGMENT_1 = (
    "Segment 1 is for a provider with no actual support needs; a {breach} of the licence is "
    "recorded."
)
BREACH_IN_SEGMENT_2 = (
    "Segment 2 is for a provider not in breach of its licence and/or for which formal action "
    "is not considered needed; a {breach} is recorded: say in the rationale why formal action "
    "is not needed."
)
OFFER_MISMATCH = (
    "Table 2 offers segment {segment} \u201c{expected}\u201d support; the decision records "
    "\u201c{chosen}\u201d. The segment is determined by the level of support decided on."
)
TRIGGERS_IN_SEGMENT_1 = (
    "Segment 1 is for a provider with no actual support needs across the five themes; "
    "{count} trigger{plural} of potential support need stand{verb} ({labels}): say in the "
    "rationale why none is a support need."
)
SEGMENT_1_QUARTERLY = (
    "The decision of {since:%-d %B %Y} placed the trust in segment 1; decisions about a "
    "provider in segment 1 are taken quarterly (not before {due:%-d %B %Y}) unless there is "
    "information giving cause for concern: name it in the rationale."
)


@dataclass(frozen=True)
class SegmentWarning:
    code: str
    rule: str  # the rule's name, as people read it
    message: str
    source: str

    def as_record(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Proposal:
    """What the decider proposes, with what stood on the day (the flags, the decision
    before)."""

    segment: int
    licence_breach: str
    special_measures: str
    support_offer: str
    decided_on: datetime.date
    flags: list[dict]
    previous: SegmentDecision | None


def _breach_needed(p: Proposal):
    if p.segment in (3, 4) and p.licence_breach == SegmentDecision.LicenceBreach.NONE:
        return BREACH_NEEDED.format(segment=p.segment)
    return None


def _special_measures_needed(p: Proposal):
    if p.segment == 4 and p.special_measures == SegmentDecision.SpecialMeasures.NONE:
        return SPECIAL_MEASURES_NEEDED
    return None


def _special_measures_below_4(p: Proposal):
    if p.segment < 4 and p.special_measures not in ("", SegmentDecision.SpecialMeasures.NONE):
        status = SegmentDecision.SpecialMeasures(p.special_measures).label.lower()
        return SPECIAL_MEASURES_BELOW_4.format(status=status, segment=p.segment)
    return None


def _breach_label(p: Proposal) -> str:
    return SegmentDecision.LicenceBreach(p.licence_breach).label.lower()


def _breach_in_segment_1(p: Proposal):
    if p.segment == 1 and p.licence_breach not in ("", SegmentDecision.LicenceBreach.NONE):
        return BREACH_IN_SEGMENT_1.format(breach=_breach_label(p))
    return None


def _breach_in_segment_2(p: Proposal):
    if p.segment == 2 and p.licence_breach not in ("", SegmentDecision.LicenceBreach.NONE):
        return BREACH_IN_SEGMENT_2.format(breach=_breach_label(p))
    return None


def _offer_mismatch(p: Proposal):
    expected = SEGMENT_SUPPORT_OFFER[p.segment]
    if p.support_offer and p.support_offer != expected:
        chosen = SegmentDecision.SupportOffer(p.support_offer).label
        return OFFER_MISMATCH.format(segment=p.segment, expected=expected.label, chosen=chosen)
    return None


def _triggers_in_segment_1(p: Proposal):
    standing = [
        flag
        for flag in p.flags
        if flag.get("theme") != "service" and flag["code"] not in SERVICE_FLAG_CODES
    ]
    if p.segment == 1 and standing:
        many = len(standing) > 1
        return TRIGGERS_IN_SEGMENT_1.format(
            count=len(standing),
            plural="s" if many else "",
            verb="" if many else "s",
            labels="; ".join(flag["label"] for flag in standing),
        )
    return None


def _segment_1_quarterly(p: Proposal):
    if p.previous is None or p.previous.segment != 1:
        return None
    due = p.previous.decided_on + QUARTER
    if p.decided_on < due:
        return SEGMENT_1_QUARTERLY.format(since=p.previous.decided_on, due=due)
    return None


# code -> (name, source, check): the order is the order the page shows them in.
RULES = {
    "breach_needed": ("Segment 3 or 4 needs a breach", TABLE_2, _breach_needed),
    "special_measures_needed": (
        "Segment 4 needs special measures",
        TABLE_2,
        _special_measures_needed,
    ),
    "special_measures_below_4": (
        "Special measures below segment 4",
        TABLE_2,
        _special_measures_below_4,
    ),
    "breach_in_segment_1": ("Breach in segment 1", TABLE_2, _breach_in_segment_1),
    "breach_in_segment_2": ("Breach in segment 2", TABLE_2, _breach_in_segment_2),
    "support_offer": ("Support offer and segment differ", PARA_27, _offer_mismatch),
    "triggers_in_segment_1": (
        "Segment 1 while triggers stand",
        TABLE_2,
        _triggers_in_segment_1,
    ),
    "segment_1_quarterly": ("Segment 1 decisions are quarterly", PARA_31, _segment_1_quarterly),
}


def segment_warnings(proposal: Proposal) -> list[SegmentWarning]:
    """Every rule the proposal contradicts, in the order of RULES."""
    warnings = []
    for code, (name, source, check) in RULES.items():
        message = check(proposal)
        if message:
            warnings.append(SegmentWarning(code=code, rule=name, message=message, source=source))
    return warnings
