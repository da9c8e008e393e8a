"""Ask for a board's self-review: its title, one KLOE's entry, the board's sign-off."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from core import text_limits
from core.forms import AttachmentField

from ..models.self_reviews import PriorityLevel, SelfReview
from .fields import date_field, helper, text_field

TITLE_REQUIRED = "Enter a title for the self-review, for example “Board self-review 2026”"
PRIORITY_REQUIRED = "Choose the board's priority rating"
NAME_REQUIRED = "Enter the name of who signed off for the board"


class SelfReviewCreateForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=text_limits.TITLE,
        help_text="For example, “Board self-review 2026”",
        error_messages={"required": TITLE_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS), submit="Start the self-review"
        )


class SelfReviewEntryForm(forms.Form):
    priority = forms.ModelChoiceField(
        label="Priority rating",
        queryset=PriorityLevel.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": PRIORITY_REQUIRED},
    )
    explanation = text_field("Explanation of the self-rating", "explanation of the self-rating")
    assurance = text_field(
        "How the board is assured",
        "evidence of assurance",
        required=False,
        help_text="The evidence that assures the board. Attach documents below.",
    )
    actions = text_field(
        "Principal actions or areas for discussion with the external reviewers",
        "actions",
        required=False,
    )
    file = AttachmentField(label="Add a file of evidence (optional)")

    def __init__(self, *args, review: SelfReview, **kwargs):
        super().__init__(*args, **kwargs)
        levels = review.scheme.levels.all()
        self.fields["priority"].queryset = levels
        self.fields["priority"].label_from_instance = lambda level: f"{level.number}. {level.label}"
        self.helper = helper(
            Field.radios("priority", legend_size=Size.MEDIUM),
            Field.textarea("explanation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("assurance", field_width=Fluid.TWO_THIRDS),
            Field.textarea("actions", field_width=Fluid.TWO_THIRDS),
            Field("file"),
            submit="Save as draft",
            multipart=True,
        )


class SignOffForm(forms.Form):
    signed_off_on = date_field("Date of the board's sign-off", "date of the board's sign-off")
    signed_off_by_name = forms.CharField(
        label="Signed off by",
        help_text="The name and role of who signed off for the board, for example the chair",
        max_length=text_limits.TITLE,
        error_messages={"required": NAME_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("signed_off_on"),
            Field.text("signed_off_by_name", field_width=Fluid.TWO_THIRDS),
            submit="Sign off and lock the self-review",
        )
