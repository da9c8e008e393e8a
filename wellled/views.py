"""Pages of the well-led app. Each view finds its object through a selector (404 for what
the user may not see), asks wellled.policies whether the user may act (403 with the policy's
message), parses the form, calls one service and redirects."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from core.csv_export import csv_response
from core.documents import ReportCorrupted
from core.downloads import attachment_response, document_response
from core.policies import ALLOW, Decision
from metrics.mixins import PolicyRequiredMixin
from metrics.models import Trust, User
from metrics.selectors import trust_get_for_user

from . import forms, policies, selectors, services
from .models import DevelopmentalReview, SelfReview, SelfReviewReport
from .reports import self_review_report_download, self_review_report_request

SAVED = "Your draft for {kloe} is saved."
SIGNED_OFF = "The self-review is signed off by the board. It can no longer be changed."
PDF_QUEUED = "PDF version {number} is queued. Refresh this page to see when it is ready."
REVIEW_SAVED = "The developmental review is saved."
DUE_AGREED = "The next review is now due on {due:%-d %B %Y}."
EXPLANATION_ACCEPTED = "The explanation is accepted for the review due {due:%-d %B %Y}."
ACTION_ADDED = "The action is added to the plan."
PROGRESS_SAVED = "Progress is recorded."
RATING_RECORDED = "CQC's well-led rating is recorded."
SEGMENT_RECORDED = "The segment decision is recorded."


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: by field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class SubjectMixin(PolicyRequiredMixin):
    """Load the page's subject first (404 when the user may not see it), then enforce
    `may_view` / `may_post` (403 with the policy's message). Subclasses set `load` and the
    two checks, each answering with a wellled.policies predicate."""

    policy = policies.may_see_wellled
    http_method_names = ["get", "head", "post"]

    def load(self):
        raise NotImplementedError

    def may_view(self, user, subject) -> Decision:
        return ALLOW  # the selector in `load` decided who may see the subject

    def may_post(self, user, subject) -> Decision:
        raise NotImplementedError("a page that takes posts names their policy")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.subject = self.load()
        # NOTE: a method the page does not take answers 405 from Django's dispatch, not a
        # refusal: there is no policy to ask about a post to a page without a form.
        if request.method.lower() in self.http_method_names:
            may = self.may_post if request.method == "POST" else self.may_view
            may(request.user, self.subject).enforce()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class TrustSubjectMixin(SubjectMixin):
    def load(self) -> Trust:
        self.trust = trust_get_for_user(user=self.request.user, ods_code=self.kwargs["ods_code"])
        return self.trust

    def get_context_data(self, **kwargs):
        return super().get_context_data(trust=self.trust, **kwargs)


class TrustFormMixin(TrustSubjectMixin):
    """A form about one trust, shown and taken by those `trust_policy` allows."""

    trust_policy: Callable[[User, Trust], Decision]

    def may_view(self, user, subject) -> Decision:
        # NOTE: read through the class, so the plain function is not bound as a method.
        return type(self).trust_policy(user, subject)

    may_post = may_view


# The framework ------------------------------------------------------------------------------


class FrameworkView(PolicyRequiredMixin, TemplateView):
    """The whole framework, with a search over its text (?q=)."""

    policy = policies.may_see_wellled
    template_name = "wellled/framework_detail.html"

    def get_context_data(self, **kwargs):
        framework = selectors.framework_latest()
        query = self.request.GET.get("q", "").strip()[:200]
        context = super().get_context_data(framework=framework, query=query, **kwargs)
        if framework:
            context["kloes"] = selectors.framework_kloes(framework=framework)
            context["results"] = selectors.framework_search(framework=framework, query=query)
            context["result_count"] = sum(len(v) for v in context["results"].values())
        return context


# A trust's well-led page --------------------------------------------------------------------


class TrustWellLedView(TrustSubjectMixin, TemplateView):
    template_name = "wellled/trust_detail.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        actions = list(selectors.actions_visible_to(user=user).filter(trust=self.trust))
        context.update(
            self_reviews=selectors.self_reviews_visible_to(user=user).filter(trust=self.trust),
            dev_reviews=selectors.developmental_reviews_visible_to(user=user).filter(
                trust=self.trust
            ),
            cycle=selectors.review_cycle_for_trust(trust=self.trust),
            actions=actions,
            overdue_actions=[action for action in actions if action.is_overdue],
            ratings=selectors.wellled_ratings_visible_to(user=user).filter(trust=self.trust),
            may={
                "see_oversight": policies.may_see_oversight(user),
                "see_segments": policies.may_see_segments(user),
                "create_self_review": policies.may_create_self_review(user, self.trust),
                "record_developmental_review": policies.may_record_developmental_review(
                    user, self.trust
                ),
                "accept_explanation": policies.may_accept_explanation(user, self.trust),
                "create_action": policies.may_create_action(user, self.trust),
                "record_wellled_rating": policies.may_record_wellled_rating(user, self.trust),
                "record_segment_decision": policies.may_record_segment_decision(user, self.trust),
            },
        )
        if context["may"]["see_segments"]:
            context["segments"] = selectors.segment_decisions_for_trust(trust=self.trust)
        return context


# Board self-review --------------------------------------------------------------------------


class SelfReviewCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_create_self_review
    form_class = forms.SelfReviewCreateForm
    template_name = "wellled/selfreview_create.html"

    def form_valid(self, form):
        try:
            review = services.self_review_create(
                trust=self.trust, actor=self.request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect(review)


class SelfReviewSubjectMixin(SubjectMixin):
    def load(self) -> SelfReview:
        self.review = selectors.self_review_get_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )
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
            entries=selectors.self_review_entries(review=self.review),
            plan=self.review.plan.select_related("kloe"),
            **kwargs,
        )


class SelfReviewEntryView(SelfReviewSubjectMixin, FormView):
    """One KLOE of a self-review: the trust edits its draft; everyone else who may see the
    review reads it. After sign-off the form is gone and a post is refused (403)."""

    form_class = forms.SelfReviewEntryForm
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
            services.self_review_entry_save(
                review=self.review,
                kloe=kloe,
                actor=self.request.user,
                priority=data["priority"],
                explanation=data["explanation"],
                assurance=data["assurance"],
                actions=data["actions"],
            )
            if data.get("file"):
                services.self_review_attachment_add(
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
    form_class = forms.SignOffForm
    template_name = "wellled/selfreview_signoff.html"

    def may_view(self, user, subject) -> Decision:
        return policies.may_sign_off_self_review(user, subject)

    may_post = may_view

    def form_valid(self, form):
        try:
            services.self_review_sign_off(
                review=self.review, actor=self.request.user, **form.cleaned_data
            )
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
        messages.success(request, PDF_QUEUED.format(number=report.number))
        return redirect("wellled:selfreview_reports", pk=self.review.pk)


class SelfReviewReportDownloadView(SelfReviewSubjectMixin, TemplateView):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        report = selectors.self_review_report_get(review=self.review, pk=self.kwargs["report_pk"])
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
        attachment = selectors.self_review_attachment_get(
            review=self.review, pk=self.kwargs["attachment_pk"]
        )
        return attachment_response(attachment)


# Developmental reviews ----------------------------------------------------------------------


class DevReviewFormMixin:
    form_class = forms.DevelopmentalReviewForm
    template_name = "wellled/developmentalreview_form.html"
    instance: DevelopmentalReview | None = None

    def get_form_kwargs(self):
        framework = selectors.framework_latest()
        kloes = framework.kloes.all() if framework else []
        return {**super().get_form_kwargs(), "kloes": kloes, "instance": self.instance}

    def form_valid(self, form):
        try:
            review = services.developmental_review_save(
                trust=self.trust,
                actor=self.request.user,
                kloes=list(form.cleaned_data["kloes"]),
                ratings=form.ratings_data(),
                review=self.instance,
                **form.review_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, REVIEW_SAVED)
        return redirect(review)


class DevReviewCreateView(DevReviewFormMixin, TrustFormMixin, FormView):
    trust_policy = policies.may_record_developmental_review


class DevReviewSubjectMixin(SubjectMixin):
    def load(self) -> DevelopmentalReview:
        self.review = selectors.developmental_review_get_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )
        self.trust = self.review.trust
        return self.review

    def get_context_data(self, **kwargs):
        return super().get_context_data(review=self.review, trust=self.trust, **kwargs)


class DevReviewDetailView(DevReviewSubjectMixin, TemplateView):
    template_name = "wellled/developmentalreview_detail.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            ratings=self.review.ratings.all(),
            plan=self.review.plan.select_related("kloe"),
            may={
                "edit": policies.may_edit_developmental_review(user, self.review),
                "create_action": policies.may_create_action(user, self.trust),
                "agree_due_date": policies.may_agree_due_date(user, self.review),
            },
            **kwargs,
        )


class DevReviewEditView(DevReviewFormMixin, DevReviewSubjectMixin, FormView):
    def load(self):
        review = super().load()
        self.instance = review
        return review

    def may_view(self, user, subject) -> Decision:
        return policies.may_edit_developmental_review(user, subject)

    may_post = may_view


class AgreeDueDateView(DevReviewSubjectMixin, FormView):
    form_class = forms.AgreeDueDateForm
    template_name = "wellled/developmentalreview_due_date.html"

    def may_view(self, user, subject) -> Decision:
        return policies.may_agree_due_date(user, subject)

    may_post = may_view

    def form_valid(self, form):
        try:
            review = services.developmental_review_agree_due_date(
                review=self.review,
                actor=self.request.user,
                due_on=form.cleaned_data["agreed_next_due_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, DUE_AGREED.format(due=review.agreed_next_due_on))
        return redirect(review)


class ExplanationCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_accept_explanation
    form_class = forms.ExplanationForm
    template_name = "wellled/reviewexplanation_create.html"

    def get_context_data(self, **kwargs):
        cycle = selectors.review_cycle_for_trust(trust=self.trust)
        return super().get_context_data(cycle=cycle, **kwargs)

    def form_valid(self, form):
        try:
            record = services.review_explanation_record(
                trust=self.trust, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, EXPLANATION_ACCEPTED.format(due=record.covers_due_on))
        return redirect("wellled:trust_detail", ods_code=self.trust.ods_code)


# Action plans -------------------------------------------------------------------------------


class ActionCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_create_action
    form_class = forms.ActionForm
    template_name = "wellled/action_create.html"

    def get_form_kwargs(self):
        user = self.request.user
        framework = selectors.framework_latest()
        return {
            **super().get_form_kwargs(),
            "kloes": framework.kloes.all() if framework else [],
            "self_reviews": selectors.self_reviews_visible_to(user=user).filter(trust=self.trust),
            "developmental_reviews": selectors.developmental_reviews_visible_to(user=user).filter(
                trust=self.trust
            ),
        }

    def get_initial(self):
        return {"source": self.request.GET.get("source", "")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action = services.action_create(
                trust=self.trust,
                actor=self.request.user,
                kloe=data["kloe"],
                text=data["text"],
                owner=data["owner"],
                due_on=data["due_on"],
                **form.source_kwargs(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ACTION_ADDED)
        return redirect(action)


class ActionDetailView(SubjectMixin, FormView):
    """An action with its progress notes; the trust records progress here."""

    form_class = forms.ProgressForm
    template_name = "wellled/action_detail.html"

    def load(self):
        self.action = selectors.action_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return self.action

    def may_post(self, user, subject) -> Decision:
        return policies.may_record_progress(user, subject)

    def get_initial(self):
        return {"status": self.action.status, "noted_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action,
            trust=self.action.trust,
            notes=self.action.notes.select_related("created_by"),
            may={"record_progress": policies.may_record_progress(self.request.user, self.action)},
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.action_progress(
                action=self.action, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, PROGRESS_SAVED)
        return redirect(self.action)


# CQC's rating and NHS Improvement's decisions -----------------------------------------------


class WellLedRatingCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_record_wellled_rating
    form_class = forms.WellLedRatingForm
    template_name = "wellled/wellledrating_create.html"

    def form_valid(self, form):
        try:
            services.wellled_rating_record(
                trust=self.trust, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, RATING_RECORDED)
        return redirect("wellled:trust_detail", ods_code=self.trust.ods_code)


class SegmentDecisionCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_record_segment_decision
    form_class = forms.SegmentDecisionForm
    template_name = "wellled/segmentdecision_create.html"

    def get_context_data(self, **kwargs):
        rows = selectors.oversight_rows(user=self.request.user)
        row = next((row for row in rows if row.trust.pk == self.trust.pk), None)
        return super().get_context_data(
            row=row, history=selectors.segment_decisions_for_trust(trust=self.trust), **kwargs
        )

    def form_valid(self, form):
        try:
            services.segment_decision_record(
                trust=self.trust, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SEGMENT_RECORDED)
        return redirect("wellled:trust_detail", ods_code=self.trust.ods_code)


# The oversight view -------------------------------------------------------------------------

CSV_COLUMNS = [
    "ods_code",
    "trust",
    "region",
    "trust_type",
    "finance_score",
    "finance_moderated",
    "finance_period",
    "uor_rating",
    "wellled_rating",
    "wellled_rated_on",
    "last_review_completed_on",
    "next_review_due_on",
    "review_overdue",
    "open_actions",
    "overdue_actions",
    "segment",
    "segment_decided_on",
    *[f"flag_{code}" for code in selectors.FLAGS],
    "flag_sources",
]


class OversightView(PolicyRequiredMixin, TemplateView):
    """Every trust's finance score, UoR and well-led ratings, review cycle, actions and
    flags; ?format=csv downloads the same rows."""

    policy = policies.may_see_oversight
    template_name = "wellled/oversight.html"
    http_method_names = ["get", "head"]

    def get_rows(self, form):
        data = form.cleaned_data if form.is_valid() else {}
        return selectors.oversight_rows(
            user=self.request.user,
            region=data.get("region", ""),
            trust_type=data.get("trust_type", ""),
            flag=data.get("flag", ""),
            sort=data.get("sort") or "name",
        )

    def get(self, request, *args, **kwargs):
        form = forms.OversightFilterForm(request.GET or None, regions=selectors.oversight_regions())
        rows = self.get_rows(form)
        if request.GET.get("format") == "csv":
            return self.csv_response(rows)
        query = request.GET.copy()
        query["format"] = "csv"
        return self.render_to_response(
            self.get_context_data(
                form=form, rows=rows, csv_query=query.urlencode(), flags=selectors.FLAGS
            )
        )

    def csv_response(self, rows) -> HttpResponse:
        return csv_response(
            filename="wellled-oversight.csv", header=CSV_COLUMNS, rows=map(_csv_row, rows)
        )


def _csv_row(row) -> list:
    codes = row.flag_codes
    return [
        row.trust.ods_code,
        row.trust.name,
        row.trust.region,
        row.trust.trust_type,
        row.finance_score or "",
        "yes" if row.finance_moderated else "no",
        row.finance_period or "",
        row.uor_label,
        row.wellled_label,
        row.wellled_rated_on or "",
        row.last_review_completed_on or "",
        row.due_on or "",
        "yes" if row.review_overdue else "no",
        row.open_actions,
        row.overdue_actions,
        row.segment or "",
        row.segment_decided_on or "",
        *["yes" if code in codes else "no" for code in selectors.FLAGS],
        "; ".join(f"{flag.label}: {flag.source}" for flag in row.flags),
    ]
