"""Route /api/v1/wellled/ to the well-led viewsets (uor_site.urls mounts this router)."""

from rest_framework.routers import SimpleRouter

from .actions import ActionViewSet
from .developmental_reviews import DevelopmentalReviewViewSet
from .framework import FrameworkViewSet
from .oversight import OversightViewSet
from .ratings import WellLedRatingViewSet
from .self_reviews import SelfReviewViewSet

wellled_router = SimpleRouter()
wellled_router.register("framework", FrameworkViewSet, basename="kloe")
wellled_router.register("self-reviews", SelfReviewViewSet, basename="selfreview")
wellled_router.register(
    "developmental-reviews", DevelopmentalReviewViewSet, basename="developmentalreview"
)
wellled_router.register("actions", ActionViewSet, basename="action")
wellled_router.register("cqc-ratings", WellLedRatingViewSet, basename="wellledrating")
wellled_router.register("oversight", OversightViewSet, basename="oversight")
