"""Add the consistency findings to AssessmentViewSet: read them, answer one.

`ConsistencyActionsMixin` is mixed into AssessmentViewSet (assessments/api.py). A trust gets
404, as on the page; answering asks the policy before reading the body.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments import policies
from core import text_limits

from .selectors import findings_for_user, findings_visible_or_404
from .services import finding_answer


class FindingSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Send it back to answer the finding.")
    rule = serializers.CharField(source="finding.rule")
    title = serializers.CharField(source="finding.title")
    subject = serializers.CharField(source="finding.subject")
    message = serializers.CharField(source="finding.message")
    source = serializers.CharField(source="finding.source")
    status = serializers.CharField(source="status_label")
    answered = serializers.BooleanField()
    reason = serializers.CharField(source="answer.reason", default="")
    answered_by = serializers.CharField(source="answer.answered_by.username", default="")
    answered_at = serializers.DateTimeField(
        source="answer.answered_at", default=None, allow_null=True
    )


class FindingAnswerSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=text_limits.CODE * 2)
    kind = serializers.ChoiceField(choices=["acknowledged", "fixed"])
    reason = serializers.CharField(
        max_length=text_limits.NOTE, required=False, allow_blank=True, default=""
    )


class ConsistencyActionsMixin:
    """Routes of AssessmentViewSet for an assessment's consistency findings."""

    @extend_schema(methods=["GET"], responses=FindingSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=FindingAnswerSerializer, responses=FindingSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"])
    def consistency(self, request, pk=None):
        """GET: the findings now, with the team's answers. POST {"key", "kind", "reason"}:
        answer one (the team, until the factual-accuracy check closes)."""
        assessment = findings_visible_or_404(user=request.user, assessment=self.get_object())
        if request.method == "POST":
            policies.may_answer_finding(request.user, assessment).enforce()
            serializer = FindingAnswerSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            finding_answer(assessment=assessment, actor=request.user, **serializer.validated_data)
        rows = findings_for_user(user=request.user, assessment=assessment)
        return Response(FindingSerializer(rows, many=True).data)
