"""The team edits the site-visit agenda and the trust's commentary deadline; the lead moves
the site visit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from assessments import policies
from assessments.change_forms import SiteVisitForm
from assessments.forms import AgendaForm, CommentaryDeadlineForm
from assessments.services import agenda_update, commentary_deadline_update, site_visit_move

from .mixins import AssessmentPageMixin, add_service_errors

AGENDA_SAVED = "The site-visit agenda is saved."
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
