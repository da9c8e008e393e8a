"""Forms of the factual-accuracy check: a challenge, its answer and sign-off, the deadline."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from assessments.forms import choice_required, form_helper
from core.forms import AttachmentField

from .models import Challenge

KIND_REQUIRED = "Choose what kind of error the challenge is about"
SECTION_REQUIRED = "Enter the section of the report"
PASSAGE_REQUIRED = "Quote the passage you challenge"
CORRECTION_REQUIRED = "Enter the correction you propose"
REASON_REQUIRED = "Explain why the passage is wrong or incomplete"
OUTCOME_REQUIRED = "Choose whether the challenge is accepted"
RESPONSE_REQUIRED = "Write the response the trust will read"


class ChallengeForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is wrong?",
        choices=Challenge.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_required(KIND_REQUIRED),
    )
    evidence = forms.ModelChoiceField(
        label="The finding whose fact is inaccurate",
        help_text="Needed when a fact behind a finding is inaccurate.",
        queryset=None,
        required=False,
        empty_label="Choose a finding",
    )
    section = forms.CharField(
        label="Section of the report",
        max_length=200,
        error_messages={"required": SECTION_REQUIRED},
    )
    passage = forms.CharField(
        label="The passage, quoted",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": PASSAGE_REQUIRED},
    )
    correction = forms.CharField(
        label="Your proposed correction",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": CORRECTION_REQUIRED},
    )
    reason = forms.CharField(
        label="Why it is wrong or incomplete",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": REASON_REQUIRED},
    )
    about_rating = forms.BooleanField(
        label="This challenge disagrees with the rating itself",
        help_text="Trusts can challenge the accuracy and completeness of the report, but not "
        "the rating.",
        required=False,
    )
    file = AttachmentField(label="Add a file (optional)")

    def __init__(self, *args, evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence
        self.fields["evidence"].label_from_instance = lambda e: f"{e.kloe.title}: {e.text[:80]}"
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.select("evidence"),
            Field.text("section"),
            Field.textarea("passage", field_width=Fluid.FULL),
            Field.textarea("correction", field_width=Fluid.FULL),
            Field.textarea("reason", field_width=Fluid.FULL),
            Field.checkbox("about_rating", small=True),
            Field("file"),
            submit="Raise the challenge",
            multipart=True,
        )


class ChallengeAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Challenge.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=choice_required(OUTCOME_REQUIRED),
    )
    response = forms.CharField(
        label="Response to the trust",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": RESPONSE_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.SMALL, inline=True),
            Field.textarea("response", field_width=Fluid.FULL),
            submit="Save the answer",
        )


class SignOffForm(forms.Form):
    """No fields: the button is the decision (the form carries the CSRF token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Sign off the answer", button_id="sign-off-submit")


class FaDeadlineForm(forms.Form):
    deadline = DateInputField(
        label="Last day for challenges",
        help_text="For example, 27 3 2027.",
        require_all_fields=False,
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for changing the deadline"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].error_messages.update(
            required="Enter the deadline",
            invalid="Enter the deadline as a real date",
            incomplete="Enter the deadline",
        )
        self.helper = form_helper(
            Field("deadline"), Field.textarea("reason"), submit="Save the deadline"
        )
