"""Forms that change a recorded fact and keep the reason: moving the site visit, withdrawing
a piece of evidence. (Kept apart from forms.py, which is near the module size limit.)"""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fluid
from django import forms

from core import text_limits

from .forms import form_helper

VISIT_DATE_REQUIRED = "Enter the new site-visit date"
VISIT_DATE_INVALID = "Enter the site-visit date as a real date"
VISIT_REASON_REQUIRED = "Give the reason for moving the site visit"
WITHDRAW_REASON_REQUIRED = "Give the reason for withdrawing the evidence"


class SiteVisitForm(forms.Form):
    site_visit_date = DateInputField(
        label="New site-visit date",
        help_text="For example, 27 3 2027. The day the team visits, or visited, the trust.",
        require_all_fields=False,
    )
    reason = forms.CharField(
        label="Why the site visit moves",
        help_text="Kept in the assessment's history.",
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": VISIT_REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_visit_date"].error_messages.update(
            required=VISIT_DATE_REQUIRED, invalid=VISIT_DATE_INVALID, incomplete=VISIT_DATE_REQUIRED
        )
        self.helper = form_helper(
            Field("site_visit_date"),
            Field.textarea("reason", field_width=Fluid.FULL),
            submit="Move the site visit",
        )


class EvidenceWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is this evidence withdrawn?",
        help_text="Kept with the evidence's history. Withdrawn evidence is left out of the "
        "counts and the report.",
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": WITHDRAW_REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("reason", field_width=Fluid.FULL),
            submit="Withdraw the evidence",
            button_id="withdraw-evidence",
        )
