from django.urls import path

from assessments import report_views, views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path(
        "assessments/<int:pk>/transition/",
        views.AssessmentTransitionView.as_view(),
        name="assessment_transition",
    ),
    path("assessments/<int:pk>/agenda/", views.AgendaEditView.as_view(), name="agenda_edit"),
    path(
        "assessments/<int:pk>/commentary-deadline/",
        views.CommentaryDeadlineEditView.as_view(),
        name="deadline_edit",
    ),
    path("assessments/<int:pk>/rating/", views.OverallRatingView.as_view(), name="overall_rating"),
    path(
        "assessments/<int:pk>/kloes/<slug:code>/",
        views.KloeWorkspaceView.as_view(),
        name="kloe_workspace",
    ),
    path(
        "assessments/<int:pk>/kloes/<slug:code>/commentary/",
        views.CommentaryEditView.as_view(),
        name="commentary_edit",
    ),
    path(
        "assessments/<int:pk>/kloes/<slug:code>/evidence/new/",
        views.EvidenceCreateView.as_view(),
        name="evidence_create",
    ),
    path(
        "assessments/<int:pk>/kloes/<slug:code>/evidence/from-metric/",
        views.EvidenceFromMetricView.as_view(),
        name="evidence_from_metric",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/",
        views.EvidenceDetailView.as_view(),
        name="evidence_detail",
    ),
    path(
        "assessments/<int:pk>/attachments/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "assessments/<int:pk>/reports/", report_views.ReportListView.as_view(), name="report_list"
    ),
    path(
        "assessments/<int:pk>/reports/<int:report_pk>/status/",
        report_views.ReportStatusView.as_view(),
        name="report_status",
    ),
    path(
        "assessments/<int:pk>/reports/<int:report_pk>/download/",
        report_views.ReportDownloadView.as_view(),
        name="report_download",
    ),
]
