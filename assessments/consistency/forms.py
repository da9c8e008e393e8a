"""The form that answers one consistency finding (one per finding on the page)."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from assessments.forms import choice_required, form_helper
from core import text_limits

from .models import FindingAnswer

KIND_REQUIRED = "Choose whether you acknowledge the finding or have fixed it"
KEY_REQUIRED = "Choose the finding to answer from the list"
REASON_REQUIRED = "Give the reason for acknowledging the finding"


def prefix_for(key: str) -> str:
    """The form prefix of a finding's key ("rule:subject"): stable while the finding is."""
    return key.replace(":", "-")


def prefix_posted(data) -> str:
    """The prefix of the form that was posted ("" for an unprefixed post, as the API's)."""
    return next((name[: -len("-key")] for name in data if name.endswith("-key")), "")


class FindingAnswerForm(forms.Form):
    key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=text_limits.CODE * 2,
        error_messages={"required": KEY_REQUIRED},
    )
    kind = forms.ChoiceField(
        label="Your answer",
        choices=[
            (FindingAnswer.Kind.ACKNOWLEDGED, "Acknowledge it, with the reason the rating stands"),
            (FindingAnswer.Kind.FIXED, "It is fixed (the check runs again)"),
        ],
        widget=forms.RadioSelect,
        error_messages=choice_required(KIND_REQUIRED),
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=text_limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to acknowledge; QA and the internal record read it.",
    )

    def __init__(self, *args, prefix: str = "", **kwargs):
        # NOTE: one form per finding on a page: the prefix (from the finding's key, see
        # `prefix_for`) keeps each form's names and ids apart, radios included.
        super().__init__(*args, prefix=prefix or None, **kwargs)
        self.helper = form_helper(
            "key",
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("reason", field_width=Fluid.FULL),
            submit="Save the answer",
            button_id=f"answer-{prefix or 'finding'}",
        )

    def clean(self):
        data = super().clean()
        acknowledged = data.get("kind") == FindingAnswer.Kind.ACKNOWLEDGED
        if acknowledged and not data.get("reason", "").strip():
            self.add_error("reason", REASON_REQUIRED)
        return data
