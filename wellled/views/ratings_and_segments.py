"""Serve the pages where CQC records a trust's well-led rating and NHS Improvement its
segment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from .. import policies
from ..forms.ratings_and_segments import SegmentDecisionForm, WellLedRatingForm
from ..selectors.oversight import oversight_rows
from ..selectors.ratings_and_segments import segment_decisions_for_trust
from ..services.ratings_and_segments import segment_decision_record, wellled_rating_record
from .mixins import TrustFormMixin, add_service_errors

RATING_RECORDED = "CQC's well-led rating is recorded."
SEGMENT_RECORDED = "The segment decision is recorded."


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
    trust_policy = policies.may_record_segment_decision
    form_class = SegmentDecisionForm
    template_name = "wellled/segmentdecision_create.html"

    def get_context_data(self, **kwargs):
        rows = oversight_rows(user=self.request.user)
        row = next((row for row in rows if row.trust.pk == self.trust.pk), None)
        return super().get_context_data(
            row=row, history=segment_decisions_for_trust(trust=self.trust), **kwargs
        )

    def form_valid(self, form):
        try:
            segment_decision_record(trust=self.trust, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SEGMENT_RECORDED)
        return redirect("wellled:trust_detail", ods_code=self.trust.ods_code)
