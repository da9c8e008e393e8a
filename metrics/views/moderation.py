"""NHS Improvement decides a finance score's moderation: one month's page, and the list of
months waiting for a decision (proposals not yet decided, decisions whose proposal changed)."""

import datetime
import re
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from core.pagination import page_of
from metrics.forms import ModerationDecisionForm, ModerationFilterForm
from metrics.mixins import PolicyRequiredMixin
from metrics.models import FinanceScore
from metrics.policies import may_decide_moderation
from metrics.selectors import (
    finance_score_for_month,
    moderation_decisions_for,
    moderation_to_decide,
)
from metrics.services.moderation import PROPOSAL_MOVED, moderation_decide

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
DECIDED = "The finance score of {trust} for {month} is decided: {score}."


def month_from_url(value: str) -> datetime.date:
    if not MONTH.fullmatch(value):
        raise Http404("Write the month as YYYY-MM")
    return datetime.date.fromisoformat(f"{value}-01")


class ModerationDecideView(PolicyRequiredMixin, FormView):
    """The month's scores, the proposal and earlier decisions, and the form to decide."""

    policy = may_decide_moderation
    form_class = ModerationDecisionForm
    template_name = "metrics/moderationdecision_create.html"

    @cached_property
    def score(self) -> FinanceScore:
        period = month_from_url(self.kwargs["month"])
        return finance_score_for_month(
            user=self.request.user, ods_code=self.kwargs["ods_code"], period=period
        )

    def post(self, request, *args, **kwargs):
        may_decide_moderation(request.user, self.score).enforce()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "proposed": self.score.proposed}

    def get_initial(self):
        return {"proposal_seen": self.score.proposal_token}

    def get_context_data(self, **kwargs):
        score = self.score
        return super().get_context_data(
            score=score,
            trust=score.trust,
            may_decide=may_decide_moderation(self.request.user, score),
            history=moderation_decisions_for(trust=score.trust, period=score.period),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            decision = moderation_decide(
                actor=self.request.user,
                trust=self.score.trust,
                period=self.score.period,
                outcome=data["outcome"],
                proposal_seen=data["proposal_seen"],
                score=data["score"],
                reason=data["reason"],
            )
        except ValidationError as error:
            return self._refused(form, error)
        trust = self.score.trust
        month = f"{decision.period:%B %Y}"
        messages.success(
            self.request, DECIDED.format(trust=trust.name, month=month, score=decision.score)
        )
        return redirect(f"{trust.get_absolute_url()}#finance-score-history")

    def _refused(self, form, error: ValidationError):
        """Show the service's refusal on the form: by field where it names one."""
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            form.add_error(None, error.messages)
        if PROPOSAL_MOVED in error.messages:
            # Show the proposal as it stands now, and let the next post decide on it.
            del self.score
            form.data = form.data.copy()
            form.data["proposal_seen"] = self.score.proposal_token
        return self.form_invalid(form)


class ModerationListView(PolicyRequiredMixin, TemplateView):
    """Every month waiting for NHS Improvement's decision, 50 a page."""

    policy = may_decide_moderation
    template_name = "metrics/moderation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ModerationFilterForm(self.request.GET or None)
        status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
        scores = moderation_to_decide(user=self.request.user, status=status)
        context.update(
            form=form,
            page_obj=page_of(scores, number=self.request.GET.get("page")),
            pagination_label="Pages of months to decide",
        )
        return context
