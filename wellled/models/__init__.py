"""Import every model of the well-led app, so Django registers them and callers keep writing
`from wellled.models import X`. Each module holds one subject:

- framework: the well-led framework as versioned data (KLOEs W1-W8, prompts,
  characteristics, good practice), loaded from fixtures/frameworks/wellled-2017.yaml;
- self_reviews: board self-reviews with a priority rating per KLOE, their files and PDFs;
- developmental_reviews: externally facilitated developmental reviews (comply or explain);
- actions: the trust's action plans and the progress noted on them;
- ratings_and_segments: NHS Improvement's segment
  decisions;
- segment_table: Table 2 of the 2019/20 oversight annex (each segment's description and
  support offer), loaded from fixtures/wellled/segments.yaml.
- oversight: warning notices and material concerns NHS Improvement records per theme.
"""

from .actions import Action, ProgressNote
from .developmental_reviews import (
    AGREED_LIMIT_YEARS,
    REVIEW_INTERVAL_YEARS,
    DevelopmentalReview,
    FacilitatorRating,
    ReviewExplanation,
)
from .framework import (
    Framework,
    GoodPractice,
    GoodPracticeDescription,
    Kloe,
    Prompt,
    RatingsCharacteristic,
)
from .oversight import ConcernKind, OversightConcern, OversightTheme
from .ratings_and_segments import (
    RATING_TRIGGERS,
    SEGMENT_SUPPORT_OFFER,
    SegmentDecision,
)
from .segment_table import SegmentDescription
from .self_reviews import (
    PriorityLevel,
    PriorityScheme,
    SelfReview,
    SelfReviewAttachment,
    SelfReviewEntry,
    SelfReviewReport,
)

__all__ = [
    "AGREED_LIMIT_YEARS",
    "RATING_TRIGGERS",
    "REVIEW_INTERVAL_YEARS",
    "SEGMENT_SUPPORT_OFFER",
    "Action",
    "ConcernKind",
    "DevelopmentalReview",
    "FacilitatorRating",
    "Framework",
    "GoodPractice",
    "GoodPracticeDescription",
    "Kloe",
    "OversightConcern",
    "OversightTheme",
    "PriorityLevel",
    "PriorityScheme",
    "ProgressNote",
    "Prompt",
    "RatingsCharacteristic",
    "ReviewExplanation",
    "SegmentDecision",
    "SegmentDescription",
    "SelfReview",
    "SelfReviewAttachment",
    "SelfReviewEntry",
    "SelfReviewReport",
]
