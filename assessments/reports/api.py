"""Add the report routes to AssessmentViewSet: list and request versions, download one.

`ReportActionsMixin` is mixed into AssessmentViewSet (assessments/api.py). A trust gets 404
before the draft is shared, as on the pages.
"""

from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments.selectors import assessment_shared_or_404
from core.documents import ReportCorrupted
from core.jobs import WORKERS_AWAY, workers_away

from .models import ReportVersion
from .selectors import report_version_get_for_user, report_versions_for_user
from .services import report_download, report_request


class ReportVersionSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "kind",
            "number",
            "status",
            "error",
            "size",
            "sha256",
            "requested_by",
            "requested_at",
            "finished_at",
            "published",
            "published_at",
            "superseded_at",
            "notice",
        ]

    published = serializers.BooleanField(source="is_published", read_only=True)
    notice = serializers.SerializerMethodField(
        help_text="Empty, or, when the service's workers could not be reached, that the "
        "version is queued and will start when they are back."
    )

    def get_notice(self, report) -> str:
        return WORKERS_AWAY if workers_away(report) else ""


class ReportActionsMixin:
    """Routes of AssessmentViewSet for an assessment's report versions."""

    @extend_schema(request=None, responses=ReportVersionSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        """GET: the report versions you may see. POST: request the report you may now."""
        assessment = assessment_shared_or_404(user=request.user, assessment=self.get_object())
        if request.method == "GET":
            versions = report_versions_for_user(user=request.user, assessment=assessment)
            return Response(ReportVersionSerializer(versions, many=True).data)
        report = report_request(assessment=assessment, user=request.user)
        return Response(ReportVersionSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path=r"reports/(?P<report_pk>[0-9]+)/download")
    def report_download(self, request, pk=None, report_pk=None):
        """A ready version's PDF, after checking its SHA-256."""
        assessment = assessment_shared_or_404(user=request.user, assessment=self.get_object())
        report = report_version_get_for_user(
            user=request.user, assessment=assessment, pk=int(report_pk)
        )
        try:
            pdf = report_download(report=report)
        except ReportCorrupted as error:
            raise Http404(str(error)) from error
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.file_name}"'
        return response
