"""Add CQC's review routes to AssessmentViewSet: the discussion and the quality ratings.

`CqcReviewActionsMixin` is mixed into AssessmentViewSet (assessments/api.py); each action asks
the policy the page asks before reading the body.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments import policies
from assessments.models import PassageRevision
from core import text_limits

from . import selectors, services
from .models import DiscussionMessage, QualityRatings


class DiscussionMessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DiscussionMessage
        fields = ["id", "author", "text", "at"]
        read_only_fields = ["id", "author", "at"]
        extra_kwargs = {"text": {"max_length": text_limits.NOTE}}


class QualityRatingsSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = QualityRatings
        exclude = ["id", "assessment"]
        read_only_fields = ["proposed_combined", "principle", "recorded_at"]
        extra_kwargs = {
            "combined": {"required": False},
            "override_reason": {"max_length": text_limits.SHORT_NOTE},
        }


class RationaleRevisionSerializer(serializers.Serializer):
    kloe = serializers.CharField(
        max_length=text_limits.CODE, help_text='The KLOE\'s code, or "overall".'
    )
    rationale = serializers.CharField(max_length=text_limits.PASSAGE)


class PassageRevisionSerializer(serializers.ModelSerializer):
    revised_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PassageRevision
        fields = ["id", "passage", "reason", "old_text", "new_text", "revised_by", "revised_at"]


class CqcReviewActionsMixin:
    """Routes of AssessmentViewSet for the team-CQC discussion and the quality ratings."""

    @extend_schema(methods=["GET"], responses=DiscussionMessageSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=DiscussionMessageSerializer,
        responses={201: DiscussionMessageSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def discussion(self, request, pk=None):
        """The thread between the team and CQC about a disputed rating (never the trust)."""
        assessment = self.get_object()
        if request.method == "GET":
            policies.may_read_discussion(request.user, assessment).enforce()
            thread = selectors.discussion_for_user(user=request.user, assessment=assessment)
            return Response(DiscussionMessageSerializer(thread, many=True).data)
        policies.may_post_discussion(request.user, assessment).enforce()
        serializer = DiscussionMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.discussion_post(
            assessment=assessment, actor=request.user, text=serializer.validated_data["text"]
        )
        return Response(DiscussionMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={
            200: QualityRatingsSerializer,
            204: OpenApiResponse(description="CQC has not recorded them yet."),
        },
    )
    @extend_schema(
        methods=["POST"],
        request=QualityRatingsSerializer,
        responses={201: QualityRatingsSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="quality-ratings")
    def quality_ratings(self, request, pk=None):
        """GET (staff): the quality ratings and the combined rating with its principle.
        POST (CQC, before publication): record them; `combined` differing from the proposal
        needs `override_reason`."""
        assessment = self.get_object()
        if request.method == "GET":
            policies.may_see_quality(request.user, assessment).enforce()
            record = selectors.quality_ratings_get(assessment)
            if record is None:
                return Response(status=status.HTTP_204_NO_CONTENT)
            return Response(QualityRatingsSerializer(record).data)
        policies.may_record_quality(request.user, assessment).enforce()
        serializer = QualityRatingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = services.quality_ratings_record(
            assessment=assessment,
            actor=request.user,
            ratings=data,
            combined=data.get("combined"),
            override_reason=data.get("override_reason", ""),
        )
        return Response(QualityRatingsSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RationaleRevisionSerializer, responses={201: PassageRevisionSerializer})
    @action(detail=True, methods=["post"], url_path="rationale-revision")
    def rationale_revision(self, request, pk=None):
        """POST (the lead, at revision): the revised rationale of a rating CQC changed; the
        earlier text is kept as a PassageRevision."""
        assessment = self.get_object()
        policies.may_revise_rationale(request.user, assessment).enforce()
        serializer = RationaleRevisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = services.rationale_revise(
            assessment=assessment,
            actor=request.user,
            key=serializer.validated_data["kloe"],
            text=serializer.validated_data["rationale"],
        )
        return Response(PassageRevisionSerializer(revision).data, status=status.HTTP_201_CREATED)
