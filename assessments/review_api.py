"""API of the steps after the draft: reports, challenges, the discussion, published ratings.

`ReviewActionsMixin` adds its routes to AssessmentViewSet (assessments/api.py). Each action
asks the policy the page asks (assessments/policies.py) before reading the body, and lets the
services' refusals through to the one exception handler (core/api.py).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import policies, review
from .models import (
    Challenge,
    DiscussionMessage,
    PublishedRating,
    QualityRatings,
    ReviewRequest,
)
from .selectors import evidence_for_user, published_register


class ChallengeSerializer(serializers.ModelSerializer):
    raised_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    signed_off_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "number",
            "kind",
            "section",
            "passage",
            "correction",
            "reason",
            "evidence",
            "raised_by",
            "raised_at",
            "outcome",
            "response",
            "answered_by",
            "answered_at",
            "signed_off_by",
            "signed_off_at",
        ]

    def to_representation(self, challenge):
        data = super().to_representation(challenge)
        user = self.context.get("user")
        if user is not None and not policies.may_read_answer(user, challenge):
            # The trust reads the answer only once it is signed off.
            for key in ("outcome", "response", "answered_by", "answered_at"):
                data[key] = "" if key in ("outcome", "response") else None
        return data


class ChallengeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Challenge.Kind.choices)
    section = serializers.CharField(max_length=200)
    passage = serializers.CharField(max_length=10000)
    correction = serializers.CharField(max_length=10000)
    reason = serializers.CharField(max_length=10000)
    about_rating = serializers.BooleanField(
        default=False, help_text="True if the challenge disagrees with the rating (refused)."
    )
    evidence = serializers.IntegerField(required=False, allow_null=True, default=None)


class ChallengeAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Challenge.Outcome.choices)
    response = serializers.CharField(max_length=10000)


class DiscussionMessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DiscussionMessage
        fields = ["id", "author", "text", "at"]
        read_only_fields = ["id", "author", "at"]


class PublishedRatingSerializer(serializers.ModelSerializer):
    ods_code = serializers.CharField(source="assessment.trust.ods_code")
    trust = serializers.CharField(source="assessment.trust.name")
    region = serializers.CharField(source="assessment.trust.region")
    trust_type = serializers.CharField(source="assessment.trust.trust_type")
    rating_label = serializers.CharField(source="get_rating_display")

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
        ]


class ReviewActionsMixin:
    """Routes of AssessmentViewSet for reports, challenges and the discussion."""

    def _shared(self, assessment):
        """404 for a trust before the draft is shared, as on the pages."""
        if not policies.may_see_internal(self.request.user, assessment):
            raise Http404("No such assessment")
        return assessment

    @extend_schema(request=ChallengeWriteSerializer, responses=ChallengeSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def challenges(self, request, pk=None):
        """GET: the challenges (a trust reads answers once signed off). POST: raise one."""
        assessment = self._shared(self.get_object())
        context = {"user": request.user}
        if request.method == "GET":
            items = review.challenges_for_user(user=request.user, assessment=assessment)
            return Response(ChallengeSerializer(items, many=True, context=context).data)
        policies.may_raise_challenge(request.user, assessment).enforce()
        serializer = ChallengeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        evidence_id = data.pop("evidence")
        evidence = None
        if evidence_id is not None:
            evidence = (
                evidence_for_user(user=request.user, assessment=assessment)
                .filter(pk=evidence_id)
                .first()
            )
            if evidence is None:
                raise ValidationError({"evidence": [review.EVIDENCE_NOT_HERE]})
        challenge = review.challenge_raise(
            assessment=assessment, actor=request.user, evidence=evidence, **data
        )
        return Response(
            ChallengeSerializer(challenge, context=context).data, status=status.HTTP_201_CREATED
        )

    def _challenge(self, request, pk, challenge_pk):
        assessment = self._shared(self.get_object())
        return review.challenge_get_for_user(
            user=request.user, assessment=assessment, pk=int(challenge_pk)
        )

    @extend_schema(request=ChallengeAnswerSerializer, responses=ChallengeSerializer)
    @action(detail=True, methods=["post"], url_path=r"challenges/(?P<challenge_pk>[0-9]+)/answer")
    def challenge_answer(self, request, pk=None, challenge_pk=None):
        """The team's answer (accepted, partly accepted, not accepted) with a response."""
        challenge = self._challenge(request, pk, challenge_pk)
        policies.may_answer_challenge(request.user, challenge.assessment, challenge).enforce()
        serializer = ChallengeAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = review.challenge_answer(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return Response(ChallengeSerializer(answered, context={"user": request.user}).data)

    @extend_schema(request=None, responses=ChallengeSerializer)
    @action(detail=True, methods=["post"], url_path=r"challenges/(?P<challenge_pk>[0-9]+)/sign-off")
    def challenge_sign_off(self, request, pk=None, challenge_pk=None):
        """Sign off the answer: NHS Improvement staff who were not on the team."""
        challenge = self._challenge(request, pk, challenge_pk)
        policies.may_sign_off(request.user, challenge.assessment).enforce()
        signed = review.challenge_sign_off(challenge=challenge, actor=request.user)
        return Response(ChallengeSerializer(signed, context={"user": request.user}).data)

    @extend_schema(request=DiscussionMessageSerializer, responses=DiscussionMessageSerializer)
    @action(detail=True, methods=["get", "post"])
    def discussion(self, request, pk=None):
        """The thread between the team and CQC about a disputed rating (never the trust)."""
        assessment = self.get_object()
        if request.method == "GET":
            policies.may_read_discussion(request.user, assessment).enforce()
            thread = review.discussion_for_user(user=request.user, assessment=assessment)
            return Response(DiscussionMessageSerializer(thread, many=True).data)
        policies.may_post_discussion(request.user, assessment).enforce()
        serializer = DiscussionMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = review.discussion_post(
            assessment=assessment, actor=request.user, text=serializer.validated_data["text"]
        )
        return Response(DiscussionMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class QualityRatingsSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = QualityRatings
        exclude = ["id", "assessment"]
        read_only_fields = ["proposed_combined", "principle", "recorded_at"]
        extra_kwargs = {"combined": {"required": False}}


class ReviewRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReviewRequest
        exclude = ["id", "assessment"]
        read_only_fields = ["requested_at", "decided_at"]


class ReviewDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewRequest.Decision.choices)
    decision_note = serializers.CharField(max_length=10000)
    new_rating = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReviewRequestWriteSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=10000)


