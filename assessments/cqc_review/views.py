"""Serve CQC's review pages: the discussion with the team, the agreed rating with CQC's
reasons, the lead's revision of the rationales it changed, and the quality ratings with the
combined rating."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.generic import FormView

from assessments import policies
from assessments.confirmations import WORDS
from assessments.models import KloeRating, Status
from assessments.views.mixins import AssessmentPageMixin, add_service_errors
from assessments.workflow import TransitionRefused, assessment_transition, transition_problems
from core.ratings import Rating

from . import selectors, services
from .forms import AgreedRatingsForm, DiscussionForm, QualityRatingsForm, RationaleRevisionForm

MESSAGE_POSTED = "Your message is posted."
AGREED = (
    "The agreed rating is recorded and the assessment is finalised. The final report is being "
    "rendered; publish it from here once it is ready."
)
AGREED_CHANGED = (
    "The agreed rating is recorded. The lead assessor now revises the rationale of each "
    "rating CQC changed; then CQC confirms the text and finalises."
)
REVISED = "The revised rationale is saved; the earlier text is kept in the history."
QUALITY_SAVED = "The quality ratings and the combined rating are recorded."


class DiscussionView(AssessmentPageMixin, FormView):
    """The thread between the team and CQC about a disputed rating, each message kept."""

    template_name = "assessments/discussion.html"
    form_class = DiscussionForm

    def assessment_decision(self, user, assessment):
        if self.request.method == "POST":
            return policies.may_post_discussion(user, assessment)
        return policies.may_read_discussion(user, assessment)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            thread=selectors.discussion_for_user(user=user, assessment=self.assessment),
            can_post=policies.may_post_discussion(user, self.assessment),
            may_agree_rating=policies.may_agree_rating(user, self.assessment),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.discussion_post(
                assessment=self.assessment, actor=self.request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, MESSAGE_POSTED)
        return redirect("assessments:discussion", pk=self.assessment.pk)


class AgreeRatingView(AssessmentPageMixin, FormView):
    """CQC records the agreed rating per KLOE and overall, with a note, ending the dispute."""

    template_name = "assessments/agree_rating.html"
    form_class = AgreedRatingsForm
    extra_context = {"page_title": "Record the agreed rating"}
    assessment_policy = policies.may_agree_rating

    def proposals(self) -> dict:
        return {
            (r.kloe.code if r.kloe else "overall"): r
            for r in KloeRating.objects.filter(assessment=self.assessment).select_related("kloe")
        }

    def get_initial(self):
        """Start from the proposal: CQC changes only the ratings it disagrees with."""
        return {f"rating_{key}": r.rating for key, r in self.proposals().items()}

    def get_form_kwargs(self):
        proposed = {key: r.get_rating_display() for key, r in self.proposals().items()}
        return {
            **super().get_form_kwargs(),
            "kloes": list(self.assessment.framework.kloes.all()),
            "proposed": proposed,
        }

    def transition_data(self, form) -> dict:
        return {
            "agreed_ratings": form.agreed(),
            "cqc_reasons": form.reasons(),
            "publication_date": form.cleaned_data["publication_date"],
        }

    def form_valid(self, form):
        """Three posts: the form, then its check page (nothing stored yet), then the
        confirmation; "Change" on the check page shows the form again as it was."""
        data, note = self.transition_data(form), form.cleaned_data["note"]
        if self.request.POST.get("edit"):
            return self.render_to_response(self.get_context_data(form=form))
        if self.request.POST.get("confirmed") != "yes":
            problems = transition_problems(
                assessment=self.assessment, action="agree_rating", note=note, data=data
            )
            if problems:
                form.add_error(None, problems)
                return self.form_invalid(form)
            return self.render_check(form, data)
        try:
            moved = assessment_transition(
                assessment=self.assessment,
                action="agree_rating",
                actor=self.request.user,
                note=note,
                data=data,
            )
        except TransitionRefused as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, AGREED if moved.status == Status.FINALISED else AGREED_CHANGED
        )
        return redirect(self.assessment)

    def render_check(self, form, data):
        """The check page: each rating as proposed and as agreed, then the confirmation."""
        ratings = {
            selectors.rating_key(rating): rating
            for rating in KloeRating.objects.filter(assessment=self.assessment).select_related(
                "kloe"
            )
        }
        titles = {kloe.code: kloe.title for kloe in self.assessment.framework.kloes.all()}
        rows = [
            {
                "title": titles.get(key, "Overall"),
                "proposed": ratings[key].get_rating_display() if key in ratings else "None",
                "agreed": Rating(data["agreed_ratings"][key]).label,
                "changed": key in ratings and data["agreed_ratings"][key] != ratings[key].rating,
                "reasons": data["cqc_reasons"][key],
            }
            for key in form.keys
        ]
        posted = [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirmed", "edit")
            for value in values
        ]
        return render(
            self.request,
            "assessments/agree_rating_check.html",
            {
                "assessment": self.assessment,
                "page_title": "Check the agreed ratings before you record them",
                "rows": rows,
                "changed": any(row["changed"] for row in rows),
                "note": form.cleaned_data["note"],
                "publication_date": data["publication_date"],
                "posted": posted,
                "words": WORDS["agree_rating"],
            },
        )


class RationaleRevisionView(AssessmentPageMixin, FormView):
    """The lead revises the rationale of each rating CQC changed, CQC's reasons beside it;
    CQC then confirms the text and finalises from the assessment page."""

    template_name = "assessments/rationale_revision.html"
    form_class = RationaleRevisionForm
    extra_context = {"page_title": "Revise the rationales CQC's rating changed"}
    assessment_policy = policies.may_revise_rationale

    def changed(self):
        return [
            {
                "key": selectors.rating_key(rating),
                "title": selectors.rating_title(rating).capitalize(),
                "rating": rating,
                "revised": selectors.rationale_revised(rating),
            }
            for rating in selectors.ratings_changed_by_cqc(self.assessment)
        ]

    def get_form_kwargs(self):
        choices = [(item["key"], item["title"]) for item in self.changed()]
        return {**super().get_form_kwargs(), "choices": choices}

    def get_context_data(self, **kwargs):
        return super().get_context_data(changed=self.changed(), **kwargs)

    def form_valid(self, form):
        try:
            services.rationale_revise(
                assessment=self.assessment,
                actor=self.request.user,
                key=form.cleaned_data["kloe"],
                text=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, REVISED)
        return redirect("assessments:rationale_revision", pk=self.assessment.pk)


class QualityRatingsView(AssessmentPageMixin, FormView):
    """CQC records the five key questions and overall quality; the service proposes the
    combined rating and says which principle decided; CQC confirms or sets another."""

    template_name = "assessments/quality_ratings.html"
    form_class = QualityRatingsForm
    extra_context = {"page_title": "Quality ratings and the combined rating"}
    assessment_policy = policies.may_record_quality

    def get_initial(self):
        record = getattr(self.assessment, "quality_ratings", None)
        if record is None:
            return {}
        initial = {name: getattr(record, name) for name in services.QUALITY_FIELDS}
        initial["rated_on"] = record.safe_date
        if record.combined != record.proposed_combined:
            initial |= {"combined": record.combined, "override_reason": record.override_reason}
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=getattr(self.assessment, "quality_ratings", None),
            uor=selectors.uor_rating(self.assessment),
            uor_missing=services.UOR_RATING_MISSING,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.quality_ratings_record(
                assessment=self.assessment,
                actor=self.request.user,
                ratings=form.ratings(),
                combined=data["combined"],
                override_reason=data["override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, QUALITY_SAVED)
        return redirect("assessments:quality_ratings", pk=self.assessment.pk)
