"""The lead's page to hand the assessment over or change its team."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from assessments import policies
from assessments.selectors import assessments_visible_to
from assessments.views.mixins import AssessmentPageMixin, add_service_errors

from .forms import TeamChangeForm
from .services import assessment_team_change

TEAM_CHANGED = (
    "The team is changed and the reason is in the history. Everyone who joined or left has "
    "been told."
)
TEAM_HANDED_OVER = (
    "The assessment is handed over and the reason is in the history. Everyone who joined or "
    "left has been told; you are no longer on its team."
)


class TeamChangeView(AssessmentPageMixin, FormView):
    template_name = "assessments/team_change.html"
    form_class = TeamChangeForm
    extra_context = {"page_title": "Hand over the assessment or change its team"}
    assessment_policy = policies.may_change_team

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assessment": self.assessment}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            changed = assessment_team_change(
                assessment=self.assessment,
                actor=self.request.user,
                lead=data["lead"],
                members=list(data["members"]),
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        # NOTE: a lead who handed over and left the team may no longer see the assessment.
        if assessments_visible_to(user=self.request.user).filter(pk=changed.pk).exists():
            messages.success(self.request, TEAM_CHANGED)
            return redirect(changed)
        messages.success(self.request, TEAM_HANDED_OVER)
        return redirect("home")
