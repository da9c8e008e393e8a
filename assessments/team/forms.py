from crispy_forms_gds.layout import Field
from django import forms

from assessments.forms import assessors, form_helper
from assessments.models import Assessment
from core import text_limits


class TeamChangeForm(forms.Form):
    lead = forms.ModelChoiceField(
        label="Lead assessor",
        queryset=assessors(),
        empty_label=None,
        error_messages={"required": "Choose the lead assessor"},
    )
    members = forms.ModelMultipleChoiceField(
        label="Other team members",
        queryset=assessors(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Kept in the assessment's history and sent to everyone joining or leaving.",
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the change"},
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        kwargs.setdefault(
            "initial",
            {"lead": assessment.lead_id, "members": list(assessment.members.all())},
        )
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = assessors()
        self.fields["members"].queryset = assessors()
        self.helper = form_helper(
            Field.select("lead"),
            Field.checkboxes("members"),
            Field.textarea("reason"),
            submit="Change the team",
        )
