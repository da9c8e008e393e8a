"""Form fields every app's forms share."""

from django import forms

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
