"""Whether a factual-accuracy challenge asks for a different rating: the service judges it
from the challenge itself, whatever the trust ticked.

The rule. A challenge asks for a different rating when its requested change (the proposed
correction, the text the trust wants instead) does either of these:

1. asks to re-rate: "re-rate", "rerate", "upgrade", "downgrade", "change (raise, lower, revise,
   increase, reduce, amend, review) the rating", or "the rating should (must, ought to, needs
   to) ...";
2. names a level of the rating scale as the outcome it wants: "rated (as) Good", "rate us
   Outstanding", "should (must) be (rated) Requires improvement", "from Good to Outstanding".

A fact or figure quoted in a rationale stays a factual challenge: "The rationale says agency
spend was 12% of pay; it was 8%" asks for neither. Naming a rating only to say where a figure
is ("the reasons for the Good rating quote 12%") is not asking for a level either: only the
phrases above count. Why the trust thinks the passage is wrong (its reason) is not read: a
factual correction may well explain that the error coloured the rating, and it is still a
correction of fact; CQC, not the trust, decides the rating.
"""

import re

LEVEL = r"(outstanding|good|requires\s+improvement|inadequate)"
_RATING_REQUESTS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # A level named as the outcome first: it quotes best in the refusal.
        rf"\bfrom\s+{LEVEL}\s+to\s+{LEVEL}\b",
        rf"\b(should|must|ought\s+to)\s+be\s+(rated\s+)?(as\s+)?{LEVEL}\b",
        rf"\b(rated|rate\s+(us|it|the\s+trust))\s+(as\s+)?{LEVEL}\b",
        r"\bre-?rat(e|ed|ing)\b",
        r"\b(up|down)grade[sd]?\b",
        r"\b(change|raise|lower|revise|increase|reduce|amend|review)[sd]?\s+"
        r"(the\s+|our\s+|its\s+|this\s+|that\s+|their\s+)?(overall\s+|kloe\s+)?rating\b",
        r"\brating\s+(should|must|ought\s+to|needs\s+to)\b",
    )
]


def rating_request_in(correction: str) -> str:
    """The words of `correction` that ask for a different rating, or "" when none do."""
    for pattern in _RATING_REQUESTS:
        if found := pattern.search(correction or ""):
            return " ".join(found.group(0).split())
    return ""
