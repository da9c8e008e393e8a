"""Serve the publication pages: the trust's review request and CQC's decision, the public
register, a trust's public page and its published report, and a trust's Use of Resources
page."""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView, View

from assessments import policies, refusals
from assessments.deadlines import review_deadline
from assessments.models import Assessment, Status
from assessments.reports.selectors import published_report_get
from assessments.reports.services import report_download
from assessments.views.mixins import AssessmentPageMixin, add_service_errors
from core.csv_export import csv_response
from core.documents import ReportCorrupted
from core.downloads import document_response
from core.policies import decide
from metrics.models import Trust
from metrics.selectors import trust_get_for_user, trust_regions

from . import services
from .forms import RegisterFilterForm, ReviewDecisionForm, ReviewRequestForm
from .selectors import published_entries, published_history, published_register

logger = logging.getLogger(__name__)
REVIEW_REQUESTED = "Your request for a review is recorded. CQC will decide on it."
REVIEW_DECIDED = "The decision on the review request is recorded."


class ReviewRequestView(AssessmentPageMixin, FormView):
    """The trust asks once for a review of the published rating; CQC decides it here."""

    template_name = "assessments/review_request.html"

    def assessment_decision(self, user, assessment):
        if self.request.method != "POST":
            return decide(assessment.status == Status.PUBLISHED, refusals.REVIEW_NOT_PUBLISHED)
        if policies.decides_reviews(user):
            return policies.may_decide_review(user, assessment, self.review_request())
        return policies.may_request_review(user, assessment)

    def review_request(self):
        return getattr(self.assessment, "review_request", None)

    def get_form_class(self):
        if policies.decides_reviews(self.request.user):
            return ReviewDecisionForm
        return ReviewRequestForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        request = self.review_request()
        return super().get_context_data(
            review_request=request,
            can_request=policies.may_request_review(user, self.assessment),
            can_decide=policies.may_decide_review(user, self.assessment, request),
            deadline=review_deadline(self.assessment),
            versions=self.assessment.published_ratings.order_by("version"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if policies.decides_reviews(self.request.user):
                services.review_request_decide(
                    review=self.review_request(),
                    actor=self.request.user,
                    decision=data["decision"],
                    note=data["decision_note"],
                    new_rating=data["new_rating"],
                )
                messages.success(self.request, REVIEW_DECIDED)
            else:
                services.review_request_create(
                    assessment=self.assessment, actor=self.request.user, grounds=data["grounds"]
                )
                messages.success(self.request, REVIEW_REQUESTED)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect("assessments:review_request", pk=self.assessment.pk)


class PublishedRegisterView(TemplateView):
    """The public register of published UoR ratings: filter, sort, CSV.

    NOTE: open to anyone, signed in or not. CQC publishes these ratings on its public
    website; the register shows nothing that is not already public (trust, region, type,
    rating, date).
    """

    template_name = "assessments/published_register.html"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        form = RegisterFilterForm(request.GET or None, regions=trust_regions())
        filters = form.cleaned_data if form.is_valid() else {}
        rows = published_register(
            region=filters.get("region", ""),
            trust_type=filters.get("trust_type", ""),
            sort=filters.get("sort", ""),
        )
        if request.GET.get("format") == "csv":
            return self.csv(rows)
        query = request.GET.copy()
        query["format"] = "csv"
        return self.render_to_response(
            self.get_context_data(
                form=form, entries=published_entries(rows), csv_query=query.urlencode()
            )
        )

    def csv(self, rows):
        return csv_response(
            filename="uor-published-ratings.csv",
            header=[
                "ods_code",
                "trust",
                "region",
                "trust_type",
                "uor_rating",
                "combined_rating",
                "version",
                "published",
            ],
            rows=(
                [
                    row.assessment.trust.ods_code,
                    row.assessment.trust.name,
                    row.assessment.trust.region,
                    row.assessment.trust.get_trust_type_display(),
                    row.get_rating_display(),
                    row.get_combined_display() or "",
                    row.version,
                    f"{row.published_at:%Y-%m-%d}",
                ]
                for row in rows
            ),
        )


class PublishedTrustView(TemplateView):
    """A trust's public page: its current published rating with each KLOE's rating, the
    combined rating, the published report and every published version before it.

    NOTE: public, as the register is; a trust with no published rating answers 404.
    """

    template_name = "assessments/published_trust.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        trust = get_object_or_404(Trust, ods_code=self.kwargs["ods_code"])
        current = published_register(trust=trust).first()
        if current is None:
            raise Http404("No published rating")
        history = list(published_history(trust=trust))
        return super().get_context_data(
            trust=trust,
            entry=published_entries([current])[0],
            history=published_entries(history),
            **kwargs,
        )


class PublishedReportView(View):
    """The published final report of one of the trust's assessments, to anyone (404 if
    the assessment is not published or has no ready final version)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        assessment = get_object_or_404(
            Assessment, pk=kwargs["pk"], trust__ods_code=kwargs["ods_code"]
        )
        report = published_report_get(assessment=assessment)
        if report is None:
            raise Http404("No published report")
        try:
            pdf = report_download(report=report)
        except ReportCorrupted as error:
            logger.error("Refused to serve published report %s: %s", report.pk, error)
            raise Http404("The published report cannot be served") from error
        return document_response(report, pdf)


class TrustUseOfResourcesView(TemplateView):
    """The trust's finance score and its published UoR rating side by side, never combined
    (brief guide, 2017): two measures, two columns."""

    template_name = "assessments/trust_use_of_resources.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.trust: Trust = trust_get_for_user(user=request.user, ods_code=kwargs["ods_code"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scores = self.trust.finance_scores.select_related("decision").order_by("-period")[:12]
        ratings = published_register(trust=self.trust)
        return super().get_context_data(
            trust=self.trust, scores=scores, rating=ratings.first(), **kwargs
        )
