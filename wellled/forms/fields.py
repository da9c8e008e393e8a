"""Build the well-led forms the same way: one crispy-forms helper with the GOV.UK pack, and
date and text fields whose error messages name what is missing."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms

from core import text_limits

DATE_REQUIRED = "Enter the {what}"
DATE_INVALID = "Enter the {what} as a real date"
TEXT_REQUIRED = "Enter the {what}"
CHOICE_REQUIRED = "Choose the {what}"


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
        max_length=text_limits.PASSAGE,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": TEXT_REQUIRED.format(what=what)},
    )
