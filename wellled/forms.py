"""Forms of the well-led app, all through crispy forms with the GOV.UK pack."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms

from core.forms import AttachmentField
from core.ratings import Rating
from metrics.models.trusts import TrustType

from .models import Action, DevelopmentalReview, PriorityLevel, SelfReview
from .selectors import FLAGS

TITLE_REQUIRED = "Enter a title for the self-review, for example “Board self-review 2026”"
PRIORITY_REQUIRED = "Choose the board's priority rating"
DATE_REQUIRED = "Enter the {what}"
DATE_INVALID = "Enter the {what} as a real date"
NAME_REQUIRED = "Enter the name of who signed off for the board"
TEXT_REQUIRED = "Enter the {what}"
CHOICE_REQUIRED = "Choose the {what}"
SCOPE_REQUIRED = "Choose at least one KLOE the review covers"
RATING_CHOICES = [("", "Not rated")] + [(str(value), label) for value, label in Rating.choices]


def helper(*fields, submit: str, multipart: bool = False, button_id: str = "") -> FormHelper:
    form_helper = FormHelper()
    form_helper.form_method = "post"
    button = Button("submit", submit, css_id=button_id) if button_id else Button("submit", submit)
    form_helper.layout = Layout(*fields, button)
    if multipart:
        form_helper.form_enctype = "multipart/form-data"
    return form_helper


def date_field(label: str, what: str, *, required: bool = True, help_text: str = ""):
    field = DateInputField(
        label=label,
        help_text=help_text or "For example, 27 3 2026",
        required=required,
        require_all_fields=False,
    )
    field.error_messages.update(
        required=DATE_REQUIRED.format(what=what),
        incomplete=DATE_REQUIRED.format(what=what),
        invalid=DATE_INVALID.format(what=what),
    )
    return field


def text_field(label: str, what: str, *, required: bool = True, rows: int = 5, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": TEXT_REQUIRED.format(what=what)},
    )


class SelfReviewCreateForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
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
        max_length=200,
        error_messages={"required": NAME_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field("signed_off_on"),
            Field.text("signed_off_by_name", field_width=Fluid.TWO_THIRDS),
            submit="Sign off and lock the self-review",
        )


class DevelopmentalReviewForm(forms.ModelForm):
    started_on = date_field("Review started", "date the review started")
    completed_on = date_field(
        "Review completed (optional)",
        "date the review completed",
        required=False,
        help_text="The next review is due three years after this date. For example, 27 3 2026",
    )
    letter_sent_on = date_field(
        "Completion letter sent to NHS Improvement (optional)",
        "date of the completion letter",
        required=False,
    )

    class Meta:
        model = DevelopmentalReview
        fields = [
            "facilitator_name",
            "facilitator_organisation",
            "peer_reviewers",
            "independence",
            "safeguard",
            "kloes",
            "extra_areas",
            "started_on",
            "completed_on",
            "findings",
            "good_practice",
            "material_concerns",
            "concerns_text",
            "letter_sent_on",
        ]
        widgets = {
            "independence": forms.RadioSelect,
            "kloes": forms.CheckboxSelectMultiple,
            "peer_reviewers": forms.Textarea(attrs={"rows": 3}),
            "safeguard": forms.Textarea(attrs={"rows": 3}),
            "extra_areas": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 6}),
            "good_practice": forms.Textarea(attrs={"rows": 4}),
            "concerns_text": forms.Textarea(attrs={"rows": 4}),
            "material_concerns": forms.RadioSelect(choices=[(True, "Yes"), (False, "No")]),
        }
        error_messages = {
            "facilitator_name": {"required": TEXT_REQUIRED.format(what="lead facilitator")},
            "facilitator_organisation": {
                "required": TEXT_REQUIRED.format(what="facilitator's organisation")
            },
            "independence": {"required": CHOICE_REQUIRED.format(what="reviewers' independence")},
            "kloes": {"required": SCOPE_REQUIRED},
        }

    def __init__(self, *args, kloes, **kwargs):
        super().__init__(*args, **kwargs)
        self.kloe_list = list(kloes)
        self.fields["kloes"].queryset = kloes
        self.fields["kloes"].label_from_instance = str
        self.fields["material_concerns"] = forms.TypedChoiceField(
            label="Were material governance concerns found?",
            choices=[("True", "Yes"), ("False", "No")],
            coerce=lambda value: value == "True",
            widget=forms.RadioSelect,
            error_messages={"required": CHOICE_REQUIRED.format(what="answer on concerns")},
        )
        ratings = {}
        if self.instance.pk:
            ratings = {r.kloe_id: str(r.rating) for r in self.instance.ratings.all()}
            self.initial["material_concerns"] = str(self.instance.material_concerns)
        rating_fields = []
        for kloe in self.kloe_list:
            name = f"rating_{kloe.code}"
            self.fields[name] = forms.ChoiceField(
                label=f"Facilitator's rating of {kloe}",
                choices=RATING_CHOICES,
                required=False,
                initial=ratings.get(kloe.pk, ""),
            )
            rating_fields.append(Field.select(name))
        wide = Fluid.TWO_THIRDS
        self.helper = helper(
            Fieldset(
                Field.text("facilitator_name", field_width=wide),
                Field.text("facilitator_organisation", field_width=wide),
                Field.textarea("peer_reviewers", field_width=wide),
                legend="The external facilitator",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("independence", legend_size=Size.SMALL),
            Field.textarea("safeguard", field_width=wide),
            Fieldset(
                Field.checkboxes("kloes", legend_size=Size.SMALL),
                Field.textarea("extra_areas", field_width=wide),
                legend="Scope",
                legend_size=Size.MEDIUM,
            ),
            Field("started_on"),
            Field("completed_on"),
            Fieldset(*rating_fields, legend="The facilitator's ratings", legend_size=Size.MEDIUM),
            Field.textarea("findings", field_width=wide),
            Field.textarea("good_practice", field_width=wide),
            Field.radios("material_concerns", legend_size=Size.SMALL, inline=True),
            Field.textarea("concerns_text", field_width=wide),
            Field("letter_sent_on"),
            submit="Save the developmental review",
        )

    def _post_clean(self):
        """Leave the model's checks to the service, which names each problem plainly (a
        constraint's own message would say only that it is violated)."""

    def ratings_data(self) -> dict:
        return {
            kloe: int(self.cleaned_data[f"rating_{kloe.code}"])
            if self.cleaned_data.get(f"rating_{kloe.code}")
            else None
            for kloe in self.kloe_list
        }

    def review_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "kloes"}


class AgreeDueDateForm(forms.Form):
    agreed_next_due_on = date_field(
        "Next review due on",
        "date the next review is due",
        help_text="At most five years after the last review was completed. For example, 27 3 2029",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("agreed_next_due_on"), submit="Agree the due date")


class ExplanationForm(forms.Form):
    explanation = text_field("Why the review has not taken place by the due date", "explanation")
    alternative_assurance = text_field(
        "Alternative means of assurance", "alternative means of assurance"
    )
    accepted_on = date_field("Date NHS Improvement accepted it", "date it was accepted")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.textarea("explanation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("alternative_assurance", field_width=Fluid.TWO_THIRDS),
            Field("accepted_on"),
            submit="Accept the explanation",
        )


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
        max_length=200,
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
