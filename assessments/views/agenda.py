"""The team edits the site-visit agenda (adding and removing sessions) and the trust's
commentary deadline; the lead moves the site visit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from assessments import policies
from assessments.agenda_forms import AgendaSessionForm, AgendaSessionRemoveForm
from assessments.change_forms import SiteVisitForm
from assessments.forms import AgendaForm, CommentaryDeadlineForm
from assessments.services import (
    agenda_session_add,
    agenda_session_remove,
    agenda_update,
    commentary_deadline_update,
    site_visit_move,
)

from .mixins import AssessmentPageMixin, add_service_errors

AGENDA_SAVED = "The site-visit agenda is saved."
SESSION_ADDED = "Session {s.number} added: {s.title}, {s.starts_at:%H:%M} to {s.ends_at:%H:%M}."
SESSION_REMOVED = "The session “{title}” is removed; the others are renumbered."
DEADLINE_SAVED = "The commentary deadline is now {deadline:%d %B %Y}."
VISIT_MOVED = "The site visit is now on {date:%A %-d %B %Y}. The history keeps the change."


class AgendaEditView(AssessmentPageMixin, FormView):
    template_name = "assessments/agenda_edit.html"
    form_class = AgendaForm
    assessment_policy = policies.may_edit_agenda

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assessment": self.assessment}

    def form_valid(self, form):
        try:
            agenda_update(
                assessment=self.assessment, actor=self.request.user, sessions=form.sessions_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, AGENDA_SAVED)
        return redirect(self.assessment)


class CommentaryDeadlineEditView(AssessmentPageMixin, FormView):
    template_name = "assessments/deadline_edit.html"
    form_class = CommentaryDeadlineForm
    assessment_policy = policies.may_set_commentary_deadline

    def get_initial(self):
        return {"commentary_deadline": self.assessment.commentary_deadline}

    def form_valid(self, form):
        try:
            assessment = commentary_deadline_update(
                assessment=self.assessment,
                actor=self.request.user,
                deadline=form.cleaned_data["commentary_deadline"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, DEADLINE_SAVED.format(deadline=assessment.commentary_deadline)
        )
        return redirect(assessment)


class AgendaSessionAddView(AssessmentPageMixin, FormView):
    """Add a session to the site-visit agenda; it takes its place by start time."""

    template_name = "assessments/agenda_session_add.html"
    form_class = AgendaSessionForm
    assessment_policy = policies.may_edit_agenda

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assessment": self.assessment}

    def form_valid(self, form):
        try:
            session = agenda_session_add(
                assessment=self.assessment, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SESSION_ADDED.format(s=session))
        return redirect("assessments:agenda_edit", pk=self.assessment.pk)


class AgendaSessionRemoveView(AssessmentPageMixin, FormView):
    """Choose a session and remove it; the others are renumbered."""

    template_name = "assessments/agenda_session_remove.html"
    form_class = AgendaSessionRemoveForm
    assessment_policy = policies.may_edit_agenda

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assessment": self.assessment}

    def get_initial(self):
        # The agenda page links "Remove" with ?session=N, so that session comes chosen.
        return {"session": self.request.GET.get("session")}

    def form_valid(self, form):
        number = form.cleaned_data["session"]
        title = self.assessment.agenda.get(number=number).title
        try:
            agenda_session_remove(
                assessment=self.assessment, actor=self.request.user, number=number
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SESSION_REMOVED.format(title=title))
        return redirect("assessments:agenda_edit", pk=self.assessment.pk)


class SiteVisitEditView(AssessmentPageMixin, FormView):
    """The lead moves the site visit, with a reason the history keeps."""

    template_name = "assessments/site_visit_edit.html"
    form_class = SiteVisitForm
    extra_context = {"page_title": "Move the site visit"}
    assessment_policy = policies.may_move_site_visit

    def get_initial(self):
        return {"site_visit_date": self.assessment.site_visit_date}

    def form_valid(self, form):
        try:
            assessment = site_visit_move(
                assessment=self.assessment,
                actor=self.request.user,
                site_visit_date=form.cleaned_data["site_visit_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, VISIT_MOVED.format(date=assessment.site_visit_date))
        return redirect(assessment)
