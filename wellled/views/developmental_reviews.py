"""Serve the pages of developmental reviews and comply or explain: record and edit a
review, agree the next due date, accept an explanation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from core.policies import Decision
from core.ratings import Rating

from .. import policies
from ..forms.developmental_reviews import AgreeDueDateForm, DevelopmentalReviewForm, ExplanationForm
from ..models.developmental_reviews import DevelopmentalReview
from ..selectors.developmental_reviews import (
    developmental_review_get_for_user,
    ratings_compared,
    review_cycle_for_trust,
)
from ..selectors.framework import framework_latest
from ..services.developmental_reviews import (
    developmental_review_agree_due_date,
    developmental_review_save,
    review_explanation_record,
)
from .mixins import SubjectMixin, TrustFormMixin, add_service_errors

REVIEW_SAVED = "The developmental review is saved."
DUE_AGREED = "The next review is now due on {due:%-d %B %Y}."
EXPLANATION_ACCEPTED = "The explanation is accepted for the review due {due:%-d %B %Y}."


class DevReviewFormMixin:
    form_class = DevelopmentalReviewForm
    template_name = "wellled/developmentalreview_form.html"
    instance: DevelopmentalReview | None = None

    def get_form_kwargs(self):
        framework = framework_latest()
        kloes = framework.kloes.all() if framework else []
        return {**super().get_form_kwargs(), "kloes": kloes, "instance": self.instance}

    def form_valid(self, form):
        try:
            review = developmental_review_save(
                trust=self.trust,
                actor=self.request.user,
                kloes=list(form.cleaned_data["kloes"]),
                ratings=form.ratings_data(),
                omissions=form.omissions_data(),
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
        self.review = developmental_review_get_for_user(
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
        board, compared = ratings_compared(review=self.review)
        scope = list(self.review.kloes.all())
        # The KLOEs of the framework the scope is drawn from, less those it covers.
        omitted = [
            (kloe, self.review.omitted_kloes.get(kloe.code, ""))
            for kloe in (scope[0].framework.kloes.all() if scope else [])
            if kloe not in scope
        ]
        return super().get_context_data(
            ratings=self.review.ratings.all(),
            board_review=board,
            compared=compared,
            rating_choices=Rating.choices,
            omitted=omitted,
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
    form_class = AgreeDueDateForm
    template_name = "wellled/developmentalreview_due_date.html"

    def may_view(self, user, subject) -> Decision:
        return policies.may_agree_due_date(user, subject)

    may_post = may_view

    def form_valid(self, form):
        try:
            review = developmental_review_agree_due_date(
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
    form_class = ExplanationForm
    template_name = "wellled/reviewexplanation_create.html"

    def get_context_data(self, **kwargs):
        cycle = review_cycle_for_trust(trust=self.trust)
        return super().get_context_data(cycle=cycle, **kwargs)

    def form_valid(self, form):
        try:
            record = review_explanation_record(
                trust=self.trust, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, EXPLANATION_ACCEPTED.format(due=record.covers_due_on))
        return redirect("wellled:trust_detail", ods_code=self.trust.ods_code)
