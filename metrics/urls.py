from django.urls import path

from metrics.views import (
    metric_values,
    metrics_pack,
    moderation,
    notifications,
    peers,
    security,
    trusts,
)

app_name = "metrics"

urlpatterns = [
    path("trusts/", trusts.TrustListView.as_view(), name="trust_list"),
    path("trusts/load/", trusts.TrustLoadCreateView.as_view(), name="trust_load"),
    path("trusts/<str:ods_code>/", trusts.TrustDetailView.as_view(), name="trust_detail"),
    path(
        "trusts/<str:ods_code>/metrics-pack/",
        metrics_pack.MetricsPackView.as_view(),
        name="metrics_pack",
    ),
    path(
        "trusts/<str:ods_code>/metrics-pack/<slug:code>/context/",
        peers.ContextNoteEditView.as_view(),
        name="context_note_edit",
    ),
    path(
        "benchmarks/recomputes/<int:pk>/",
        peers.PeerRecomputeDetailView.as_view(),
        name="peer_recompute_detail",
    ),
    path(
        "trusts/<str:ods_code>/finance-scores/<str:month>/moderation/",
        moderation.ModerationDecideView.as_view(),
        name="moderation_decide",
    ),
    path("finance-scores/", metrics_pack.FinanceScoreListView.as_view(), name="finance_scores"),
    path(
        "finance-score-moderation/",
        moderation.ModerationListView.as_view(),
        name="moderation_list",
    ),
    path("metric-values/load/", metric_values.MetricLoadCreateView.as_view(), name="metric_load"),
    path("loads/<int:pk>/", trusts.DataLoadDetailView.as_view(), name="data_load_detail"),
    path(
        "notifications/",
        notifications.NotificationListView.as_view(),
        name="notification_list",
    ),
    path(
        "notifications/<int:pk>/",
        notifications.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path("security-log/", security.SecurityEventListView.as_view(), name="security_log"),
]
