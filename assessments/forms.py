"""Forms of the assessments app. Every form renders through crispy forms (GOV.UK pack)."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from core import text_limits
from core.forms import AttachmentField
from core.ratings import Rating
from metrics.models import Role, User

from . import services
from .models import AgendaSession, Assessment, Evidence, Kloe


def assessors():
    return User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("username")


class TransitionForm(forms.Form):
    """What an action's check page asks for: a note only where one means something (a
    return, a dispute, the reason to close the check early) and, when the action finalises,
    the publication date. The button itself is the confirmation."""

    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=text_limits.NOTE
    )
    publication_date = DateInputField(
        label="Publication date",
        help_text="The final report is embargoed until then. For example, 27 3 2027.",
        required=False,
        require_all_fields=False,
    )

    findings_confirmed = forms.BooleanField(required=False)

    # The actions that finalise: CQC sets the publication date with them.
    FINALISING = ("accept_rating", "confirm_revision")

    def __init__(self, *args, action: str, note_label: str = "", confirm_findings=0, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        if confirm_findings:  # ratify: QA confirms it read the findings the team left open
            self.fields["findings_confirmed"].label = (
                f"I have read the {confirm_findings} consistency finding(s) the team has not "
                "answered, and ratify all the same"
            )
            fields.append(Field.checkbox("findings_confirmed"))
        else:
            del self.fields["findings_confirmed"]
        if note_label:
            self.fields["note"].label = note_label
            fields.append(Field.textarea("note", rows=4))
        else:
            del self.fields["note"]
        if action in self.FINALISING:
            fields.append(Field("publication_date"))
        else:
            del self.fields["publication_date"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields)


TIME_FORMAT = "Enter the time as hours and minutes, for example 09:30"
TEXT_REQUIRED = "Enter your commentary"
EVIDENCE_TEXT_REQUIRED = "Enter the evidence"
SOURCE_REQUIRED = "Choose where the evidence comes from"
FINDING_REQUIRED = "Choose whether the finding is positive, negative or context"
DEADLINE_REQUIRED = "Enter the commentary deadline"
DEADLINE_INVALID = "Enter the commentary deadline as a real date"
LEVEL_NAMES = dict(Rating.choices)
RATING_CHOICES = [(value, f"{value}: {name}") for value, name in Rating.choices]


def choice_required(message: str) -> dict:
    """The same message whether the choice is missing or not one of those offered."""
    return {"required": message, "invalid_choice": message}


def form_helper(
    *fields, submit: str, method: str = "post", multipart: bool = False, button_id: str = ""
) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    # NOTE: a page with two forms needs distinct button ids (the pack's default is id_submit).
    button = Button("submit", submit, css_id=button_id) if button_id else Button("submit", submit)
    helper.layout = Layout(*fields, button)
    if multipart:
        helper.form_enctype = "multipart/form-data"
    return helper


class CommentaryDeadlineForm(forms.Form):
    commentary_deadline = DateInputField(
        label="Commentary deadline",
        help_text="For example, 27 3 2027. It must be on or before the site-visit date.",
        require_all_fields=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commentary_deadline"].error_messages.update(
            required=DEADLINE_REQUIRED, invalid=DEADLINE_INVALID, incomplete=DEADLINE_REQUIRED
        )
        self.helper = form_helper(Field("commentary_deadline"), submit="Save the deadline")


class AgendaForm(forms.Form):
    """Every session of the site-visit agenda in one form, so errors name their session."""

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = list(assessment.agenda.prefetch_related("kloes"))
        kloes = assessment.framework.kloes.all()
        fieldsets = []
        for session in self.sessions:
            n = session.number
            name = f"session_{n}"
            self.fields[f"{name}_title"] = forms.CharField(
                label=f"Session {n} title",
                max_length=text_limits.TITLE,
                initial=session.title,
                error_messages={"required": services.SESSION_TITLE_REQUIRED.format(number=n)},
            )
            for part, label, value in (
                ("starts_at", "starts", session.starts_at),
                ("ends_at", "ends", session.ends_at),
            ):
                self.fields[f"{name}_{part}"] = forms.TimeField(
                    label=f"Session {n} {label} (for example 09:30)",
                    initial=value.strftime("%H:%M"),
                    input_formats=["%H:%M", "%H.%M"],
                    error_messages={"required": TIME_FORMAT, "invalid": TIME_FORMAT},
                )
            self.fields[f"{name}_kloes"] = forms.ModelMultipleChoiceField(
                label=f"KLOEs covered in session {n}",
                queryset=kloes,
                required=False,
                initial=[kloe.pk for kloe in session.kloes.all()],
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"{name}_attendees"] = forms.CharField(
                label=f"Trust attendees of session {n}",
                help_text="One per line, at most eight.",
                required=False,
                initial=session.attendees,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            fieldsets.append(
                Fieldset(
                    Field.text(f"{name}_title", field_width=Fluid.TWO_THIRDS),
                    Field.text(f"{name}_starts_at", field_width=Fixed.FIVE),
                    Field.text(f"{name}_ends_at", field_width=Fixed.FIVE),
                    Field.checkboxes(f"{name}_kloes", small=True),
                    Field.textarea(f"{name}_attendees", field_width=Fluid.TWO_THIRDS),
                    legend=f"Session {n}: {session.title}",
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = form_helper(*fieldsets, submit="Save the agenda")

    def clean(self):
        cleaned = super().clean()
        for session in self.sessions:
            name = f"session_{session.number}"
            attendees = [
                line
                for line in (cleaned.get(f"{name}_attendees") or "").splitlines()
                if line.strip()
            ]
            if len(attendees) > AgendaSession.MAX_ATTENDEES:
                self.add_error(
                    f"{name}_attendees",
                    ValidationError(
                        services.TOO_MANY_ATTENDEES.format(
                            number=session.number,
                            title=cleaned.get(f"{name}_title") or session.title,
                            count=len(attendees),
                        ),
                        code="attendees",
                    ),
                )
            starts, ends = cleaned.get(f"{name}_starts_at"), cleaned.get(f"{name}_ends_at")
            if starts and ends and ends <= starts:
                self.add_error(
                    f"{name}_ends_at",
                    services.SESSION_ENDS_BEFORE_START.format(
                        number=session.number, title=cleaned.get(f"{name}_title") or session.title
                    ),
                )
        return cleaned

    def sessions_data(self) -> list[dict]:
        """The cleaned sessions in the shape services.agenda_update takes."""
        data = self.cleaned_data
        return [
            {
                "number": session.number,
                "title": data[f"session_{session.number}_title"],
                "starts_at": data[f"session_{session.number}_starts_at"],
                "ends_at": data[f"session_{session.number}_ends_at"],
                "kloes": list(data[f"session_{session.number}_kloes"]),
                "attendees": data[f"session_{session.number}_attendees"],
            }
            for session in self.sessions
        ]


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Your commentary",
        help_text="How the trust meets this key line of enquiry; refer to any files you add.",
        max_length=text_limits.LONG_TEXT,
        error_messages={"required": TEXT_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    file = AttachmentField(label="Add a file (optional): further evidence or more recent data")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("text", field_width=Fluid.FULL),
            Field("file"),
            Field("version"),
            submit="Save as draft",
            multipart=True,
        )


class EvidenceForm(forms.Form):
    prompt = forms.ModelChoiceField(
        label="Prompt (optional)",
        queryset=None,
        required=False,
        empty_label="The KLOE as a whole",
    )
    source = forms.ChoiceField(
        label="Source",
        choices=Evidence.Source.choices,
        error_messages={"required": SOURCE_REQUIRED, "invalid_choice": SOURCE_REQUIRED},
        widget=forms.RadioSelect,
    )
    finding = forms.ChoiceField(
        label="Finding",
        choices=Evidence.Finding.choices,
        error_messages={"required": FINDING_REQUIRED, "invalid_choice": FINDING_REQUIRED},
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Evidence",
        max_length=text_limits.LONG_TEXT,
        error_messages={"required": EVIDENCE_TEXT_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    metrics = forms.ModelMultipleChoiceField(
        label="Linked metrics", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    file = AttachmentField(label="Add a file (optional)")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kloe: Kloe, submit: str = "Save the evidence", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prompt"].queryset = kloe.prompts.all()
        self.fields["prompt"].label_from_instance = lambda p: f"{p.code}: {p.text[:90]}"
        self.fields["metrics"].queryset = kloe.metrics.all()
        self.fields["metrics"].label_from_instance = lambda m: f"{m.name} ({m.code})"
        layout = [
            Field.select("prompt"),
            Field.radios("source", legend_size=Size.SMALL, small=True),
            Field.radios("finding", legend_size=Size.SMALL, small=True, inline=True),
            Field.textarea("text", field_width=Fluid.FULL),
        ]
        if kloe.metrics.exists():
            layout.append(Field.checkboxes("metrics", legend_size=Size.SMALL, small=True))
        else:
            del self.fields["metrics"]
        layout += [Field("file"), Field("version")]
        self.helper = form_helper(*layout, submit=submit, multipart=True)


class EvidenceFilterForm(forms.Form):
    source = forms.ChoiceField(
        label="Source", choices=[("", "Any source"), *Evidence.Source.choices], required=False
    )
    prompt = forms.ModelChoiceField(
        label="Prompt", queryset=None, required=False, empty_label="Any prompt"
    )

    def __init__(self, *args, kloe: Kloe, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prompt"].queryset = kloe.prompts.all()
        self.fields["prompt"].label_from_instance = lambda p: p.code
        self.helper = form_helper(
            Field.select("source"),
            Field.select("prompt"),
            submit="Filter",
            method="get",
            button_id="filter-submit",
        )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Proposed rating",
        coerce=int,
        choices=Rating.choices,
        error_messages={"required": services.BAD_RATING, "invalid_choice": services.BAD_RATING},
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Tie the rating to the evidence and to the ratings characteristics.",
        max_length=text_limits.LONG_TEXT,
        error_messages={"required": services.RATIONALE_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    characteristics = forms.ModelMultipleChoiceField(
        label="Characteristics the team judges present",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas_for_improvement = forms.CharField(
        label="Areas for improvement",
        help_text="What the trust must or should do, one point a line. Printed in the report.",
        required=False,
        max_length=text_limits.PASSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outstanding_practice = forms.CharField(
        label="Outstanding practice (optional)",
        help_text="Practice others could learn from, one point a line.",
        required=False,
        max_length=text_limits.PASSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(
        label="Summary of findings",
        help_text=(
            "A few paragraphs in plain words for the trust's board: the report opens with it. "
            "You can change it until the draft report is shared."
        ),
        required=False,
        max_length=text_limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        characteristics,
        overall: bool = False,
        submit: str = "Save the rating",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [
            (value, f"{value}: {name}") for value, name in Rating.choices
        ]
        self.fields["characteristics"].queryset = characteristics
        self.fields["characteristics"].label_from_instance = lambda c: (
            f"{LEVEL_NAMES[c.level]}: {c.text}"
        )
        layout = [
            Field.radios("rating", legend_size=Size.SMALL),
            Field.textarea("rationale", field_width=Fluid.FULL),
        ]
        if characteristics.exists():
            layout.append(Field.checkboxes("characteristics", legend_size=Size.SMALL, small=True))
        else:
            del self.fields["characteristics"]
        # The overall rating carries the report's summary; each KLOE its own improvements.
        if overall:
            del self.fields["areas_for_improvement"], self.fields["outstanding_practice"]
            layout.append(Field.textarea("summary", field_width=Fluid.FULL))
        else:
            del self.fields["summary"]
            layout.append(Field.textarea("areas_for_improvement", field_width=Fluid.FULL))
            layout.append(Field.textarea("outstanding_practice", field_width=Fluid.FULL))
        layout.append(Field("version"))
        self.helper = form_helper(*layout, submit=submit)

    def clean_rationale(self):
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise ValidationError(services.RATIONALE_REQUIRED, code="required")
        return rationale
