"""Forms of the metrics app. Every form renders through crispy forms (GOV.UK template pack)."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from core import forms as core_forms
from core import text_limits
from core.uploads import MAX_UPLOAD_BYTES
from metrics.models import ModerationStatus, SecurityEvent, Trust
from metrics.services.moderation import CONFIRM, SET_ANOTHER

NOT_CSV = "The file must be a CSV file (ending .csv)."
NOT_CSV_OR_XLSX = "The file must be a CSV file (ending .csv) or an Excel workbook (ending .xlsx)."
TOO_BIG = "The file must be smaller than {mb} MB."
EMPTY_UPLOAD = "The file is empty."
CODE_FORMAT = "Enter the 6-digit code from your app, or one of your recovery codes."


def gds_helper(*fields, submit: str, method: str = "post") -> FormHelper:
    """A helper that lays out `fields` in order with one primary button."""
    helper = FormHelper()
    helper.form_method = method
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class SignInForm(auth_forms.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.helper = gds_helper(
            Field.text("username", field_width=Fluid.ONE_THIRD),
            Field.text("password", field_width=Fluid.ONE_THIRD),
            submit="Sign in",
        )


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or a recovery code.",
        max_length=16,
        error_messages={"required": "Enter your security code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("token", field_width=Fixed.TEN), submit=submit)

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isalnum():
            raise ValidationError(CODE_FORMAT, code="format")
        return token


class GdsPasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("old_password", field_width=Fluid.ONE_THIRD),
            Field.text("new_password1", field_width=Fluid.ONE_THIRD),
            Field.text("new_password2", field_width=Fluid.ONE_THIRD),
            submit="Change password",
        )


class GdsPasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.helper = gds_helper(
            Field.text("email", field_width=Fluid.ONE_HALF), submit="Send reset link"
        )


class GdsSetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("new_password1", field_width=Fluid.ONE_THIRD),
            Field.text("new_password2", field_width=Fluid.ONE_THIRD),
            submit="Set password",
        )


class TrustFileForm(forms.Form):
    file = forms.FileField(
        label="Trusts CSV file",
        help_text="Columns: ods_code, name, trust_type, region, foundation_trust.",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("file"), submit="Upload and load")
        self.helper.form_enctype = "multipart/form-data"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(NOT_CSV, code="extension")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(TOO_BIG.format(mb=MAX_UPLOAD_BYTES // 2**20), code="size")
        if upload.size == 0:
            raise ValidationError(EMPTY_UPLOAD, code="empty")
        return upload


class MetricValuesFileForm(forms.Form):
    file = forms.FileField(
        label="Metric values file (CSV or Excel)",
        help_text="Columns: ods_code, metric_code, period (YYYY-MM), value.",
        error_messages={"required": "Choose a CSV or Excel file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("file"), submit="Upload and load")
        self.helper.form_enctype = "multipart/form-data"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(NOT_CSV_OR_XLSX, code="extension")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(TOO_BIG.format(mb=MAX_UPLOAD_BYTES // 2**20), code="size")
        if upload.size == 0:
            raise ValidationError(EMPTY_UPLOAD, code="empty")
        return upload


class SecurityEventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Event", choices=[("", "Any event"), *SecurityEvent.Kind.choices], required=False
    )
    username = forms.CharField(label="Username", required=False, max_length=150)
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.select("kind"),
            Field.text("username", field_width=Fluid.ONE_THIRD),
            Field.text("date_from", field_width=Fixed.TEN),
            Field.text("date_to", field_width=Fixed.TEN),
            submit="Filter",
            method="get",
        )
        self.helper.form_tag = True


INVALID_PERIOD = "Choose a month from the list."


def period_choices(periods) -> list[tuple[str, str]]:
    return [(f"{period:%Y-%m}", f"{period:%B %Y}") for period in periods]


def period_from_choice(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(f"{value}-01") if value else None


class MetricsPackForm(forms.Form):
    """The month of a metrics pack, chosen from the months the trust has values for."""

    period = forms.ChoiceField(label="Month", required=False, widget=core_forms.Select)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(periods)
        self.fields["period"].error_messages["invalid_choice"] = INVALID_PERIOD
        self.helper = gds_helper(Field.select("period"), submit="Show month", method="get")

    def clean_period(self):
        return period_from_choice(self.cleaned_data["period"])


class FinanceScoreFilterForm(forms.Form):
    """The sector page's month, filters and order."""

    SORTS = [
        ("name", "Trust name"),
        ("score", "Finance score, best first"),
        ("-score", "Finance score, worst first"),
    ]

    period = forms.ChoiceField(label="Month", required=False, widget=core_forms.Select)
    region = forms.ChoiceField(label="Region", required=False)
    trust_type = forms.ChoiceField(label="Trust type", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)

    def __init__(self, *args, periods=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(periods)
        self.fields["period"].error_messages["invalid_choice"] = INVALID_PERIOD
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]
        self.fields["trust_type"].choices = [("", "All types"), *Trust.TrustType.choices]
        self.helper = gds_helper(
            Field.select("period"),
            Field.select("region"),
            Field.select("trust_type"),
            Field.select("sort"),
            submit="Show scores",
            method="get",
        )

    def clean_period(self):
        return period_from_choice(self.cleaned_data["period"])


class ContextNoteForm(forms.Form):
    """The context beside one metric of one trust; empty removes it."""

    text = forms.CharField(
        label="Context",
        help_text=(
            "What a reader of this figure should know that the figure does not show, such as "
            "a cost outside the trust's control. Leave it empty to remove the note."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Context must be 2,000 characters or fewer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("text", max_characters=2000), submit="Save context")


OUTCOME_REQUIRED = "Choose whether to confirm the proposal or set another score"
SCORE_CHOICES = [(1, "1 (best)"), (2, "2"), (3, "3"), (4, "4 (worst)")]


class ModerationDecisionForm(forms.Form):
    """Confirm the proposed finance score or set another; the service checks the reason."""

    outcome = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        error_messages={"required": OUTCOME_REQUIRED},
    )
    score = forms.TypedChoiceField(
        label="Finance score to set",
        help_text="Only when you set another score.",
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Required when you set another score; optional when you confirm the proposal.",
        required=False,
        max_length=text_limits.SHORT_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposal_seen = forms.CharField(widget=forms.HiddenInput, max_length=400)

    def __init__(self, *args, proposed: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (CONFIRM, f"Confirm the proposal: finance score {proposed}"),
            (SET_ANOTHER, "Set another score"),
        ]
        self.helper = gds_helper(
            Field.radios("outcome", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.radios("score", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", field_width=Fluid.TWO_THIRDS),
            Field("proposal_seen"),
            submit="Record the decision",
        )


class ModerationFilterForm(forms.Form):
    """The moderation list's filter: what is waiting, or one kind of it."""

    STATUSES = [
        ("", "Everything to decide"),
        ("changed", ModerationStatus.CHANGED.label.capitalize()),
        ("proposed", ModerationStatus.PROPOSED.label.capitalize()),
    ]
    status = forms.ChoiceField(label="Show", choices=STATUSES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.select("status"), submit="Show", method="get")
