"""Serve CQC's well-led ratings per trust (the history); CQC records them. NHS
Improvement's segment decisions have pages only, no endpoint."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from core import text_limits
from core.text_limits import text_fields_limited
from metrics.api_permissions import PolicyPermission
from metrics.models import CqcRating, Trust
from metrics.selectors import trusts_visible_to

from .. import policies
from ..selectors.ratings_and_segments import wellled_ratings_visible_to
from ..services.ratings_and_segments import wellled_rating_record


class WellLedRatingSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", queryset=Trust.objects.all())
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CqcRating
        fields = [
            "id",
            "trust",
            "rating",
            "rated_on",
            "note",
            "source",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["source"]
        extra_kwargs = text_fields_limited(CqcRating, text_limits.PASSAGE)


class WellLedRatingViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """CQC's well-led ratings, newest first per trust (the history); CQC records them."""

    serializer_class = WellLedRatingSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled

    def get_queryset(self):
        return wellled_ratings_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        # NOTE: asked before the body is read, so the trust is not known yet; the service asks
        # again with it, and the trust field offers only the trusts the caller may see.
        policies.may_record_wellled_rating(request.user).enforce()
        serializer = self.get_serializer(data=request.data)
        serializer.fields["trust"].queryset = trusts_visible_to(user=request.user)
        serializer.is_valid(raise_exception=True)
        rating = wellled_rating_record(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(rating).data, status=201)
