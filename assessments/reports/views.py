"""Serve the pages of an assessment's reports: the versions and their status, requesting one,
and the download.

Rendering never happens here: a request queues a Celery task (STYLE 8), the page follows
its status through a JSON endpoint, and the download serves stored, checksummed bytes.
"""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from assessments import policies
from assessments.selectors import assessment_get_for_user
from core.documents import ReportCorrupted
from core.downloads import document_response
from core.jobs import job_queued_message

from .models import ReportVersion
from .record import record_context
from .selectors import (
    report_kind_requestable,
    report_version_get_for_user,
    report_versions_for_user,
)
from .services import record_request, report_download, report_request

logger = logging.getLogger(__name__)

REPORT_QUEUED = "{kind} version {number} is queued. This page shows when it is ready."


class ReportAssessmentMixin(LoginRequiredMixin):
    """The assessment in the URL if the user may see it (404 otherwise), and, for a trust
    user, only once the draft has been shared: until then its reports are NHSI's own."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = assessment_get_for_user(user=request.user, pk=self.kwargs["pk"])
        if not policies.may_see_internal(request.user, self.assessment):
            raise Http404("No such assessment")
        return super().dispatch(request, *args, **kwargs)


class ReportListView(ReportAssessmentMixin, TemplateView):
    """The versions with their status; POST asks for the report the user may request now."""

    template_name = "assessments/reportversion_list.html"
    http_method_names = ["get", "head", "post"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        versions = list(report_versions_for_user(user=user, assessment=self.assessment))
        pending = [version for version in versions if not version.is_finished]
        return super().get_context_data(
            assessment=self.assessment,
            versions=versions,
            # The newest unfinished version is the one the page script follows.
            polling=pending[0] if pending else None,
            requestable=report_kind_requestable(user=user, assessment=self.assessment),
            may_read_record=policies.may_read_record(user, self.assessment),
            kinds=ReportVersion.Kind,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        report = report_request(assessment=self.assessment, user=request.user)
        job_queued_message(
            request,
            report,
            REPORT_QUEUED.format(kind=report.get_kind_display(), number=report.number),
        )
        return redirect("assessments:report_list", pk=self.assessment.pk)


class ReportVersionMixin(ReportAssessmentMixin):
    def get_report(self) -> ReportVersion:
        return report_version_get_for_user(
            user=self.request.user, assessment=self.assessment, pk=self.kwargs["report_pk"]
        )


class ReportStatusView(ReportVersionMixin, View):
    """The status of one version as JSON, for the page's poll (static/js/uor.js)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        report = self.get_report()
        return JsonResponse(
            {
                "status": report.status,
                "status_label": report.get_status_display(),
                "progress": report.progress,
                "finished": report.is_finished,
            },
            headers={"Cache-Control": "no-store"},
        )


class ReportDownloadView(ReportVersionMixin, View):
    """A ready version's PDF as a download, after checking its SHA-256."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        report = self.get_report()
        if report.status != ReportVersion.Status.READY:
            raise Http404("The report is not ready")
        try:
            pdf = report_download(report=report)
        except ReportCorrupted as error:
            logger.error("Refused to serve report %s: %s", report.pk, error)
            messages.error(request, str(error))
            return redirect(reverse("assessments:report_list", kwargs={"pk": self.assessment.pk}))
        return document_response(report, pdf)


class RecordView(LoginRequiredMixin, TemplateView):
    """The internal decision record as a page; POST queues it as a PDF (the reports page).

    NOTE: a trust user gets 404, not 403: like NHSI's other internal things, the trust must
    not learn from us what the record holds or that it exists.
    """

    template_name = "assessments/assessment_record.html"
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = assessment_get_for_user(user=request.user, pk=self.kwargs["pk"])
        if not policies.may_read_record(request.user, self.assessment):
            raise Http404("No such record")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**record_context(self.assessment), **kwargs)

    def post(self, request, *args, **kwargs):
        report = record_request(assessment=self.assessment, user=request.user)
        job_queued_message(
            request,
            report,
            REPORT_QUEUED.format(kind=report.get_kind_display(), number=report.number),
        )
        return redirect("assessments:report_list", pk=self.assessment.pk)
