"""Ask for a trust's action plan: a new action, and progress on one."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from core import text_limits

from ..models.actions import Action
from .fields import CHOICE_REQUIRED, TEXT_REQUIRED, date_field, helper, text_field


class ActionForm(forms.Form):
    source = forms.ChoiceField(
        label="From the review", error_messages={"required": CHOICE_REQUIRED.format(what="review")}
    )
    kloe = forms.ModelChoiceField(
        label="KLOE",
        queryset=None,
        empty_label="Choose a KLOE",
        error_messages={"required": CHOICE_REQUIRED.format(what="KLOE")},
    )
    text = text_field("Action", "action", rows=3)
    owner = forms.CharField(
        label="Owner",
        max_length=text_limits.TITLE,
        error_messages={"required": TEXT_REQUIRED.format(what="owner")},
    )
    due_on = date_field("Due date", "due date")

    def __init__(self, *args, kloes, self_reviews, developmental_reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {f"self-{r.pk}": ("self_review", r) for r in self_reviews}
        self.sources |= {f"dev-{r.pk}": ("developmental_review", r) for r in developmental_reviews}
        self.fields["source"].choices = [("", "Choose a review")] + [
            (key, f"Self-review: {r}" if kind == "self_review" else str(r))
            for key, (kind, r) in self.sources.items()
        ]
        self.fields["kloe"].queryset = kloes
        self.helper = helper(
            Field.select("source"),
            Field.select("kloe"),
            Field.textarea("text", field_width=Fluid.TWO_THIRDS),
            Field.text("owner", field_width=Fluid.ONE_HALF),
            Field("due_on"),
            submit="Add the action",
        )

    def source_kwargs(self) -> dict:
        kind, review = self.sources[self.cleaned_data["source"]]
        return {kind: review}


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=Action.Status.choices, widget=forms.RadioSelect
    )
    noted_on = date_field("Date of this progress note", "date of the note")
    text = text_field("Progress", "progress", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            Field("noted_on"),
            Field.textarea("text", field_width=Fluid.TWO_THIRDS),
            submit="Record progress",
        )
