"""Forms of the steps after the draft: challenges, answers, the deadline, CQC's discussion,
agreed and quality ratings, the register's filters and the review request."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from core.forms import AttachmentField
from core.ratings import Rating
from metrics.models import Trust

from .forms import _helper
from .models import Challenge, ReviewRequest
from .review import QUALITY_FIELDS, REVIEW_MAX_WORDS, REVIEW_TOO_LONG

RATING_CHOICES = [(value, f"{value}: {name}") for value, name in Rating.choices]
KIND_REQUIRED = "Choose what kind of error the challenge is about"
SECTION_REQUIRED = "Enter the section of the report"
PASSAGE_REQUIRED = "Quote the passage you challenge"
CORRECTION_REQUIRED = "Enter the correction you propose"
REASON_REQUIRED = "Explain why the passage is wrong or incomplete"
OUTCOME_REQUIRED = "Choose whether the challenge is accepted"
RESPONSE_REQUIRED = "Write the response the trust will read"
RATING_REQUIRED = "Choose a rating from 1 (Outstanding) to 4 (Inadequate)"
DATE_REQUIRED = "Enter the date of the rating"


def _required(message: str) -> dict:
    return {"required": message, "invalid_choice": message}


class ChallengeForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is wrong?",
        choices=Challenge.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=_required(KIND_REQUIRED),
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
        self.helper = _helper(
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
        error_messages=_required(OUTCOME_REQUIRED),
    )
    response = forms.CharField(
        label="Response to the trust",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": RESPONSE_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.SMALL, inline=True),
            Field.textarea("response", field_width=Fluid.FULL),
            submit="Save the answer",
        )


class SignOffForm(forms.Form):
    """No fields: the button is the decision (the form carries the CSRF token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit="Sign off the answer", button_id="sign-off-submit")


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
        self.helper = _helper(
            Field("deadline"), Field.textarea("reason"), submit="Save the deadline"
        )


class DiscussionForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a message"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("text", field_width=Fluid.FULL), submit="Post the message"
        )


class AgreedRatingsForm(forms.Form):
    """CQC's agreed rating for each KLOE and overall, with a note."""

    note = forms.CharField(
        label="Note on the agreed ratings",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a note on the agreed ratings"},
    )

    def __init__(self, *args, kloes, proposed: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = [*(kloe.code for kloe in kloes), "overall"]
        titles = {kloe.code: kloe.title for kloe in kloes} | {"overall": "Overall"}
        for key in self.keys:
            self.fields[f"rating_{key}"] = forms.TypedChoiceField(
                label=f"{titles[key]} (proposed: {proposed.get(key, 'none')})",
                coerce=int,
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
                error_messages=_required(f"Choose the agreed rating for {titles[key]}"),
            )
        self.helper = _helper(
            *(
                Field.radios(f"rating_{key}", legend_size=Size.SMALL, inline=True)
                for key in self.keys
            ),
            Field.textarea("note", field_width=Fluid.FULL),
            submit="Record the agreed rating",
        )

    def agreed(self) -> dict:
        return {key: self.cleaned_data[f"rating_{key}"] for key in self.keys}


QUALITY_LABELS = {
    "safe": "Safe",
    "effective": "Effective",
    "caring": "Caring",
    "responsive": "Responsive",
    "well_led": "Well-led",
    "overall_quality": "Overall quality",
}


class QualityRatingsForm(forms.Form):
    """The trust's current quality ratings, each with its date, and the combined rating."""

    combined = forms.TypedChoiceField(
        label="Combined rating of quality and use of resources",
        help_text="Leave as proposed, or set another with your reason.",
        coerce=int,
        choices=[("", "As proposed"), *RATING_CHOICES],
        required=False,
        empty_value=None,
    )
    override_reason = forms.CharField(
        label="Reason for setting another combined rating (professional judgement)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for name in QUALITY_FIELDS:
            self.fields[name] = forms.TypedChoiceField(
                label=QUALITY_LABELS[name],
                coerce=int,
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
                error_messages=_required(f"{RATING_REQUIRED} for {QUALITY_LABELS[name]}"),
            )
            self.fields[f"{name}_date"] = DateInputField(
                label=f"Date of the {QUALITY_LABELS[name].lower()} rating",
                require_all_fields=False,
            )
            self.fields[f"{name}_date"].error_messages.update(
                required=DATE_REQUIRED, invalid=DATE_REQUIRED, incomplete=DATE_REQUIRED
            )
            layout += [
                Field.radios(name, legend_size=Size.SMALL, inline=True),
                Field(f"{name}_date"),
            ]
        self.order_fields([*(f for n in QUALITY_FIELDS for f in (n, f"{n}_date")), "combined"])
        self.helper = _helper(
            *layout,
            Field.select("combined"),
            Field.textarea("override_reason"),
            submit="Record the ratings",
        )


class RegisterFilterForm(forms.Form):
    region = forms.ChoiceField(label="Region", required=False)
    trust_type = forms.ChoiceField(
        label="Type of trust",
        choices=[("", "Any type"), *Trust.TrustType.choices],
        required=False,
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("trust", "Trust name"),
            ("rating", "Rating, outstanding first"),
            ("-published", "Newest first"),
        ],
        required=False,
    )

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Any region"), *((r, r) for r in regions)]
        self.helper = _helper(
            Field.select("region"),
            Field.select("trust_type"),
            Field.select("sort"),
            submit="Apply",
            method="get",
            button_id="register-filter",
        )


class ReviewRequestForm(forms.Form):
    grounds = forms.CharField(
        label="Grounds for a review (process only)",
        help_text="What in the assessment process was not followed. At most 500 words.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Give the grounds for the review"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("grounds", field_width=Fluid.FULL), submit="Ask for a review"
        )

    def clean_grounds(self):
        grounds = self.cleaned_data["grounds"]
        words = len(grounds.split())
        if words > REVIEW_MAX_WORDS:
            raise ValidationError(REVIEW_TOO_LONG.format(words=words), code="too_long")
        return grounds


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReviewRequest.Decision.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Choose whether the rating is upheld or changed"),
    )
    new_rating = forms.TypedChoiceField(
        label="Changed rating",
        coerce=int,
        choices=[("", "Not changed"), *RATING_CHOICES],
        required=False,
        empty_value=None,
    )
    decision_note = forms.CharField(
        label="Reasons",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reasons for the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.select("new_rating"),
            Field.textarea("decision_note", field_width=Fluid.FULL),
            submit="Record the decision",
        )
