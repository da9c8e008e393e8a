"""Serve board self-reviews: a trust user starts one, saves each KLOE's entry while it is a
draft and records the board's sign-off; after that every write is 403."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core import text_limits
from metrics.api_permissions import PolicyPermission

from .. import policies
from ..models.self_reviews import PriorityLevel, SelfReview, SelfReviewEntry
from ..selectors.self_reviews import self_reviews_visible_to
from ..services.self_reviews import (
    PRIORITY_NOT_IN_SCHEME,
    self_review_create,
    self_review_entry_save,
    self_review_sign_off,
)
from .lookups import kloe_by_code, own_trust


class EntrySerializer(serializers.ModelSerializer):
    kloe = serializers.SlugRelatedField(slug_field="code", read_only=True)
    priority = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    priority_label = serializers.CharField(source="priority.label", default="", read_only=True)

    class Meta:
        model = SelfReviewEntry
        fields = ["kloe", "priority", "priority_label", "explanation", "assurance", "actions"]


class SelfReviewSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    entries = EntrySerializer(many=True, read_only=True)

    class Meta:
        model = SelfReview
        fields = [
            "id",
            "trust",
            "title",
            "status",
            "scheme",
            "signed_off_on",
            "signed_off_by_name",
            "created_at",
            "entries",
        ]
        read_only_fields = [
            "status",
            "signed_off_on",
            "signed_off_by_name",
            "created_at",
        ]


class EntryWriteSerializer(serializers.Serializer):
    kloe = serializers.CharField(max_length=text_limits.CODE)
    priority = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The level's number"
    )
    explanation = serializers.CharField(
        max_length=text_limits.PASSAGE, allow_blank=True, default=""
    )
    assurance = serializers.CharField(max_length=text_limits.PASSAGE, allow_blank=True, default="")
    actions = serializers.CharField(max_length=text_limits.PASSAGE, allow_blank=True, default="")


class SignOffSerializer(serializers.Serializer):
    signed_off_on = serializers.DateField()
    signed_off_by_name = serializers.CharField(max_length=text_limits.TITLE)


class SelfReviewViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Board self-reviews. A trust user starts one for their trust, saves each KLOE's entry
    while it is a draft, then records the board's sign-off; after that every write is 403."""

    serializer_class = SelfReviewSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled

    def get_queryset(self):
        return self_reviews_visible_to(user=self.request.user).prefetch_related(
            "entries__kloe", "entries__priority"
        )

    def create(self, request, *args, **kwargs):
        trust = own_trust(request, policies.may_create_self_review)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = self_review_create(
            trust=trust, actor=request.user, title=serializer.validated_data["title"]
        )
        return Response(self.get_serializer(review).data, status=201)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def entry(self, request, pk=None):
        """Save one KLOE's entry of a draft self-review (403 once signed off)."""
        review = self.get_object()
        policies.may_edit_self_review(request.user, review).enforce()
        data = EntryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        kloe = kloe_by_code(values["kloe"])
        priority = None
        if values["priority"] is not None:
            priority = PriorityLevel.objects.filter(
                scheme=review.scheme, number=values["priority"]
            ).first()
            if priority is None:
                raise ValidationError({"priority": [PRIORITY_NOT_IN_SCHEME]})
        entry = self_review_entry_save(
            review=review,
            kloe=kloe,
            actor=request.user,
            priority=priority,
            explanation=values["explanation"],
            assurance=values["assurance"],
            actions=values["actions"],
        )
        return Response(EntrySerializer(entry).data)

    @extend_schema(request=SignOffSerializer, responses=SelfReviewSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """Record the board's sign-off (date and name); the review is read-only after."""
        review = self.get_object()
        policies.may_sign_off_self_review(request.user, review).enforce()
        data = SignOffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = self_review_sign_off(review=review, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(review).data)
