"""Every route of the service. Each one needs its row in its app's access.py (see core.access)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from assessments import api as assessments_api
from assessments.publication import api as publication_api
from assessments.views import HomeView
from core.views import SearchView
from metrics import api as metrics_api
from metrics.views.access import AccessMatrixView
from metrics.views.health import health
from wellled.api import wellled_router

api_router = SimpleRouter()
api_router.register("trusts", metrics_api.TrustViewSet, basename="trust")
api_router.register(
    "metric-definitions", metrics_api.MetricDefinitionViewSet, basename="metricdefinition"
)
api_router.register("metric-values", metrics_api.MetricValueViewSet, basename="metricvalue")
api_router.register("finance-scores", metrics_api.FinanceScoreViewSet, basename="financescore")
api_router.register("assessments", assessments_api.AssessmentViewSet, basename="assessment")
api_router.register(
    "published-ratings", publication_api.PublishedRatingViewSet, basename="publishedrating"
)

api_patterns = [
    path("", include(api_router.urls)),
    path("me/", metrics_api.MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]

# A URL under /api/ that no route matches answers JSON, as the API's own 404s do.
handler404 = "core.api.not_found"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("health/", health, name="health"),
    path("access-matrix/", AccessMatrixView.as_view(), name="access_matrix"),
    path("search/", SearchView.as_view(), name="search"),
    path("accounts/", include("metrics.account_urls")),
    path("", include("metrics.urls")),
    path("", include("assessments.urls")),
    path("", include("wellled.urls")),
    path("api/v1/wellled/", include((wellled_router.urls, "wellled-api"))),
    path("api/v1/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]
