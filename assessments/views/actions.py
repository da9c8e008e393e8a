"""The check page of each workflow action, in the design system's confirmation pattern: it
says what will happen, who will be told and what cannot be undone, asks only for what the
action needs, and the action is taken when the person confirms. Afterwards the person lands
on a page they may still see, with a message saying what happened and what comes next.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from assessments.confirmations import WORDS, done_message, told
from assessments.consistency.selectors import findings_panel
from assessments.deadlines import FA_WORKING_DAYS, fa_deadline_current
from assessments.factual_accuracy.closing import (
    closes_early,
    early_close_needs_reason,
    trust_confirmed,
)
from assessments.forms import TransitionForm
from assessments.models import Assessment, Status
from assessments.selectors import assessments_visible_to
from assessments.workflow import ACTIONS, WRONG_STATE, TransitionRefused, assessment_transition
from assessments.working_days import working_days_after
from metrics.models import User

from .mixins import AssessmentPageMixin, add_service_errors

NO_SUCH_ACTION = "There is no such action."
CLOSED_EARLY = "The trust has been told that the check closed before its deadline."


def landing_url(user: User, assessment: Assessment) -> str:
    """The assessment page while the person may still see it, otherwise their home (QA no
    longer sees an assessment it returned to the assessors)."""
    if assessments_visible_to(user=user).filter(pk=assessment.pk).exists():
        return assessment.get_absolute_url()
    return reverse("home")


class AssessmentTransitionView(AssessmentPageMixin, FormView):
    """GET shows the check page; POST is the confirmation. Nothing changes before it."""

    template_name = "assessments/transition_confirm.html"
    form_class = TransitionForm

    def dispatch(self, request, *args, **kwargs):
        self.action = ACTIONS.get(kwargs["action"])
        if self.action is None:
            raise Http404(NO_SUCH_ACTION)
        return super().dispatch(request, *args, **kwargs)

    def assessment_decision(self, user, assessment):
        return self.action.allowed(user, assessment)

    def get(self, request, *args, **kwargs):
        return self.stale() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.stale() or super().post(request, *args, **kwargs)

    def stale(self):
        """A check page opened from an old tab, after the assessment moved on: say so. An
        action that needs more than a note is taken on its own page."""
        if page := WORDS[self.action.name].page:
            return redirect(page, pk=self.assessment.pk)
        if self.assessment.status in self.action.sources:
            return None
        messages.error(
            self.request,
            WRONG_STATE.format(
                label=self.action.label, status=self.assessment.get_status_display()
            ),
        )
        return redirect(self.assessment)

    def note_label(self) -> str:
        words = WORDS[self.action.name]
        early = self.action.name == "close_factual_accuracy" and early_close_needs_reason(
            self.assessment
        )
        return words.note_label if self.action.needs_note or early else ""

    def checks(self):
        """The consistency findings the team sees before proposing and QA before ratifying."""
        if self.action.name not in ("propose_rating", "ratify"):
            return None
        if not hasattr(self, "_checks"):
            self._checks = findings_panel(user=self.request.user, assessment=self.assessment)
        return self._checks

    def get_form_kwargs(self):
        checks = self.checks()
        unanswered = len(checks["open"]) if checks and self.action.name == "ratify" else 0
        return {
            **super().get_form_kwargs(),
            "action": self.action.name,
            "note_label": self.note_label(),
            "confirm_findings": unanswered,
        }

    def get_context_data(self, **kwargs):
        words = WORDS[self.action.name]
        current = fa_deadline_current(self.assessment)
        deadline = (
            working_days_after(timezone.localdate(), FA_WORKING_DAYS)
            if self.action.name == "share_draft"
            else current.deadline
            if current
            else None
        )
        return super().get_context_data(
            action=self.action,
            words=words,
            will=words.will.format(deadline=deadline),
            told=told(self.action.name),
            target=Status(self.action.target).label,
            page_title=f"Check before you {self.action.label[0].lower()}{self.action.label[1:]}",
            fa_deadline=current.deadline if current else None,
            closes_early=self.action.name == "close_factual_accuracy"
            and closes_early(self.assessment),
            trust_confirmed=trust_confirmed(self.assessment),
            checks=self.checks(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        early = self.action.name == "close_factual_accuracy" and closes_early(self.assessment)
        try:
            moved = assessment_transition(
                assessment=self.assessment,
                action=self.action.name,
                actor=self.request.user,
                note=data.get("note", ""),
                data={
                    "publication_date": data.get("publication_date"),
                    "findings_confirmed": data.get("findings_confirmed"),
                },
            )
        except TransitionRefused as refused:
            add_service_errors(form, refused)
            return self.form_invalid(form)
        current = fa_deadline_current(moved)
        message = done_message(self.action.name, deadline=current.deadline if current else None)
        messages.success(self.request, f"{message} {CLOSED_EARLY}" if early else message)
        return redirect(landing_url(self.request.user, moved))
