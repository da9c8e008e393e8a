"""Serve every trust's oversight row with its flags (NHS Improvement only)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from metrics.api_permissions import PolicyPermission

from .. import policies
from ..selectors.oversight import oversight_rows


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    source = serializers.CharField()
    theme = serializers.CharField(help_text="An oversight theme, or 'service' for its own flags")


class OversightRowSerializer(serializers.Serializer):
    trust = serializers.CharField(source="trust.ods_code")
    name = serializers.CharField(source="trust.name")
    region = serializers.CharField(source="trust.region")
    system = serializers.CharField(source="trust.system")
    trust_type = serializers.CharField(source="trust.trust_type")
    finance_score = serializers.IntegerField(allow_null=True)
    finance_moderated = serializers.BooleanField()
    finance_moderation = serializers.CharField(
        help_text="Where the month's moderation stands: proposed, decided, or changed since."
    )
    finance_period = serializers.DateField(allow_null=True)
    uor_rating = serializers.IntegerField(allow_null=True)
    uor_version = serializers.IntegerField(allow_null=True)
    uor_ratified_rating = serializers.IntegerField(allow_null=True)
    wellled_rating = serializers.IntegerField(allow_null=True)
    wellled_rated_on = serializers.DateField(allow_null=True)
    last_review_completed_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    review_overdue = serializers.BooleanField()
    open_actions = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    segment = serializers.IntegerField(allow_null=True)
    flags = FlagSerializer(many=True)


class OversightViewSet(viewsets.ViewSet):
    """Every trust's oversight row (NHS Improvement only); filter with ?theme=, ?region=,
    ?system=, ?segment= (1-4 or none), ?trust_type=, ?flag=, order with ?sort= (name, flags,
    finance, due, segment)."""

    permission_classes = [PolicyPermission]
    policy = policies.may_see_oversight

    @extend_schema(responses=OversightRowSerializer(many=True))
    def list(self, request):
        params = request.query_params
        rows = oversight_rows(
            user=request.user,
            region=params.get("region", ""),
            trust_type=params.get("trust_type", ""),
            flag=params.get("flag", ""),
            sort=params.get("sort", "name"),
            theme=params.get("theme", ""),
            system=params.get("system", ""),
            segment=params.get("segment", ""),
        )
        return Response(OversightRowSerializer(rows, many=True).data)
