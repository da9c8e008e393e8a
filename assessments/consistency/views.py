"""The consistency checks page: every finding with its answer; the team answers here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from assessments import policies
from assessments.views.mixins import AssessmentPageMixin, add_service_errors

from .forms import FindingAnswerForm, prefix_for, prefix_posted
from .selectors import checks_apply, findings_for_user, findings_visible_or_404, unanswered
from .services import finding_answer

ANSWER_SAVED = "Your answer to the finding is saved."


class ConsistencyChecksView(AssessmentPageMixin, TemplateView):
    """GET: the findings; POST: the team answers one. A trust gets 404 (internal)."""

    template_name = "assessments/consistency_checks.html"
    http_method_names = ["get", "head", "post"]

    def assessment_decision(self, user, assessment):
        findings_visible_or_404(user=user, assessment=assessment)
        if self.request.method == "POST":
            return policies.may_answer_finding(user, assessment)
        return policies.may_see_findings(user, assessment)

    def get_context_data(self, bound=None, **kwargs):
        rows = findings_for_user(user=self.request.user, assessment=self.assessment)
        can_answer = policies.may_answer_finding(self.request.user, self.assessment)
        for index, row in enumerate(rows):
            row_form = None
            if can_answer:
                prefix = prefix_for(row.key)
                row_form = FindingAnswerForm(initial={"key": row.key}, prefix=prefix)
                if bound is not None and bound.prefix == prefix:
                    row_form = bound
            # AnsweredFinding is frozen: the page's pairs carry the forms.
            rows[index] = (row, row_form)
        return super().get_context_data(
            rows=rows,
            open_count=len(unanswered([row for row, _ in rows])),
            checks_apply=checks_apply(self.assessment),
            can_answer=can_answer,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = FindingAnswerForm(request.POST, prefix=prefix_posted(request.POST))
        if form.is_valid():
            try:
                finding_answer(
                    assessment=self.assessment,
                    actor=request.user,
                    key=form.cleaned_data["key"],
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, ANSWER_SAVED)
                return redirect("assessments:consistency", pk=self.assessment.pk)
        context = self.get_context_data(bound=form)
        # On top as well as by the field: a finding gone since the page opened has no form.
        context["page_errors"] = [e for errors in form.errors.values() for e in errors]
        return self.render_to_response(context)
