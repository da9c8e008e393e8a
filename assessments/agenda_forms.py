"""Forms that add a session to the site-visit agenda or remove one.

Kept apart from forms.py (which edits every session at once) so neither grows past the
module limit; the messages are the services' own.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from core import text_limits

from . import services
from .forms import TIME_FORMAT, form_helper
from .models import Assessment

SESSION_TITLE = "Give the session a title."


class AgendaSessionForm(forms.Form):
    """One new session: its title, times, KLOEs covered and trust attendees."""

    title = forms.CharField(
        label="Title", max_length=text_limits.TITLE, error_messages={"required": SESSION_TITLE}
    )
    starts_at = forms.TimeField(
        label="Starts (for example 14:30)",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": TIME_FORMAT, "invalid": TIME_FORMAT},
    )
    ends_at = forms.TimeField(
        label="Ends (for example 15:15)",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": TIME_FORMAT, "invalid": TIME_FORMAT},
    )
    kloes = forms.ModelMultipleChoiceField(
        label="KLOEs covered",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees = forms.CharField(
        label="Trust attendees",
        help_text="One per line, at most eight.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kloes"].queryset = assessment.framework.kloes.all()
        self.helper = form_helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.text("starts_at", field_width=Fixed.FIVE),
            Field.text("ends_at", field_width=Fixed.FIVE),
            Field.checkboxes("kloes", small=True),
            Field.textarea("attendees", field_width=Fluid.TWO_THIRDS),
            submit="Add the session",
        )


class AgendaSessionRemoveForm(forms.Form):
    """Which session to remove, chosen from the agenda."""

    session = forms.TypedChoiceField(
        label="Which session do you want to remove?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": services.SESSION_CHOOSE,
            "invalid_choice": services.SESSION_CHOOSE,
        },
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [
            (
                row.number,
                f"Session {row.number}: {row.title} ({row.starts_at:%H:%M} to {row.ends_at:%H:%M})",
            )
            for row in assessment.agenda.all()
        ]
        # A warning button: removing a session cannot be undone (add it again instead).
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("session", legend_size=Size.MEDIUM),
            Button.warning("submit", "Remove the session"),
        )
