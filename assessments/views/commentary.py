"""The trust writes its commentary on one KLOE, with files, as a draft it can change."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from assessments import policies
from assessments.forms import CommentaryForm
from assessments.selectors import commentary_for_user
from assessments.services import EditConflict, attachment_add, commentary_save

from .mixins import AssessmentPageMixin, KloeMixin, add_service_errors

COMMENTARY_SAVED = "Your draft commentary on {kloe} is saved."
FILE_ADDED = "{name} is added."


class CommentaryEditView(AssessmentPageMixin, KloeMixin, FormView):
    """Only the trust's own users use this page; the team reads commentary in its workspace."""

    template_name = "assessments/commentary_edit.html"
    form_class = CommentaryForm

    def assessment_decision(self, user, assessment):
        # Reading is the trust's own page; saving needs the window still open.
        if self.request.method == "POST":
            return policies.may_edit_commentary(user, assessment)
        return policies.may_open_commentary(user, assessment)

    def get_commentary(self):
        return (
            commentary_for_user(user=self.request.user, assessment=self.assessment)
            .filter(kloe=self.get_kloe())
            .first()
        )

    def get_initial(self):
        commentary = self.get_commentary()
        # Version 0 matches nothing: if someone else creates the commentary first, we say so.
        return {
            "text": commentary.text if commentary else "",
            "version": commentary.version if commentary else 0,
        }

    def next_kloe(self):
        """The KLOE after this one, so the trust moves on from a save without going back."""
        kloe = self.get_kloe()
        return self.assessment.framework.kloes.filter(number__gt=kloe.number).first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kloe=self.get_kloe(),
            next_kloe=self.next_kloe(),
            commentary=self.get_commentary(),
            editable=policies.may_edit_commentary(self.request.user, self.assessment),
            **kwargs,
        )

    def form_valid(self, form):
        data, kloe = form.cleaned_data, self.get_kloe()
        try:
            commentary = commentary_save(
                assessment=self.assessment,
                kloe=kloe,
                text=data["text"],
                actor=self.request.user,
                version=data["version"] or 0,
            )
            if data["file"]:
                attachment_add(
                    assessment=self.assessment,
                    actor=self.request.user,
                    commentary=commentary,
                    **data["file"],
                )
        except EditConflict as conflict:
            return self.conflict(form, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, COMMENTARY_SAVED.format(kloe=kloe.title))
        if data["file"]:
            messages.success(self.request, FILE_ADDED.format(name=data["file"]["name"]))
        return redirect(self.request.path)

    def conflict(self, form, conflict):
        """Show the saved version beside the user's own text, now based on the saved one."""
        current = self.get_commentary()
        posted = self.request.POST.copy()
        posted["version"] = current.version if current else 0
        fresh = self.get_form_class()(data=posted)
        fresh.is_valid()
        fresh.add_error(None, conflict.messages)
        return self.render_to_response(self.get_context_data(form=fresh, conflict=True))
