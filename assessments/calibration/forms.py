"""Offer the calibration view's filters and sort orders (a GET form)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from assessments.models import Status
from core.ratings import Rating
from metrics.models.trusts import TrustType

from .selectors import RATIFIED

SORT_CHOICES = [
    ("trust", "Trust name"),
    ("rating_worst", "Worst rating first"),
    ("rating_best", "Best rating first"),
    ("finance_worst", "Worst finance score first"),
    ("visit", "Latest site visit first"),
    ("pairs", "Most highlighted pairs first"),
]


class CalibrationFilterForm(forms.Form):
    kloe = forms.ChoiceField(
        label="Key line of enquiry",
        required=False,
        help_text="Narrows the ratings, the rating filter, the sort and the pairs to one KLOE.",
    )
    region = forms.ChoiceField(label="Region", required=False)
    trust_type = forms.ChoiceField(
        label="Trust type", required=False, choices=[("", "All types"), *TrustType.choices]
    )
    rating = forms.TypedChoiceField(
        label="Rating",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any rating"), *Rating.choices],
        help_text="The KLOE's final rating when a KLOE is chosen, else the overall rating.",
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any ratified status")]
        + [(value, Status(value).label) for value in RATIFIED],
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, kloes, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kloe"].choices = [("", "Every KLOE"), *kloes]
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]
        helper = FormHelper()
        helper.form_method = "get"
        helper.layout = Layout(
            Field.select("kloe"),
            Field.select("region"),
            Field.select("trust_type"),
            Field.select("rating"),
            Field.select("status"),
            Field.select("sort"),
            Button("submit", "Apply", css_id="calibration-apply"),
        )
        self.helper = helper
