"""Form fields every app's forms share."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from . import uploads

FILE_HELP = "PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG, smaller than {mb} MB."


class AttachmentField(forms.FileField):
    """An optional file checked against the allow-list, size limit and its content."""

    def __init__(self, **kwargs):
        mb = uploads.MAX_ATTACHMENT_BYTES // 2**20
        kwargs.setdefault("help_text", FILE_HELP.format(mb=mb))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        name, content = uploads.upload_read(upload)
        return {"name": name, "content": content}


class Select(forms.Select):
    """A select of plain options (months, regions) written in one pass.

    NOTE: Django renders each option through a template; a list of three years of months
    cost a tenth of a metrics pack's time. Groups are not supported: none of ours has any.
    The class keeps the name `Select`: crispy-forms-gds picks the GOV.UK classes (and the
    error class) by the widget's class name.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


PAGE_REFUSED = "The page of results must be a whole number from 1 to 100,000"


class SearchForm(forms.Form):
    """The search box's words, and on a kind's own pages the kind and the page number."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search terms must be %(limit_value)d characters or fewer"},
    )
    kind = forms.CharField(required=False)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), PAGE_REFUSED),
    )
