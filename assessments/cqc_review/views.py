"""Serve CQC's review pages: the discussion with the team, the agreed rating with CQC's
reasons, the lead's revision of the rationales it changed, and the quality ratings with the
combined rating."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from assessments import policies
from assessments.models import KloeRating, Status
from assessments.views.mixins import AssessmentPageMixin, add_service_errors
from assessments.workflow import TransitionRefused, assessment_transition

from . import selectors, services
from .forms import AgreedRatingsForm, DiscussionForm, QualityRatingsForm, RationaleRevisionForm

MESSAGE_POSTED = "Your message is posted."
AGREED = "The agreed rating is recorded and the assessment is finalised."
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

    def form_valid(self, form):
        try:
            moved = assessment_transition(
                assessment=self.assessment,
                action="agree_rating",
                actor=self.request.user,
                note=form.cleaned_data["note"],
                data={
                    "agreed_ratings": form.agreed(),
                    "cqc_reasons": form.reasons(),
                    "publication_date": form.cleaned_data["publication_date"],
                },
            )
        except TransitionRefused as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, AGREED if moved.status == Status.FINALISED else AGREED_CHANGED
        )
        return redirect(self.assessment)


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
