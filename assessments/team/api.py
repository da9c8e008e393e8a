"""Add the team change to AssessmentViewSet (assessments/api.py): POST .../team/."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments import policies
from core import text_limits
from metrics.models import Role, User

from .services import assessment_team_change


class TeamChangeSerializer(serializers.Serializer):
    lead = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(role=Role.ASSESSOR, is_active=True)
    )
    members = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        required=False,
        queryset=User.objects.filter(role=Role.ASSESSOR, is_active=True),
    )
    reason = serializers.CharField(max_length=text_limits.REASON)


class TeamActionsMixin:
    @extend_schema(request=TeamChangeSerializer, responses=TeamChangeSerializer)
    @action(detail=True, methods=["post"])
    def team(self, request, pk=None):
        """POST {"lead", "members", "reason"}: hand over or change the team (the lead only)."""
        assessment = self.get_object()
        policies.may_change_team(request.user, assessment).enforce()
        serializer = TeamChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changed = assessment_team_change(
            assessment=assessment,
            actor=request.user,
            lead=data["lead"],
            members=list(data.get("members", [])),
            reason=data["reason"],
        )
        return Response(
            {
                "lead": changed.lead.username,
                "members": sorted(changed.members.values_list("username", flat=True)),
                "reason": data["reason"],
            }
        )
