"""Ask for CQC's well-led rating of a trust and NHS Improvement's segment decision."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.utils.html import format_html

from core.ratings import Rating

from ..models.ratings_and_segments import SegmentDecision
from .fields import CHOICE_REQUIRED, date_field, helper, text_field

CHOICE_INVALID = "Choose the {what} from the list"


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


def _segment_choices(table: dict) -> list:
    """Segments 1-4, each with Table 2's description and support offer as its hint."""
    choices = []
    for number in (1, 2, 3, 4):
        row = table.get(number)
        if row is None:
            choices.append((number, f"Segment {number}"))
            continue
        hint = format_html(
            '<span class="uor-segment-description">{}</span><br>'
            '<span class="uor-segment-offer">Support offered: {}</span>',
            row.description,
            row.support_offer_text,
        )
        choices.append(Choice(number, f"Segment {number} ({row.name})", hint=hint))
    return choices


def _radios(label: str, choices, what: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": CHOICE_REQUIRED.format(what=what),
            "invalid_choice": CHOICE_INVALID.format(what=what),
        },
        **kwargs,
    )


class SegmentDecisionForm(forms.Form):
    """The decision; `table` is Table 2 by segment (services.segment_table) for the hints."""

    segment = forms.TypedChoiceField(
        label="Segment",
        choices=[(n, f"Segment {n}") for n in (1, 2, 3, 4)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": CHOICE_REQUIRED.format(what="segment"),
            "invalid_choice": CHOICE_INVALID.format(what="segment"),
        },
    )
    support_offer = _radios(
        "Level of support offered",
        SegmentDecision.SupportOffer.choices,
        "level of support offered",
    )
    licence_breach = _radios(
        "Breach of the licence (or equivalent for NHS trusts)",
        SegmentDecision.LicenceBreach.choices,
        "licence-breach status",
    )
    special_measures = _radios(
        "Special measures",
        SegmentDecision.SpecialMeasures.choices,
        "special-measures status",
    )
    rationale = text_field("Rationale", "rationale")
    decided_on = date_field("Date of the decision", "date of the decision")
    confirm = forms.BooleanField(label="I have read the warnings", required=False)
    # The codes of the warnings the page showed, so only those are confirmed.
    warnings_shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, table: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        table = table or {}
        self.fields["segment"].choices = _segment_choices(table)
        if table:
            self.fields["segment"].help_text = next(iter(table.values())).source
        self._layout(with_confirm=False)

    def show_warnings(self, codes: list[str]) -> None:
        """Remember the warnings shown now and ask afresh to confirm reading them."""
        self.data = self.data.copy()
        self.data["warnings_shown"] = ",".join(codes)
        self.data.pop("confirm", None)
        self._layout(with_confirm=bool(codes))

    def _layout(self, *, with_confirm: bool) -> None:
        fields = [
            Field.radios("segment", legend_size=Size.SMALL),
            Field.radios("support_offer", legend_size=Size.SMALL),
            Field.radios("licence_breach", legend_size=Size.SMALL),
            Field.radios("special_measures", legend_size=Size.SMALL),
            Field.textarea("rationale", field_width=Fluid.TWO_THIRDS),
            Field("decided_on"),
            Field("warnings_shown"),
        ]
        if with_confirm:
            fields.append(Field.checkbox("confirm"))
        self.helper = helper(*fields, submit="Record the decision")

    @property
    def confirmed_codes(self) -> list[str]:
        if not self.cleaned_data.get("confirm"):
            return []
        return [code for code in self.cleaned_data["warnings_shown"].split(",") if code]
