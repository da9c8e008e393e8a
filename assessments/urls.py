from django.urls import path

from assessments import views
from assessments.calibration import views as calibration_views
from assessments.cqc_review import views as cqc_review_views
from assessments.factual_accuracy import views as factual_accuracy_views
from assessments.publication import views as publication_views
from assessments.reports import views as report_views
from assessments.team import views as team_views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path(
        "assessments/calibration/",
        calibration_views.CalibrationView.as_view(),
        name="calibration",
    ),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path(
        "assessments/<int:pk>/actions/<slug:action>/",
        views.AssessmentTransitionView.as_view(),
        name="assessment_transition",
    ),
    path("assessments/<int:pk>/team/", team_views.TeamChangeView.as_view(), name="team_change"),
    path("assessments/<int:pk>/agenda/", views.AgendaEditView.as_view(), name="agenda_edit"),
    path(
        "assessments/<int:pk>/agenda/add/",
        views.AgendaSessionAddView.as_view(),
        name="agenda_session_add",
    ),
    path(
        "assessments/<int:pk>/agenda/remove/",
        views.AgendaSessionRemoveView.as_view(),
        name="agenda_session_remove",
    ),
    path(
        "assessments/<int:pk>/commentary-deadline/",
        views.CommentaryDeadlineEditView.as_view(),
        name="deadline_edit",
    ),
    path(
        "assessments/<int:pk>/site-visit/",
        views.SiteVisitEditView.as_view(),
        name="site_visit_edit",
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
        "assessments/<int:pk>/evidence/<int:evidence_pk>/withdraw/",
        views.EvidenceWithdrawView.as_view(),
        name="evidence_withdraw",
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
    path("assessments/<int:pk>/record/", report_views.RecordView.as_view(), name="record"),
    path(
        "assessments/<int:pk>/challenges/",
        factual_accuracy_views.ChallengeListView.as_view(),
        name="challenge_list",
    ),
    path(
        "assessments/<int:pk>/challenges/new/",
        factual_accuracy_views.ChallengeCreateView.as_view(),
        name="challenge_create",
    ),
    path(
        "assessments/<int:pk>/challenges/no-more/",
        factual_accuracy_views.NoMoreChallengesView.as_view(),
        name="no_more_challenges",
    ),
    path(
        "assessments/<int:pk>/challenges/<int:challenge_pk>/answer/",
        factual_accuracy_views.ChallengeAnswerView.as_view(),
        name="challenge_answer",
    ),
    path(
        "assessments/<int:pk>/challenges/<int:challenge_pk>/sign-off/",
        factual_accuracy_views.ChallengeSignOffView.as_view(),
        name="challenge_sign_off",
    ),
    path(
        "assessments/<int:pk>/challenges/<int:challenge_pk>/resolve/",
        factual_accuracy_views.ChallengeResolveView.as_view(),
        name="challenge_resolve",
    ),
    path(
        "assessments/<int:pk>/challenge-deadline/",
        factual_accuracy_views.FaDeadlineEditView.as_view(),
        name="fa_deadline_edit",
    ),
    path(
        "assessments/<int:pk>/discussion/",
        cqc_review_views.DiscussionView.as_view(),
        name="discussion",
    ),
    path(
        "assessments/<int:pk>/agreed-rating/",
        cqc_review_views.AgreeRatingView.as_view(),
        name="agree_rating",
    ),
    path(
        "assessments/<int:pk>/rationale-revision/",
        cqc_review_views.RationaleRevisionView.as_view(),
        name="rationale_revision",
    ),
    path(
        "assessments/<int:pk>/quality-ratings/",
        cqc_review_views.QualityRatingsView.as_view(),
        name="quality_ratings",
    ),
    path(
        "assessments/<int:pk>/review-request/",
        publication_views.ReviewRequestView.as_view(),
        name="review_request",
    ),
    path(
        "published-ratings/",
        publication_views.PublishedRegisterView.as_view(),
        name="published_register",
    ),
    path(
        "published-ratings/<str:ods_code>/",
        publication_views.PublishedTrustView.as_view(),
        name="published_trust",
    ),
    path(
        "published-ratings/<str:ods_code>/reports/<int:pk>/",
        publication_views.PublishedReportView.as_view(),
        name="published_report",
    ),
    path(
        "trusts/<str:ods_code>/use-of-resources/",
        publication_views.TrustUseOfResourcesView.as_view(),
        name="trust_use_of_resources",
    ),
]
