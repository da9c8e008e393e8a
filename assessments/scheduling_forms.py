"""The form that schedules an assessment: trust, framework version, dates, team and, for
admins only, the pilot mark. Kept apart from forms.py so neither grows past the module limit."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from metrics.models import Trust, User

from . import policies
from .forms import assessors
from .models import Framework


def framework_current() -> Framework | None:
    """The newest framework a live assessment may use (not a consultation draft)."""
    return Framework.objects.filter(consultation_draft=False).order_by("-version", "-id").first()


def framework_label(framework: Framework) -> str:
    return f"{framework}" + (
        ": consultation draft, pilots only" if framework.consultation_draft else ""
    )


class AssessmentCreateForm(forms.Form):
    trust = forms.ModelChoiceField(
        queryset=Trust.objects.filter(active=True),
        empty_label="Choose a trust",
        error_messages={"required": "Choose the trust to assess"},
    )
    framework = forms.ModelChoiceField(
        label="Framework version",
        queryset=Framework.objects.all(),
        empty_label=None,
        error_messages={"required": "Choose the framework version"},
    )
    site_visit_date = DateInputField(
        label="Site-visit date",
        help_text="For example, 27 3 2027. Trusts should have at least one month's notice.",
        require_all_fields=False,
    )
    commentary_deadline = DateInputField(
        label="Commentary deadline (optional)",
        help_text="Leave blank for two weeks before the visit. You can change it later.",
        required=False,
        require_all_fields=False,
    )
    lead = forms.ModelChoiceField(
        label="Lead assessor",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the lead assessor"},
    )
    members = forms.ModelMultipleChoiceField(
        label="Other team members",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pilot = forms.BooleanField(
        label="This assessment is a pilot",
        help_text=(
            "A pilot may use the 2016 consultation draft or assess a trust type the framework "
            "does not cover. Only admins mark pilots."
        ),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_visit_date"].error_messages.update(
            required="Enter the site-visit date", invalid="Enter the site-visit date as a real date"
        )
        self.fields["commentary_deadline"].error_messages.update(
            invalid="Enter the commentary deadline as a real date"
        )
        self.fields["lead"].queryset = assessors()
        self.fields["lead"].initial = user.pk
        self.fields["members"].queryset = assessors().exclude(pk=user.pk)
        framework = framework_current()
        if framework:
            self.fields["framework"].initial = framework.pk
        self.fields["framework"].label_from_instance = framework_label
        layout = [
            Field.select("trust"),
            Field.select("framework"),
            Field("site_visit_date"),
            Field("commentary_deadline"),
            Field.select("lead"),
            Field.checkboxes("members", legend_size=Size.SMALL),
        ]
        if policies.may_mark_pilot(user):
            layout.append(Field.checkbox("pilot"))
        else:
            del self.fields["pilot"]
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout, Button("submit", "Schedule the assessment"))
