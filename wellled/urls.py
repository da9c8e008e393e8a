from django.urls import path

from wellled import views

app_name = "wellled"

urlpatterns = [
    path("well-led/", views.FrameworkView.as_view(), name="framework"),
    path("well-led/oversight/", views.OversightView.as_view(), name="oversight"),
    path("well-led/trusts/<str:ods_code>/", views.TrustWellLedView.as_view(), name="trust_detail"),
    path(
        "well-led/trusts/<str:ods_code>/self-reviews/new/",
        views.SelfReviewCreateView.as_view(),
        name="selfreview_create",
    ),
    path(
        "well-led/trusts/<str:ods_code>/developmental-reviews/new/",
        views.DevReviewCreateView.as_view(),
        name="devreview_create",
    ),
    path(
        "well-led/trusts/<str:ods_code>/explanations/new/",
        views.ExplanationCreateView.as_view(),
        name="explanation_create",
    ),
    path(
        "well-led/trusts/<str:ods_code>/actions/new/",
        views.ActionCreateView.as_view(),
        name="action_create",
    ),
    path(
        "well-led/trusts/<str:ods_code>/cqc-rating/new/",
        views.WellLedRatingCreateView.as_view(),
        name="rating_create",
    ),
    path(
        "well-led/trusts/<str:ods_code>/oversight-concerns/",
        views.OversightConcernsView.as_view(),
        name="oversight_concerns",
    ),
    path(
        "well-led/trusts/<str:ods_code>/segment/new/",
        views.SegmentDecisionCreateView.as_view(),
        name="segment_create",
    ),
    path(
        "well-led/self-reviews/<int:pk>/",
        views.SelfReviewDetailView.as_view(),
        name="selfreview_detail",
    ),
    path(
        "well-led/self-reviews/<int:pk>/kloes/<slug:code>/",
        views.SelfReviewEntryView.as_view(),
        name="selfreview_entry",
    ),
    path(
        "well-led/self-reviews/<int:pk>/sign-off/",
        views.SelfReviewSignOffView.as_view(),
        name="selfreview_signoff",
    ),
    path(
        "well-led/self-reviews/<int:pk>/pdf/",
        views.SelfReviewReportsView.as_view(),
        name="selfreview_reports",
    ),
    path(
        "well-led/self-reviews/<int:pk>/pdf/<int:report_pk>/",
        views.SelfReviewReportDownloadView.as_view(),
        name="selfreview_report_download",
    ),
    path(
        "well-led/self-reviews/<int:pk>/files/<int:attachment_pk>/",
        views.SelfReviewAttachmentView.as_view(),
        name="selfreview_attachment",
    ),
    path(
        "well-led/developmental-reviews/<int:pk>/",
        views.DevReviewDetailView.as_view(),
        name="devreview_detail",
    ),
    path(
        "well-led/developmental-reviews/<int:pk>/edit/",
        views.DevReviewEditView.as_view(),
        name="devreview_edit",
    ),
    path(
        "well-led/developmental-reviews/<int:pk>/due-date/",
        views.AgreeDueDateView.as_view(),
        name="devreview_due_date",
    ),
    path("well-led/actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
]
