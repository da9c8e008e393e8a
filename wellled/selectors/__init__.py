"""Read what the well-led pages and the API share; re-export every selector here, so
`from wellled import selectors` and `selectors.x(...)` keep working. Decide who may see which
trust's records in these modules only, through metrics.selectors.trusts_visible_to: staff
see every trust, a trust user their own (another trust's records are a 404, never a 403).

- framework: the latest framework, its KLOEs for the reader page, and the search;
- self_reviews, developmental_reviews, actions, ratings_and_segments: the records of each
  subject a user may see (developmental_reviews also holds the comply-or-explain cycle);
- oversight: NHS Improvement's one row per trust with its flags.
"""

from .actions import action_get_for_user, actions_visible_to
from .developmental_reviews import (
    ReviewCycle,
    developmental_review_get_for_user,
    developmental_reviews_visible_to,
    next_due,
    review_cycle_for_trust,
)
from .framework import framework_kloes, framework_latest, framework_search
from .oversight import FLAGS, SORTS, Flag, OversightRow, oversight_regions, oversight_rows
from .ratings_and_segments import segment_decisions_for_trust, wellled_ratings_visible_to
from .self_reviews import (
    self_review_attachment_get,
    self_review_entries,
    self_review_get_for_user,
    self_review_report_get,
    self_reviews_visible_to,
)

__all__ = [
    "FLAGS",
    "SORTS",
    "Flag",
    "OversightRow",
    "ReviewCycle",
    "action_get_for_user",
    "actions_visible_to",
    "developmental_review_get_for_user",
    "developmental_reviews_visible_to",
    "framework_kloes",
    "framework_latest",
    "framework_search",
    "next_due",
    "oversight_regions",
    "oversight_rows",
    "review_cycle_for_trust",
    "segment_decisions_for_trust",
    "self_review_attachment_get",
    "self_review_entries",
    "self_review_get_for_user",
    "self_review_report_get",
    "self_reviews_visible_to",
    "wellled_ratings_visible_to",
]
