"""Ask for developmental reviews and comply or explain: the review with its scope and the
facilitator's ratings, the agreed due date, an accepted explanation."""

from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms

from core import text_limits
from core.ratings import Rating
from core.text_limits import limited_formfield

from ..models.developmental_reviews import DevelopmentalReview
from .fields import CHOICE_REQUIRED, TEXT_REQUIRED, date_field, helper, text_field

SCOPE_REQUIRED = "Choose at least one KLOE the review covers"
RATING_CHOICES = [("", "Not rated")] + [(str(value), label) for value, label in Rating.choices]


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
        # The text fields' limit, which the API's serializer of the model shares.
        formfield_callback = limited_formfield(text_limits.PASSAGE)
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
        # A required choice with no default gets Django's blank "---------" option, which as
        # a radio button reads as a fourth answer: offer the real answers only.
        self.fields["independence"].choices = DevelopmentalReview.Independence.choices
        self.fields["material_concerns"] = forms.TypedChoiceField(
            label="Were material governance concerns found?",
            choices=[("True", "Yes"), ("False", "No")],
            coerce=lambda value: value == "True",
            widget=forms.RadioSelect,
            error_messages={"required": CHOICE_REQUIRED.format(what="answer on concerns")},
        )
        ratings, omitted = {}, {}
        if self.instance.pk:
            ratings = {r.kloe_id: str(r.rating) for r in self.instance.ratings.all()}
            omitted = self.instance.omitted_kloes or {}
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
        omission_fields = []
        for kloe in self.kloe_list:
            name = f"omitted_{kloe.code}"
            self.fields[name] = forms.CharField(
                label=f"Why the review leaves out {kloe}",
                required=False,
                max_length=5000,
                initial=omitted.get(kloe.code, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            omission_fields.append(Field.textarea(name, field_width=Fluid.TWO_THIRDS))
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
            Fieldset(
                *omission_fields,
                legend="KLOEs the review leaves out",
                legend_size=Size.MEDIUM,
                description=(
                    "For each KLOE not ticked above, say why the review does not cover it. "
                    "Leave the others empty."
                ),
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

    def omissions_data(self) -> dict[str, str]:
        return {
            kloe.code: self.cleaned_data.get(f"omitted_{kloe.code}") or ""
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
