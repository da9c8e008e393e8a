"""Serve the pages of a board's self-review: start it, edit each KLOE's entry while it is a
draft, sign it off, print it as a PDF, download its files of evidence."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from core.documents import ReportCorrupted
from core.downloads import attachment_response, document_response
from core.jobs import job_queued_message
from core.policies import Decision

from .. import policies
from ..forms.self_reviews import SelfReviewCreateForm, SelfReviewEntryForm, SignOffForm
from ..models.self_reviews import SelfReview, SelfReviewReport
from ..reports import self_review_report_download, self_review_report_request
from ..selectors.self_reviews import (
    self_review_attachment_get,
    self_review_entries,
    self_review_get_for_user,
    self_review_report_get,
)
from ..services.self_reviews import (
    self_review_attachment_add,
    self_review_create,
    self_review_entry_save,
    self_review_sign_off,
)
from .mixins import SubjectMixin, TrustFormMixin, add_service_errors

SAVED = "Your draft for {kloe} is saved."
SIGNED_OFF = "The self-review is signed off by the board. It can no longer be changed."
PDF_QUEUED = "PDF version {number} is queued. Refresh this page to see when it is ready."


class SelfReviewCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_create_self_review
    form_class = SelfReviewCreateForm
    template_name = "wellled/selfreview_create.html"

    def form_valid(self, form):
        try:
            review = self_review_create(
                trust=self.trust, actor=self.request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect(review)


class SelfReviewSubjectMixin(SubjectMixin):
    def load(self) -> SelfReview:
        self.review = self_review_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return self.review

    def may_post(self, user, subject) -> Decision:
        return policies.may_edit_self_review(user, subject)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            review=self.review,
            trust=self.review.trust,
            may={
                "edit": policies.may_edit_self_review(user, self.review),
                "sign_off": policies.may_sign_off_self_review(user, self.review),
            },
            **kwargs,
        )


class SelfReviewDetailView(SelfReviewSubjectMixin, TemplateView):
    template_name = "wellled/selfreview_detail.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            entries=self_review_entries(review=self.review),
            plan=self.review.plan.select_related("kloe"),
            **kwargs,
        )


class SelfReviewEntryView(SelfReviewSubjectMixin, FormView):
    """One KLOE of a self-review: the trust edits its draft; everyone else who may see the
    review reads it. After sign-off the form is gone and a post is refused (403)."""

    form_class = SelfReviewEntryForm
    template_name = "wellled/selfreviewentry_edit.html"

    def get_kloe(self):
        if not hasattr(self, "_kloe"):
            kloe = self.review.framework.kloes.filter(code=self.kwargs["code"]).first()
            if kloe is None:
                raise Http404("No such KLOE")
            self._kloe = kloe
        return self._kloe

    def get_entry(self):
        return (
            self.review.entries.select_related("priority", "kloe")
            .filter(kloe=self.get_kloe())
            .first()
        )

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "review": self.review}
        entry = self.get_entry()
        if entry and self.request.method != "POST":
            kwargs["initial"] = {
                "priority": entry.priority_id,
                "explanation": entry.explanation,
                "assurance": entry.assurance,
                "actions": entry.actions,
            }
        return kwargs

    def get_context_data(self, **kwargs):
        kloe = self.get_kloe()
        return super().get_context_data(
            kloe=kloe,
            entry=self.get_entry(),
            files=self.review.attachments.filter(kloe=kloe),
            prompts=kloe.prompts.all(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        kloe = self.get_kloe()
        try:
            self_review_entry_save(
                review=self.review,
                kloe=kloe,
                actor=self.request.user,
                priority=data["priority"],
                explanation=data["explanation"],
                assurance=data["assurance"],
                actions=data["actions"],
            )
            if data.get("file"):
                self_review_attachment_add(
                    review=self.review,
                    kloe=kloe,
                    actor=self.request.user,
                    name=data["file"]["name"],
                    content=data["file"]["content"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SAVED.format(kloe=kloe))
        return redirect("wellled:selfreview_entry", pk=self.review.pk, code=kloe.code)


class SelfReviewSignOffView(SelfReviewSubjectMixin, FormView):
    form_class = SignOffForm
    template_name = "wellled/selfreview_signoff.html"

    def may_view(self, user, subject) -> Decision:
        return policies.may_sign_off_self_review(user, subject)

    may_post = may_view

    def form_valid(self, form):
        try:
            self_review_sign_off(review=self.review, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SIGNED_OFF)
        return redirect(self.review)


class SelfReviewReportsView(SelfReviewSubjectMixin, TemplateView):
    """The PDF versions; a post queues a new one (rendered by a Celery task)."""

    template_name = "wellled/selfreviewreport_list.html"

    def may_post(self, user, subject) -> Decision:
        return policies.may_print_self_review(user, subject)

    def get_context_data(self, **kwargs):
        versions = list(self.review.reports.defer("pdf"))
        pending = [version for version in versions if not version.is_finished]
        return super().get_context_data(versions=versions, pending=bool(pending), **kwargs)

    def post(self, request, *args, **kwargs):
        report = self_review_report_request(review=self.review, user=request.user)
        job_queued_message(request, report, PDF_QUEUED.format(number=report.number))
        return redirect("wellled:selfreview_reports", pk=self.review.pk)


class SelfReviewReportDownloadView(SelfReviewSubjectMixin, TemplateView):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        report = self_review_report_get(review=self.review, pk=self.kwargs["report_pk"])
        if report.status != SelfReviewReport.Status.READY:
            raise Http404("The PDF is not ready")
        try:
            pdf = self_review_report_download(report=report)
        except ReportCorrupted as error:
            messages.error(request, str(error))
            return redirect("wellled:selfreview_reports", pk=self.review.pk)
        return document_response(report, pdf)


class SelfReviewAttachmentView(SelfReviewSubjectMixin, TemplateView):
    """A file of evidence, only to those who may see the review, always as a download."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        attachment = self_review_attachment_get(review=self.review, pk=self.kwargs["attachment_pk"])
        return attachment_response(attachment)
