"""Pages of the assessments app, one module per subject. Views parse, call a service or
selector, and render; this package re-exports them for the URL configuration."""

from .actions import AssessmentTransitionView
from .agenda import (
    AgendaEditView,
    AgendaSessionAddView,
    AgendaSessionRemoveView,
    CommentaryDeadlineEditView,
    SiteVisitEditView,
)
from .assessment import (
    AssessmentCreateView,
    AssessmentDetailView,
    AssessmentListView,
    AssessmentObjectMixin,
    HomeView,
)
from .attachments import AttachmentDownloadView
from .commentary import CommentaryEditView
from .evidence import (
    EvidenceCreateView,
    EvidenceDetailView,
    EvidenceFromMetricView,
    EvidenceWithdrawView,
)
from .workspace import KloeWorkspaceView, OverallRatingView

__all__ = [
    "AgendaEditView",
    "AgendaSessionAddView",
    "AgendaSessionRemoveView",
    "AssessmentCreateView",
    "AssessmentDetailView",
    "AssessmentListView",
    "AssessmentObjectMixin",
    "AssessmentTransitionView",
    "AttachmentDownloadView",
    "CommentaryDeadlineEditView",
    "CommentaryEditView",
    "EvidenceCreateView",
    "EvidenceDetailView",
    "EvidenceFromMetricView",
    "EvidenceWithdrawView",
    "HomeView",
    "KloeWorkspaceView",
    "OverallRatingView",
    "SiteVisitEditView",
]
