"""Offer the filters and sort orders of NHS Improvement's oversight view (a GET form)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from metrics.models.trusts import TrustType

from ..selectors.oversight import FLAGS


class OversightFilterForm(forms.Form):
    region = forms.ChoiceField(label="Region", required=False)
    trust_type = forms.ChoiceField(
        label="Trust type", required=False, choices=[("", "All types"), *TrustType.choices]
    )
    flag = forms.ChoiceField(
        label="Flag", required=False, choices=[("", "Any or none"), *list(FLAGS.items())]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("name", "Trust name"),
            ("flags", "Most flags first"),
            ("finance", "Worst finance score first"),
            ("due", "Next review due soonest"),
            ("segment", "Highest segment first"),
        ],
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]
        form_helper = FormHelper()
        form_helper.form_method = "get"
        form_helper.layout = Layout(
            Field.select("region"),
            Field.select("trust_type"),
            Field.select("flag"),
            Field.select("sort"),
            Button("submit", "Apply", css_id="oversight-apply"),
        )
        self.helper = form_helper
