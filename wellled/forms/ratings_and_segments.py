"""Ask for CQC's well-led rating of a trust and NHS Improvement's segment decision."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from core.ratings import Rating

from .fields import CHOICE_REQUIRED, date_field, helper, text_field


class WellLedRatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Well-led rating",
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CHOICE_REQUIRED.format(what="rating")},
    )
    rated_on = date_field("Date of the rating", "date of the rating")
    note = text_field("Note (optional)", "note", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("rating", legend_size=Size.SMALL),
            Field("rated_on"),
            Field.textarea("note", field_width=Fluid.TWO_THIRDS),
            submit="Record the rating",
        )


class SegmentDecisionForm(forms.Form):
    segment = forms.TypedChoiceField(
        label="Segment",
        choices=[(n, f"Segment {n}") for n in (1, 2, 3, 4)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CHOICE_REQUIRED.format(what="segment")},
    )
    rationale = text_field("Rationale", "rationale")
    decided_on = date_field("Date of the decision", "date of the decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("segment", legend_size=Size.SMALL, inline=True),
            Field.textarea("rationale", field_width=Fluid.TWO_THIRDS),
            Field("decided_on"),
            submit="Record the decision",
        )
