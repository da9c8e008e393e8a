"""Forms of the factual-accuracy check: a challenge, its answer and sign-off, the deadline."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from assessments.forms import choice_required, form_helper
from core import text_limits
from core.forms import AttachmentField

from .models import Challenge

KIND_REQUIRED = "Choose what kind of error the challenge is about"
SECTION_REQUIRED = "Enter the section of the report"
PASSAGE_REQUIRED = "Quote the passage you challenge"
TARGET_REQUIRED = "Choose which passage the challenge is about"
RESOLUTION_REQUIRED = "Choose whether the text changes"
TEXT_REQUIRED = "Write the corrected or added text"
NO_CHANGE_REASON_REQUIRED = "Give the reason why no text changes"
CORRECTION_REQUIRED = "Enter the correction you propose"
REASON_REQUIRED = "Explain why the passage is wrong or incomplete"
OUTCOME_REQUIRED = "Choose whether the challenge is accepted"
RESPONSE_REQUIRED = "Write the response the trust will read"
SEND_BACK_REASON_REQUIRED = "Give the reason for sending the answer back"


class ChallengeForm(forms.Form):
    """A challenge names its passage; an omission names where the missing text belongs."""

    kind = forms.ChoiceField(
        label="What is wrong?",
        choices=Challenge.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_required(KIND_REQUIRED),
    )
    target = forms.ChoiceField(
        label="Which part of the report is it about?",
        help_text="A figure is challenged through the finding or the reasons that quote it. "
        "For information left out, choose the KLOE's section or the summary.",
        choices=Challenge.Target.choices,
        widget=forms.RadioSelect,
        error_messages=choice_required(TARGET_REQUIRED),
    )
    evidence = forms.ModelChoiceField(
        label="The finding",
        help_text="The finding you challenge, or for information left out the finding it "
        "should follow (optional).",
        queryset=None,
        required=False,
        empty_label="Choose a finding",
    )
    rating = forms.ModelChoiceField(
        label="The reasons for which rating",
        queryset=None,
        required=False,
        empty_label="Choose a rating",
    )
    kloe = forms.ModelChoiceField(
        label="The section the missing information belongs to",
        queryset=None,
        required=False,
        empty_label="Choose a KLOE",
    )
    section = forms.CharField(
        label="Section of the report (optional)",
        max_length=text_limits.TITLE,
        required=False,
    )
    passage = forms.CharField(
        label="The passage, quoted",
        help_text="Not needed for information left out.",
        max_length=text_limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    correction = forms.CharField(
        label="Your proposed correction",
        max_length=text_limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": CORRECTION_REQUIRED},
    )
    reason = forms.CharField(
        label="Why it is wrong or incomplete",
        max_length=text_limits.NOTE,
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

    def __init__(self, *args, evidence, ratings, kloes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence
        self.fields["evidence"].label_from_instance = lambda e: f"{e.kloe.title}: {e.text[:80]}"
        self.fields["rating"].queryset = ratings
        self.fields["rating"].label_from_instance = lambda r: (
            r.kloe.title if r.kloe else "Overall rating"
        )
        self.fields["kloe"].queryset = kloes
        self.fields["kloe"].label_from_instance = lambda k: k.title
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("target", legend_size=Size.SMALL),
            Field.select("evidence"),
            Field.select("rating"),
            Field.select("kloe"),
            Field.text("section"),
            Field.textarea("passage", field_width=Fluid.FULL),
            Field.textarea("correction", field_width=Fluid.FULL),
            Field.textarea("reason", field_width=Fluid.FULL),
            Field.checkbox("about_rating", small=True),
            Field("file"),
            submit="Raise the challenge",
            multipart=True,
        )

    def clean(self):
        data = super().clean()
        quotes = data.get("kind") not in (None, Challenge.Kind.OMISSION)
        if quotes and not (data.get("passage") or "").strip():
            self.add_error("passage", forms.ValidationError(PASSAGE_REQUIRED, "required"))
        return data


class ChallengeResolveForm(forms.Form):
    """Resolve an accepted challenge: the passage's new text, or why it stays."""

    resolution = forms.ChoiceField(
        label="Does the text change?",
        choices=Challenge.Resolution.choices,
        widget=forms.RadioSelect,
        error_messages=choice_required(RESOLUTION_REQUIRED),
    )
    text = forms.CharField(
        label="The passage as the report will print it",
        help_text="For information left out, write only the text to add.",
        max_length=text_limits.PASSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reason = forms.CharField(
        label="Why no text changes",
        max_length=text_limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("resolution", legend_size=Size.SMALL),
            Field.textarea("text", field_width=Fluid.FULL),
            Field.textarea("reason", field_width=Fluid.FULL),
            submit="Resolve the challenge",
        )

    def clean(self):
        data = super().clean()
        resolution = data.get("resolution")
        if resolution == Challenge.Resolution.CHANGED and not data.get("text", "").strip():
            self.add_error("text", forms.ValidationError(TEXT_REQUIRED, "required"))
        if resolution == Challenge.Resolution.NO_CHANGE and not data.get("reason", "").strip():
            self.add_error("reason", forms.ValidationError(NO_CHANGE_REASON_REQUIRED, "required"))
        return data


class ChallengeAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Challenge.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=choice_required(OUTCOME_REQUIRED),
    )
    response = forms.CharField(
        label="Response to the trust",
        max_length=text_limits.NOTE,
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

    decision = forms.CharField(widget=forms.HiddenInput, initial="sign_off", required=False)

    def __init__(self, *args, **kwargs):
        # NOTE: two forms on one page: distinct ids for their fields.
        super().__init__(*args, auto_id="sign-off-%s", **kwargs)
        self.helper = form_helper(
            "decision", submit="Sign off the answer", button_id="sign-off-submit"
        )


class SendBackForm(forms.Form):
    """The other outcome of the sign-off: the answer goes back to the team, with why."""

    decision = forms.CharField(widget=forms.HiddenInput, initial="send_back")
    reason = forms.CharField(
        label="Why are you sending the answer back?",
        help_text="The team reads this and redrafts the answer.",
        max_length=text_limits.SHORT_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": SEND_BACK_REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="send-back-%s", **kwargs)
        self.helper = form_helper(
            "decision",
            Field.textarea("reason", rows=4),
            submit="Send the answer back",
            button_id="send-back-submit",
        )
        # NOTE: the way back is a secondary button beside the sign-off's primary one.
        self.helper.layout[-1].field_classes += " govuk-button--secondary"


class NoMoreChallengesForm(forms.Form):
    """No fields: the trust's button is its confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Confirm: no more challenges", button_id="no-more-submit")


class FaDeadlineForm(forms.Form):
    deadline = DateInputField(
        label="Last day for challenges",
        help_text="For example, 27 3 2027.",
        require_all_fields=False,
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=text_limits.REASON,
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
