"""Write the well-led app's records; re-export every service and error message here, so
`from wellled import services` and `services.x(...)` keep working. Each function first
enforces its wellled.policies predicate (PermissionDenied with the policy's message),
validates with full_clean() (ValidationError) and writes in one transaction.

- framework: loading the framework and the default priority scheme;
- self_reviews: a board's self-review, its entries, files and sign-off;
- developmental_reviews: developmental reviews, agreed due dates and accepted explanations;
- actions: action plans and their progress;
- ratings_and_segments: CQC's well-led ratings and NHS Improvement's segment decisions
  (segment_rules: the warnings a decision raises; segment_table: Table 2 of the annex).
"""

from .actions import (
    ACTION_SOURCE_OTHER_TRUST,
    ACTION_SOURCE_REQUIRED,
    action_create,
    action_progress,
)
from .developmental_reviews import (
    ACCEPTED_IN_FUTURE,
    COMPLETED_BEFORE_START,
    CONCERNS_REQUIRED,
    DUE_BEFORE_COMPLETION,
    DUE_TOO_LATE,
    LETTER_BEFORE_COMPLETION,
    NOT_COMPLETED,
    NOTHING_DUE,
    OMISSION_REQUIRED,
    RATED_KLOE_NOT_IN_SCOPE,
    SAFEGUARD_REQUIRED,
    developmental_review_agree_due_date,
    developmental_review_save,
    review_explanation_record,
)
from .framework import (
    FRAMEWORK_FILE,
    FRAMEWORK_IN_USE,
    NO_FRAMEWORK,
    SCHEME_FILE,
    framework_current,
    framework_load,
    priority_scheme_load,
    wellled_load_all,
)
from .ratings_and_segments import (
    DECISION_DATE_FUTURE,
    LICENCE_BREACH_REQUIRED,
    RATING_DATE_FUTURE,
    SPECIAL_MEASURES_REQUIRED,
    SUPPORT_OFFER_REQUIRED,
    WARNINGS_TO_CONFIRM,
    WarningsToConfirm,
    segment_decision_record,
    segment_flags_now,
    segment_warnings_for,
    wellled_rating_record,
)
from .segment_table import NO_TABLE_2, SEGMENTS_FILE, segment_table, segment_table_load
from .self_reviews import (
    KLOE_NOT_IN_FRAMEWORK,
    NO_SCHEME,
    PRIORITY_NOT_IN_SCHEME,
    SIGN_OFF_DATE_FUTURE,
    SIGN_OFF_INCOMPLETE,
    SIGN_OFF_NAME_REQUIRED,
    self_review_attachment_add,
    self_review_create,
    self_review_entry_save,
    self_review_sign_off,
)

__all__ = [
    "ACCEPTED_IN_FUTURE",
    "ACTION_SOURCE_OTHER_TRUST",
    "ACTION_SOURCE_REQUIRED",
    "COMPLETED_BEFORE_START",
    "CONCERNS_REQUIRED",
    "DECISION_DATE_FUTURE",
    "DUE_BEFORE_COMPLETION",
    "DUE_TOO_LATE",
    "FRAMEWORK_FILE",
    "FRAMEWORK_IN_USE",
    "KLOE_NOT_IN_FRAMEWORK",
    "LETTER_BEFORE_COMPLETION",
    "LICENCE_BREACH_REQUIRED",
    "NOTHING_DUE",
    "NOT_COMPLETED",
    "NO_FRAMEWORK",
    "NO_SCHEME",
    "NO_TABLE_2",
    "OMISSION_REQUIRED",
    "PRIORITY_NOT_IN_SCHEME",
    "RATED_KLOE_NOT_IN_SCOPE",
    "RATING_DATE_FUTURE",
    "SAFEGUARD_REQUIRED",
    "SCHEME_FILE",
    "SEGMENTS_FILE",
    "SIGN_OFF_DATE_FUTURE",
    "SIGN_OFF_INCOMPLETE",
    "SIGN_OFF_NAME_REQUIRED",
    "SPECIAL_MEASURES_REQUIRED",
    "SUPPORT_OFFER_REQUIRED",
    "WARNINGS_TO_CONFIRM",
    "WarningsToConfirm",
    "action_create",
    "action_progress",
    "developmental_review_agree_due_date",
    "developmental_review_save",
    "framework_current",
    "framework_load",
    "priority_scheme_load",
    "review_explanation_record",
    "segment_decision_record",
    "segment_flags_now",
    "segment_table",
    "segment_table_load",
    "segment_warnings_for",
    "self_review_attachment_add",
    "self_review_create",
    "self_review_entry_save",
    "self_review_sign_off",
    "wellled_load_all",
    "wellled_rating_record",
]
