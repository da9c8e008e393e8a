"""REST API of the metrics app. Querysets come from the same selectors as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from metrics.models import Trust, User
from metrics.permissions import ALL_ROLES, HasRole
from metrics.selectors import trusts_visible_to


class TrustSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trust
        fields = ["ods_code", "name", "trust_type", "region", "foundation_trust", "active"]


class MeSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(read_only=True)
    organisation_name = serializers.CharField(read_only=True)
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)

    class Meta:
        model = User
        fields = ["username", "role", "organisation", "organisation_name", "trust"]


class TrustViewSet(viewsets.ReadOnlyModelViewSet):
    """Trusts the signed-in user may see: all for staff, their own for a trust user."""

    serializer_class = TrustSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    lookup_field = "ods_code"

    def get_queryset(self):
        return trusts_visible_to(user=self.request.user)


class MeView(APIView):
    """Who the API thinks you are: username, role and organisation."""

    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
