"""Hold the forms of the well-led app, all through crispy forms with the GOV.UK pack, and
re-export them here, so `from wellled import forms` and `forms.X` keep working.

- fields: the helper and the date and text fields every form builds with;
- self_reviews, developmental_reviews, actions, ratings_and_segments: the forms of each
  subject;
- oversight: the filters of NHS Improvement's oversight view.
"""

from .actions import ActionForm, ProgressForm
from .developmental_reviews import (
    RATING_CHOICES,
    SCOPE_REQUIRED,
    AgreeDueDateForm,
    DevelopmentalReviewForm,
    ExplanationForm,
)
from .fields import (
    CHOICE_REQUIRED,
    DATE_INVALID,
    DATE_REQUIRED,
    TEXT_REQUIRED,
    date_field,
    helper,
    text_field,
)
from .oversight import OversightFilterForm
from .ratings_and_segments import SegmentDecisionForm, WellLedRatingForm
from .self_reviews import (
    NAME_REQUIRED,
    PRIORITY_REQUIRED,
    TITLE_REQUIRED,
    SelfReviewCreateForm,
    SelfReviewEntryForm,
    SignOffForm,
)

__all__ = [
    "CHOICE_REQUIRED",
    "DATE_INVALID",
    "DATE_REQUIRED",
    "NAME_REQUIRED",
    "PRIORITY_REQUIRED",
    "RATING_CHOICES",
    "SCOPE_REQUIRED",
    "TEXT_REQUIRED",
    "TITLE_REQUIRED",
    "ActionForm",
    "AgreeDueDateForm",
    "DevelopmentalReviewForm",
    "ExplanationForm",
    "OversightFilterForm",
    "ProgressForm",
    "SegmentDecisionForm",
    "SelfReviewCreateForm",
    "SelfReviewEntryForm",
    "SignOffForm",
    "WellLedRatingForm",
    "date_field",
    "helper",
    "text_field",
]
