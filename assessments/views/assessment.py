"""Pages of the assessments app. Views parse, call a service or selector, and render."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView, TemplateView

from assessments import policies
from assessments.confirmations import WORDS, action_url, history_line
from assessments.consistency.selectors import findings_panel
from assessments.home import home_tasks_for
from assessments.models import Status
from assessments.scheduling_forms import AssessmentCreateForm
from assessments.selectors import (
    assessment_get_for_user,
    assessments_visible_to,
    kloes_with_progress,
    ratings_for_user,
)
from assessments.services import assessment_create, notice_warning
from assessments.workflow import actions_for
from metrics.mixins import PolicyRequiredMixin
from metrics.policies import may_use_service


class HomeView(LoginRequiredMixin, TemplateView):
    """Each person's home page: what they have to do next."""

    template_name = "assessments/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = home_tasks_for(user=self.request.user)
        return context


class AssessmentObjectMixin(PolicyRequiredMixin):
    """Load the assessment through the selector: 404 for one the user may not see."""

    policy = may_use_service

    def get_assessment(self):
        if not hasattr(self, "_assessment"):
            self._assessment = assessment_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return self._assessment


class AssessmentCreateView(PolicyRequiredMixin, FormView):
    policy = policies.may_create_assessment
    form_class = AssessmentCreateForm
    template_name = "assessments/assessment_create.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        today = timezone.localdate()
        try:
            assessment = assessment_create(
                trust=data["trust"],
                framework=data["framework"],
                site_visit_date=data["site_visit_date"],
                commentary_deadline=data["commentary_deadline"],
                lead=data["lead"],
                members=list(data["members"]),
                created_by=self.request.user,
                today=today,
                pilot=data.get("pilot") or False,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)
        # NOTE: a short-notice warning is not repeated as a message: the assessment page
        # shows it while the assessment is scheduled.
        messages.success(self.request, f"Assessment of {assessment.trust.name} scheduled.")
        return redirect(assessment)


class AssessmentListView(PolicyRequiredMixin, TemplateView):
    policy = may_use_service
    template_name = "assessments/assessment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessments"] = assessments_visible_to(user=self.request.user)
        context["may_create_assessment"] = policies.may_create_assessment(self.request.user)
        return context


class AssessmentDetailView(AssessmentObjectMixin, DetailView):
    """The overview: progress per KLOE, the agenda, what you can do now, the log."""

    template_name = "assessments/assessment_detail.html"
    context_object_name = "assessment"

    def get_object(self, queryset=None):
        return self.get_assessment()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.object
        context["kloes"], context["overall"] = proposed_ratings(self.request.user, assessment)
        context["any_rated"] = any(kloe.proposed for kloe in context["kloes"])
        # Each action opens its check page; the button's style tells the way on (primary)
        # from the way back (secondary).
        context["actions"] = [
            (action, action_url(action.name, assessment), WORDS[action.name].button)
            for action in actions_for(user=self.request.user, assessment=assessment)
        ]
        context["agenda"] = assessment.agenda.prefetch_related("kloes")
        user = self.request.user
        context["checks"] = findings_panel(user=user, assessment=assessment)
        context["links"] = {
            "workspace": policies.may_use_workspace(user, assessment),
            "commentary": policies.may_open_commentary(user, assessment),
            "agenda": policies.may_edit_agenda(user, assessment),
            "deadline": policies.may_set_commentary_deadline(user, assessment),
            "site_visit": policies.may_move_site_visit(user, assessment),
            "team": policies.may_change_team(user, assessment),
            **review_links(user, assessment),
        }
        context["transitions"] = [
            (transition, history_line(transition.action))
            for transition in assessment.transitions.select_related("actor")
        ]
        context["notice_warning"] = (
            notice_warning(
                site_visit_date=assessment.site_visit_date,
                today=assessment.created_at.date(),
            )
            if assessment.status == "scheduled"
            else ""
        )
        return context


def proposed_ratings(user, assessment) -> tuple[list, object]:
    """The KLOEs with their progress and the proposed rating each has (`kloe.proposed`, None
    when not rated or not visible to `user`), and the overall rating: what QA and CQC decide
    on, in front of them."""
    ratings = {}
    # Staff decide on them here; the trust reads the ratings in the shared draft report.
    if policies.may_use_workspace(user, assessment):
        ratings = {r.kloe_id: r for r in ratings_for_user(user=user, assessment=assessment)}
    kloes = kloes_with_progress(assessment=assessment)
    for kloe in kloes:
        kloe.proposed = ratings.get(kloe.pk)
    return kloes, ratings.get(None)


def review_links(user, assessment) -> dict:
    """Links to the report and review pages the user may open in the current state."""
    shared = assessment.is_at_or_after(Status.FACTUAL_ACCURACY)
    return {
        "reports": policies.may_see_internal(user, assessment),
        "challenges": shared,
        "discussion": assessment.is_at_or_after(Status.DISPUTE)
        and policies.may_read_discussion(user, assessment),
        "agree": policies.may_agree_rating(user, assessment),
        "quality": policies.may_record_quality(user, assessment),
        "revision": policies.may_revise_rationale(user, assessment),
        "review_request": assessment.status == Status.PUBLISHED,
    }
