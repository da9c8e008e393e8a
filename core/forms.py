"""Form fields every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError

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
        # NOTE: the size is checked before reading so a huge file is never held in memory.
        if upload.size > uploads.MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                uploads.FILE_TOO_BIG.format(mb=uploads.MAX_ATTACHMENT_BYTES // 2**20),
                code="size",
            )
        content = upload.read()
        uploads.upload_check(name=upload.name, content=content)
        return {"name": upload.name, "content": content}
