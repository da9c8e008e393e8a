"""Serve the pages where CQC records a trust's well-led rating and NHS Improvement its
segment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from .. import policies
from ..forms.ratings_and_segments import SegmentDecisionForm, WellLedRatingForm
from ..selectors.ratings_and_segments import segment_decisions_for_trust
from ..services.ratings_and_segments import (
    WarningsToConfirm,
    segment_decision_record,
    segment_flags_now,
    wellled_rating_record,
)
from ..services.segment_table import NO_TABLE_2, segment_table
from .mixins import TrustFormMixin, add_service_errors

RATING_RECORDED = "CQC's well-led rating is recorded."
SEGMENT_RECORDED = "The segment decision is recorded."
CONFIRM = "Confirm you have read the warnings, or change the decision"
WARNINGS_CHANGED = "The warnings have changed since you confirmed: read them and confirm again"


class WellLedRatingCreateView(TrustFormMixin, FormView):
    trust_policy = policies.may_record_wellled_rating
    form_class = WellLedRatingForm
    template_name = "wellled/wellledrating_create.html"

    def form_valid(self, form):
        try:
            wellled_rating_record(trust=self.trust, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, RATING_RECORDED)
        return redirect("wellled:trust_detail", ods_code=self.trust.ods_code)


class SegmentDecisionCreateView(TrustFormMixin, FormView):
    """Table 2 beside each segment, the flags standing today and earlier decisions; a
    decision that raises warnings comes back with them until the decider confirms."""

    trust_policy = policies.may_record_segment_decision
    form_class = SegmentDecisionForm
    template_name = "wellled/segmentdecision_create.html"

    @cached_property
    def table(self) -> dict:
        return segment_table()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "table": self.table}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            flags=segment_flags_now(trust=self.trust, actor=self.request.user),
            history=segment_decisions_for_trust(trust=self.trust),
            table_missing=NO_TABLE_2 if not self.table else "",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            segment_decision_record(
                trust=self.trust,
                actor=self.request.user,
                segment=data["segment"],
                support_offer=data["support_offer"],
                licence_breach=data["licence_breach"],
                special_measures=data["special_measures"],
                rationale=data["rationale"],
                decided_on=data["decided_on"],
                warnings_confirmed=form.confirmed_codes,
            )
        except WarningsToConfirm as error:
            return self._ask_to_confirm(form, error.warnings)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SEGMENT_RECORDED)
        return redirect("wellled:trust_detail", ods_code=self.trust.ods_code)

    def _ask_to_confirm(self, form, warnings):
        shown_before = form.cleaned_data["warnings_shown"]
        form.show_warnings([warning.code for warning in warnings])
        if shown_before:
            # NOTE: no error the first time: the warnings are news, not a mistake.
            form.add_error("confirm", WARNINGS_CHANGED if form.confirmed_codes else CONFIRM)
        return self.render_to_response(self.get_context_data(form=form, warnings=warnings))
