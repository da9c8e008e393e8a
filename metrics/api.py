"""REST API of the metrics app. Querysets come from the same selectors as the pages."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagination import LargeListPagination
from metrics.api_permissions import PolicyPermission
from metrics.filters import FinanceScoreFilter, MetricValueFilter
from metrics.models import FinanceScore, MetricDefinition, ModerationDecision, Trust, User
from metrics.models.scores import SCORE_COLUMNS
from metrics.policies import may_see_every_trust, may_use_service
from metrics.selectors import (
    finance_scores_visible_to,
    metric_definitions_list,
    metric_values_visible_to,
    trusts_visible_to,
)


class TrustSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trust
        fields = ["ods_code", "name", "trust_type", "region", "foundation_trust", "active"]


class MeSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(read_only=True)
    organisation_name = serializers.CharField(read_only=True)
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["username", "role", "organisation", "organisation_name", "trust"]


class TrustViewSet(viewsets.ReadOnlyModelViewSet):
    """Trusts the signed-in user may see: all for staff, their own for a trust user."""

    serializer_class = TrustSerializer
    permission_classes = [PolicyPermission]
    policy = may_use_service
    lookup_field = "ods_code"

    def get_queryset(self):
        return trusts_visible_to(user=self.request.user)


class MeView(APIView):
    """Who the API thinks you are: username, role and organisation."""

    permission_classes = [PolicyPermission]
    policy = may_use_service

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class MetricDefinitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MetricDefinition
        fields = [
            "code",
            "name",
            "area",
            "unit",
            "lower_is_better",
            "frequency",
            "source",
            "rationale",
            "reference",
            "threshold",
            "threshold_source",
        ]


class MetricDefinitionViewSet(viewsets.ReadOnlyModelViewSet):
    """The metrics the service knows: the SOF finance metrics and the UoR core set."""

    serializer_class = MetricDefinitionSerializer
    permission_classes = [PolicyPermission]
    policy = may_use_service
    lookup_field = "code"
    queryset = metric_definitions_list()


class MetricValueSerializer(serializers.Serializer):
    """A value (MetricValue has a composite key and no id: every field is named here)."""

    trust = serializers.CharField(source="trust.ods_code", read_only=True)
    metric = serializers.CharField(source="metric.code", read_only=True)
    period = serializers.DateField(format="%Y-%m", read_only=True)
    value = serializers.FloatField(read_only=True)


class MetricValueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Monthly values; filter by trust (ODS code), metric (code) and a range of months.

    Pages hold up to 1,000 values (`limit`); `count` is null past 10,000 (LargeListPagination).
    """

    serializer_class = MetricValueSerializer
    permission_classes = [PolicyPermission]
    policy = may_use_service
    pagination_class = LargeListPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = MetricValueFilter

    def get_queryset(self):
        # NOTE: in the order of the table's key (trust, metric, month), which its primary-key
        # index gives without sorting; by ODS code, every page sorted the million rows.
        return metric_values_visible_to(user=self.request.user).order_by(
            "trust_id", "metric_id", "period"
        )


class ModerationDecisionSerializer(serializers.ModelSerializer):
    """The decision that stands, with the proposal it was made on."""

    decided_by = serializers.SerializerMethodField(
        help_text="Who decided (staff only; null for trust users)."
    )

    class Meta:
        model = ModerationDecision
        fields = [
            "score",
            "confirms_proposal",
            "reason",
            "decided_at",
            "decided_by",
            "overall",
            "proposed",
            "proposal_reason",
        ]

    def get_decided_by(self, decision) -> str | None:
        request = self.context.get("request")
        if request is None or not may_see_every_trust(request.user):
            return None
        return decision.decided_by.username


class FinanceScoreSerializer(serializers.ModelSerializer):
    """`moderated` is the finance score: the decided score, else the proposal until decided
    (`moderation_status` says which); `proposed` and `moderation` are the rules' proposal."""

    trust = serializers.CharField(source="trust.ods_code", read_only=True)
    period = serializers.DateField(format="%Y-%m", read_only=True)
    moderation_status = serializers.CharField(read_only=True)
    decision = ModerationDecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FinanceScore
        fields = [
            "trust",
            "period",
            *(name for name in SCORE_COLUMNS if name != "decision_id"),
            "moderation_status",
            "decision",
        ]


class FinanceScoreViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """SOF finance scores (1 best to 4); filter by trust (ODS code) and month.

    Pages hold up to 1,000 scores (`limit`); `count` is null past 10,000 (LargeListPagination).
    """

    serializer_class = FinanceScoreSerializer
    permission_classes = [PolicyPermission]
    policy = may_use_service
    pagination_class = LargeListPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = FinanceScoreFilter

    def get_queryset(self):
        return finance_scores_visible_to(user=self.request.user)
