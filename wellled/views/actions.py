"""Serve the pages of a trust's action plan: add an action, record progress on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from core.policies import Decision

from .. import policies
from ..forms.actions import ActionForm, ProgressForm
from ..selectors.actions import action_get_for_user
from ..selectors.developmental_reviews import developmental_reviews_visible_to
from ..selectors.framework import framework_latest
from ..selectors.self_reviews import self_reviews_visible_to
from ..services.actions import action_create, action_progress
from .mixins import SubjectMixin, TrustFormMixin, add_service_errors

ACTION_ADDED = "The action is added to the plan."
PROGRESS_SAVED = "Progress is recorded."


class ActionCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_create_action
    form_class = ActionForm
    template_name = "wellled/action_create.html"

    def get_form_kwargs(self):
        user = self.request.user
        framework = framework_latest()
        return {
            **super().get_form_kwargs(),
            "kloes": framework.kloes.all() if framework else [],
            "self_reviews": self_reviews_visible_to(user=user).filter(trust=self.trust),
            "developmental_reviews": developmental_reviews_visible_to(user=user).filter(
                trust=self.trust
            ),
        }

    def get_initial(self):
        return {"source": self.request.GET.get("source", "")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action = action_create(
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

    form_class = ProgressForm
    template_name = "wellled/action_detail.html"

    def load(self):
        self.action = action_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
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
            action_progress(action=self.action, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, PROGRESS_SAVED)
        return redirect(self.action)
