"""Hold the pages of the well-led app and re-export them here, so wellled.urls can keep writing
`views.X`. Each view finds its object through a selector (404 for what the user may not
see), asks wellled.policies whether the user may act (403 with the policy's message),
parses the form, calls one service and redirects.

- mixins: what every page shares (the subject, its policies, a service's refusal on a form);
- framework, trusts: the framework reader and a trust's well-led page;
- self_reviews, developmental_reviews, actions, ratings_and_segments: the pages of each
  subject;
- oversight: NHS Improvement's view of every trust, and its CSV.
"""

from .actions import ACTION_ADDED, PROGRESS_SAVED, ActionCreateView, ActionDetailView
from .developmental_reviews import (
    DUE_AGREED,
    EXPLANATION_ACCEPTED,
    REVIEW_SAVED,
    AgreeDueDateView,
    DevReviewCreateView,
    DevReviewDetailView,
    DevReviewEditView,
    DevReviewFormMixin,
    DevReviewSubjectMixin,
    ExplanationCreateView,
)
from .framework import FrameworkView
from .mixins import SubjectMixin, TrustFormMixin, TrustSubjectMixin, add_service_errors
from .oversight import CSV_COLUMNS, OversightConcernsView, OversightView
from .ratings_and_segments import (
    RATING_RECORDED,
    SEGMENT_RECORDED,
    SegmentDecisionCreateView,
    WellLedRatingCreateView,
)
from .self_reviews import (
    PDF_QUEUED,
    SAVED,
    SIGNED_OFF,
    SelfReviewAttachmentView,
    SelfReviewCreateView,
    SelfReviewDetailView,
    SelfReviewEntryView,
    SelfReviewReportDownloadView,
    SelfReviewReportsView,
    SelfReviewSignOffView,
    SelfReviewSubjectMixin,
)
from .trusts import TrustWellLedView

__all__ = [
    "ACTION_ADDED",
    "CSV_COLUMNS",
    "DUE_AGREED",
    "EXPLANATION_ACCEPTED",
    "PDF_QUEUED",
    "PROGRESS_SAVED",
    "RATING_RECORDED",
    "REVIEW_SAVED",
    "SAVED",
    "SEGMENT_RECORDED",
    "SIGNED_OFF",
    "ActionCreateView",
    "ActionDetailView",
    "AgreeDueDateView",
    "DevReviewCreateView",
    "DevReviewDetailView",
    "DevReviewEditView",
    "DevReviewFormMixin",
    "DevReviewSubjectMixin",
    "ExplanationCreateView",
    "FrameworkView",
    "OversightConcernsView",
    "OversightView",
    "SegmentDecisionCreateView",
    "SelfReviewAttachmentView",
    "SelfReviewCreateView",
    "SelfReviewDetailView",
    "SelfReviewEntryView",
    "SelfReviewReportDownloadView",
    "SelfReviewReportsView",
    "SelfReviewSignOffView",
    "SelfReviewSubjectMixin",
    "SubjectMixin",
    "TrustFormMixin",
    "TrustSubjectMixin",
    "TrustWellLedView",
    "WellLedRatingCreateView",
    "add_service_errors",
]
