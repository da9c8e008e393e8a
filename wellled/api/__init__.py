"""Serve the REST API of the well-led app under /api/v1/wellled/, and re-export its pieces here
(`from wellled.api import wellled_router`). It uses the same selectors, services and
policies as the pages. Trust users see their own trust only (another trust's records are a
404, from the selectors); a write asks its wellled.policies predicate before reading the
body and goes through wellled.services, so a refusal is the same 403 and message as the
page's (core.api turns the services' exceptions into answers).

- lookups: the caller's own trust and a KLOE by code, which the write endpoints share;
- framework, self_reviews, developmental_reviews, actions, ratings, oversight: the
  serializers and viewset of each subject;
- router: the routes.
"""

from .actions import ActionSerializer, ActionViewSet
from .developmental_reviews import (
    DevelopmentalReviewSerializer,
    DevelopmentalReviewViewSet,
    FacilitatorRatingField,
)
from .framework import (
    CharacteristicSerializer,
    FrameworkViewSet,
    GoodPracticeSerializer,
    KloeSerializer,
    PromptSerializer,
)
from .lookups import UNKNOWN_KLOE, kloe_by_code, own_trust
from .oversight import FlagSerializer, OversightRowSerializer, OversightViewSet
from .ratings import WellLedRatingSerializer, WellLedRatingViewSet
from .router import wellled_router
from .self_reviews import (
    EntrySerializer,
    EntryWriteSerializer,
    SelfReviewSerializer,
    SelfReviewViewSet,
    SignOffSerializer,
)

__all__ = [
    "UNKNOWN_KLOE",
    "ActionSerializer",
    "ActionViewSet",
    "CharacteristicSerializer",
    "DevelopmentalReviewSerializer",
    "DevelopmentalReviewViewSet",
    "EntrySerializer",
    "EntryWriteSerializer",
    "FacilitatorRatingField",
    "FlagSerializer",
    "FrameworkViewSet",
    "GoodPracticeSerializer",
    "KloeSerializer",
    "OversightRowSerializer",
    "OversightViewSet",
    "PromptSerializer",
    "SelfReviewSerializer",
    "SelfReviewViewSet",
    "SignOffSerializer",
    "WellLedRatingSerializer",
    "WellLedRatingViewSet",
    "kloe_by_code",
    "own_trust",
    "wellled_router",
]
