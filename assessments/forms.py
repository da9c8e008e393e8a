"""Forms of the assessments app. Every form renders through crispy forms (GOV.UK pack)."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from metrics.models import Role, Trust, User

from .models import Framework


def assessors():
    return User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("username")


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
        framework = Framework.objects.filter(code="uor-2017-acute").first()
        if framework:
            self.fields["framework"].initial = framework.pk
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("trust"),
            Field.select("framework"),
            Field("site_visit_date"),
            Field("commentary_deadline"),
            Field.select("lead"),
            Field.checkboxes("members", legend_size=Size.SMALL),
            Button("submit", "Schedule the assessment"),
        )


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note (reasons, if any)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, action: str = "", label: str = "", **kwargs):
        super().__init__(*args, initial={"action": action}, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("action"), Field.textarea("note", field_width=Fluid.TWO_THIRDS)
        )
