"""Forms of CQC's review: the discussion, the agreed rating, the quality ratings."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from assessments.forms import RATING_CHOICES, choice_required, form_helper
from core import text_limits

from .services import QUALITY_FIELDS

RATING_REQUIRED = "Choose a rating from 1 (Outstanding) to 4 (Inadequate)"
DATE_REQUIRED = "Enter the date of the quality ratings"


class DiscussionForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        max_length=text_limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a message"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("text", field_width=Fluid.FULL), submit="Post the message"
        )


class AgreedRatingsForm(forms.Form):
    """CQC's agreed rating for each KLOE and overall, with a note."""

    publication_date = DateInputField(
        label="Publication date (when no rating changes)",
        help_text="If CQC changes no rating, this finalises the assessment; the final report "
        "is embargoed until then. For example, 27 3 2027.",
        required=False,
        require_all_fields=False,
    )
    note = forms.CharField(
        label="Note on the agreed ratings",
        max_length=text_limits.NOTE,
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
                error_messages=choice_required(f"Choose the agreed rating for {titles[key]}"),
            )
            self.fields[f"reasons_{key}"] = forms.CharField(
                label=f"CQC's reasons, if it changes the rating of {titles[key]}",
                help_text="Printed in the final report beside the revised rationale.",
                max_length=text_limits.NOTE,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.helper = form_helper(
            *(
                field
                for key in self.keys
                for field in (
                    Field.radios(f"rating_{key}", legend_size=Size.SMALL, inline=True),
                    Field.textarea(f"reasons_{key}", field_width=Fluid.FULL),
                )
            ),
            Field.textarea("note", field_width=Fluid.FULL),
            Field("publication_date"),
            submit="Record the agreed rating",
        )

    def agreed(self) -> dict:
        return {key: self.cleaned_data[f"rating_{key}"] for key in self.keys}

    def reasons(self) -> dict:
        return {key: self.cleaned_data[f"reasons_{key}"] for key in self.keys}


class RationaleRevisionForm(forms.Form):
    """The lead's revised rationale for one rating CQC changed."""

    kloe = forms.ChoiceField(
        label="Which rating's rationale",
        widget=forms.RadioSelect,
        error_messages=choice_required("Choose the rating whose rationale you revise"),
    )
    rationale = forms.CharField(
        label="Revised rationale",
        help_text="It must argue for CQC's rating, with CQC's reasons in mind.",
        max_length=text_limits.PASSAGE,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write the revised rationale"},
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kloe"].choices = choices
        self.helper = form_helper(
            Field.radios("kloe", legend_size=Size.SMALL),
            Field.textarea("rationale", field_width=Fluid.FULL),
            submit="Save the revised rationale",
        )


QUALITY_LABELS = {
    "safe": "Safe",
    "effective": "Effective",
    "caring": "Caring",
    "responsive": "Responsive",
    "well_led": "Well-led",
    "overall_quality": "Overall quality",
}


class QualityRatingsForm(forms.Form):
    """The trust's current quality ratings, their date, and the combined rating."""

    # NOTE: one date for all six: CQC rates them together in one inspection report; typing
    # the same date six times invited typing errors. The record still keeps a date each.
    rated_on = DateInputField(
        label="Date of the quality ratings",
        help_text="The date of CQC's report that gave these ratings. For example, 27 3 2027.",
        require_all_fields=False,
    )
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
        max_length=text_limits.SHORT_NOTE,
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
                error_messages=choice_required(f"{RATING_REQUIRED} for {QUALITY_LABELS[name]}"),
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
        self.fields["rated_on"].error_messages.update(
            required=DATE_REQUIRED, invalid=DATE_REQUIRED, incomplete=DATE_REQUIRED
        )
        self.order_fields([*QUALITY_FIELDS, "rated_on", "combined"])
        self.helper = form_helper(
            *layout,
            Field("rated_on"),
            Field.select("combined"),
            Field.textarea("override_reason"),
            submit="Record the ratings",
        )

    def ratings(self) -> dict:
        """The six ratings, each with the one date, as the service records them."""
        data = self.cleaned_data
        return {name: data[name] for name in QUALITY_FIELDS} | {
            f"{name}_date": data["rated_on"] for name in QUALITY_FIELDS
        }
