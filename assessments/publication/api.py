"""Add the publication routes: the trust's review request on AssessmentViewSet, and the
public register of published ratings as its own read-only viewset.

`PublicationActionsMixin` is mixed into AssessmentViewSet (assessments/api.py).
"""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from assessments import policies
from core import text_limits

from . import services
from .models import PublishedRating, ReviewRequest
from .selectors import published_register


class PublishedRatingSerializer(serializers.ModelSerializer):
    ods_code = serializers.CharField(source="assessment.trust.ods_code")
    trust = serializers.CharField(source="assessment.trust.name")
    region = serializers.CharField(source="assessment.trust.region")
    trust_type = serializers.CharField(source="assessment.trust.trust_type")
    rating_label = serializers.CharField(source="get_rating_display")
    report_version = serializers.SerializerMethodField()

    class Meta:
        model = PublishedRating
        fields = [
            "ods_code",
            "trust",
            "region",
            "trust_type",
            "rating",
            "rating_label",
            "combined",
            "version",
            "published_at",
            "report_version",
        ]

    def get_report_version(self, rating: PublishedRating) -> int | None:
        """The number of the final report version published with this rating."""
        report = rating.report_version
        return report.number if report else None


class ReviewRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ReviewRequest
        exclude = ["id", "assessment"]
        read_only_fields = ["requested_at", "decided_at"]


class ReviewDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewRequest.Decision.choices)
    decision_note = serializers.CharField(max_length=text_limits.NOTE)
    new_rating = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReviewRequestWriteSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=text_limits.NOTE)


class PublicationActionsMixin:
    """Routes of AssessmentViewSet for the trust's one review request and CQC's decision."""

    @extend_schema(
        methods=["GET"],
        responses={
            200: ReviewRequestSerializer,
            204: OpenApiResponse(description="The trust has not asked for a review."),
        },
    )
    @extend_schema(
        methods=["POST"],
        request=PolymorphicProxySerializer(
            component_name="ReviewRequestOrDecision",
            serializers=[ReviewRequestWriteSerializer, ReviewDecisionSerializer],
            resource_type_field_name=None,
        ),
        responses={
            201: OpenApiResponse(ReviewRequestSerializer, description="The trust's request."),
            200: OpenApiResponse(ReviewRequestSerializer, description="CQC's decision on it."),
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="review-request")
    def review_request(self, request, pk=None):
        """GET: the review request and CQC's decision, if any. POST: the trust asks once
        ({"grounds"}, within 15 working days, at most 500 words); CQC then decides
        ({"decision", "decision_note", "new_rating"})."""
        assessment = self.get_object()
        existing = ReviewRequest.objects.filter(assessment=assessment).first()
        if request.method == "GET":
            if existing is None:
                return Response(status=status.HTTP_204_NO_CONTENT)
            return Response(ReviewRequestSerializer(existing).data)
        if policies.decides_reviews(request.user):
            policies.may_decide_review(request.user, assessment, existing).enforce()
            serializer = ReviewDecisionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            saved = services.review_request_decide(
                review=existing,
                actor=request.user,
                decision=data["decision"],
                note=data["decision_note"],
                new_rating=data["new_rating"],
            )
            return Response(ReviewRequestSerializer(saved).data)
        policies.may_request_review(request.user, assessment).enforce()
        serializer = ReviewRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = services.review_request_create(
            assessment=assessment,
            actor=request.user,
            grounds=serializer.validated_data["grounds"],
        )
        return Response(ReviewRequestSerializer(saved).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("region", str),
        OpenApiParameter("trust_type", str),
        OpenApiParameter("sort", str, enum=["trust", "rating", "-published"]),
    ]
)
class PublishedRatingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The public register of published UoR ratings (public information: no sign-in)."""

    serializer_class = PublishedRatingSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self):
        params = self.request.query_params
        return published_register(
            region=params.get("region", ""),
            trust_type=params.get("trust_type", ""),
            sort=params.get("sort", ""),
        )
