"""Forms of publication: the register's filters, the review request and CQC's decision."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from assessments.forms import RATING_CHOICES, choice_required, form_helper
from core import text_limits
from metrics.models import Trust

from .models import ReviewRequest
from .services import REVIEW_MAX_WORDS, REVIEW_TOO_LONG


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
        self.helper = form_helper(
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
        max_length=text_limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Give the grounds for the review"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
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
        error_messages=choice_required("Choose whether the rating is upheld or changed"),
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
        max_length=text_limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reasons for the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.select("new_rating"),
            Field.textarea("decision_note", field_width=Fluid.FULL),
            submit="Record the decision",
        )
