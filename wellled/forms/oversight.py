"""Offer the filters and sort orders of NHS Improvement's oversight view (a GET form), and
ask for a warning notice or material concern under a theme, or for closing one."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from metrics.models.trusts import TrustType

from ..models.oversight import ConcernKind, OversightTheme
from ..selectors.oversight_flags import FLAG_THEMES, FLAGS, THEMES
from .fields import CHOICE_REQUIRED, date_field, helper, text_field


def _flag_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{label} ({THEMES[FLAG_THEMES[code]].lower()})")
        if code.startswith("concern_")
        else (code, label)
        for code, label in FLAGS.items()
    ]


class OversightFilterForm(forms.Form):
    theme = forms.ChoiceField(
        label="Theme", required=False, choices=[("", "Any theme or none"), *THEMES.items()]
    )
    region = forms.ChoiceField(label="Region", required=False)
    system = forms.ChoiceField(label="System (ICS or STP)", required=False)
    segment = forms.ChoiceField(
        label="Segment",
        required=False,
        choices=[
            ("", "Any segment or none"),
            *[(str(n), f"Segment {n}") for n in (1, 2, 3, 4)],
            ("none", "No segment decision"),
        ],
    )
    trust_type = forms.ChoiceField(
        label="Trust type", required=False, choices=[("", "All types"), *TrustType.choices]
    )
    flag = forms.ChoiceField(label="Flag", required=False)
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

    def __init__(self, *args, regions, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]
        self.fields["system"].choices = [("", "All systems")] + [(s, s) for s in systems]
        self.fields["flag"].choices = [("", "Any or none"), *_flag_choices()]
        form_helper = FormHelper()
        form_helper.form_method = "get"
        form_helper.layout = Layout(
            Field.select("theme"),
            Field.select("region"),
            Field.select("system"),
            Field.select("segment"),
            Field.select("trust_type"),
            Field.select("flag"),
            Field.select("sort"),
            Button("submit", "Apply", css_id="oversight-apply"),
        )
        self.helper = form_helper


class OversightConcernForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=ConcernKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOICE_REQUIRED.format(what="kind of record")},
    )
    theme = forms.ChoiceField(
        label="Theme",
        choices=[("", "Choose a theme"), *OversightTheme.choices],
        help_text="A CQC warning notice belongs to quality of care.",
        error_messages={"required": CHOICE_REQUIRED.format(what="theme")},
    )
    reason = text_field("Reason", "reason")
    raised_on = date_field("Date of the notice or concern", "date of the notice or concern")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.select("theme"),
            Field.textarea("reason", field_width=Fluid.TWO_THIRDS),
            Field("raised_on"),
            submit="Record it",
            button_id="concern-record",
        )


class OversightConcernCloseForm(forms.Form):
    concern = forms.IntegerField(widget=forms.HiddenInput)
    closed_reason = text_field("Why it is closed", "reason it is closed")
    closed_on = date_field("Date closed", "date it is closed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("concern"),
            Field.textarea("closed_reason", field_width=Fluid.TWO_THIRDS),
            Field("closed_on"),
            submit="Close it",
            button_id="concern-close",
        )
