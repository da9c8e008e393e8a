"""Serve CQC's review pages: the discussion with the team, the agreed rating, and the quality
ratings with the combined rating."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from assessments import policies
from assessments.models import KloeRating
from assessments.views.mixins import AssessmentPageMixin, add_service_errors
from assessments.workflow import TransitionRefused, assessment_transition

from . import selectors, services
from .forms import AgreedRatingsForm, DiscussionForm, QualityRatingsForm

MESSAGE_POSTED = "Your message is posted."
AGREED = "The agreed rating is recorded and the assessment is finalised."
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

    def get_form_kwargs(self):
        proposed = {
            (r.kloe.code if r.kloe else "overall"): r.get_rating_display()
            for r in KloeRating.objects.filter(assessment=self.assessment).select_related("kloe")
        }
        return {
            **super().get_form_kwargs(),
            "kloes": list(self.assessment.framework.kloes.all()),
            "proposed": proposed,
        }

    def form_valid(self, form):
        try:
            assessment_transition(
                assessment=self.assessment,
                action="agree_rating",
                actor=self.request.user,
                note=form.cleaned_data["note"],
                data={"agreed_ratings": form.agreed()},
            )
        except TransitionRefused as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, AGREED)
        return redirect(self.assessment)


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
        initial |= {f"{n}_date": getattr(record, f"{n}_date") for n in services.QUALITY_FIELDS}
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
                ratings=data,
                combined=data["combined"],
                override_reason=data["override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, QUALITY_SAVED)
        return redirect("assessments:quality_ratings", pk=self.assessment.pk)
