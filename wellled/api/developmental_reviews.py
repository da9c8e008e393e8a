"""Serve externally facilitated developmental reviews, with their scope and the
facilitator's ratings; the trust records its own."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from core import text_limits
from core.text_limits import text_fields_limited
from metrics.api_permissions import PolicyPermission

from .. import policies
from ..models.developmental_reviews import DevelopmentalReview
from ..models.framework import Kloe
from ..selectors.developmental_reviews import developmental_reviews_visible_to
from ..services.developmental_reviews import developmental_review_save
from .lookups import kloe_by_code, own_trust


class FacilitatorRatingField(serializers.DictField):
    child = serializers.IntegerField(min_value=1, max_value=4)


class DevelopmentalReviewSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    kloes = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Kloe.objects.all())
    ratings = FacilitatorRatingField(
        required=False, write_only=True, help_text="KLOE code to rating 1-4"
    )
    facilitator_ratings = serializers.SerializerMethodField()
    omitted_kloes = serializers.DictField(
        child=serializers.CharField(max_length=5000),
        required=False,
        help_text="KLOE code to why the review leaves it out: one for each KLOE not in kloes",
    )
    next_due_on = serializers.DateField(read_only=True)

    class Meta:
        model = DevelopmentalReview
        fields = [
            "id",
            "trust",
            "facilitator_name",
            "facilitator_organisation",
            "peer_reviewers",
            "independence",
            "safeguard",
            "kloes",
            "extra_areas",
            "started_on",
            "completed_on",
            "findings",
            "good_practice",
            "material_concerns",
            "concerns_text",
            "letter_sent_on",
            "ratings",
            "facilitator_ratings",
            "omitted_kloes",
            "agreed_next_due_on",
            "next_due_on",
        ]
        read_only_fields = ["agreed_next_due_on"]
        extra_kwargs = text_fields_limited(DevelopmentalReview, text_limits.PASSAGE)

    def get_facilitator_ratings(self, instance) -> dict[str, int]:
        return {rating.kloe.code: rating.rating for rating in instance.ratings.all()}


class DevelopmentalReviewViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Externally facilitated developmental reviews; the trust records its own."""

    serializer_class = DevelopmentalReviewSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled

    def get_queryset(self):
        return developmental_reviews_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        trust = own_trust(request, policies.may_record_developmental_review)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        kloes = values.pop("kloes")
        ratings = {kloe_by_code(code): rating for code, rating in values.pop("ratings", {}).items()}
        review = developmental_review_save(
            trust=trust,
            actor=request.user,
            kloes=kloes,
            ratings=ratings,
            omissions=values.pop("omitted_kloes", {}),
            **values,
        )
        return Response(self.get_serializer(review).data, status=201)