class FinalisingActionsMixin:
    """CQC's quality and combined ratings, and the trust's one review request."""

    @extend_schema(request=QualityRatingsSerializer, responses=QualityRatingsSerializer)
    @action(detail=True, methods=["get", "post"], url_path="quality-ratings")
    def quality_ratings(self, request, pk=None):
        """GET (staff): the quality ratings and the combined rating with its principle.
        POST (CQC, before publication): record them; `combined` differing from the proposal
        needs `override_reason`."""
        assessment = self.get_object()
        if request.method == "GET":
            policies.may_see_quality(request.user, assessment).enforce()
            record = QualityRatings.objects.filter(assessment=assessment).first()
            return Response(QualityRatingsSerializer(record).data if record else None)
        policies.may_record_quality(request.user, assessment).enforce()
        serializer = QualityRatingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = review.quality_ratings_record(
            assessment=assessment,
            actor=request.user,
            ratings=data,
            combined=data.get("combined"),
            override_reason=data.get("override_reason", ""),
        )
        return Response(QualityRatingsSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewRequestWriteSerializer, responses=ReviewRequestSerializer)
    @action(detail=True, methods=["get", "post"], url_path="review-request")
    def review_request(self, request, pk=None):
        """GET: the review request and CQC's decision, if any. POST: the trust asks once
        ({"grounds"}, within 15 working days, at most 500 words); CQC then decides
        ({"decision", "decision_note", "new_rating"})."""
        assessment = self.get_object()
        existing = ReviewRequest.objects.filter(assessment=assessment).first()
        if request.method == "GET":
            return Response(ReviewRequestSerializer(existing).data if existing else None)
        if policies.decides_reviews(request.user):
            policies.may_decide_review(request.user, assessment, existing).enforce()
            serializer = ReviewDecisionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            saved = review.review_request_decide(
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
        saved = review.review_request_create(
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
