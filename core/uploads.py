"""Checked uploads: one allow-list, one size limit and one content sniff for every file.

A file is accepted only if its extension is on the list *and* its bytes are what the
extension says (a renamed .exe is refused), so what staff download is what the trust meant.
The file is stored under a generated name; the user's name for it is kept only as data.
"""

import hashlib
from pathlib import Path
from typing import TypeVar

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from .models import AbstractAttachment

FILE_TYPE = "The file must be a PDF, DOCX, XLSX, CSV, PNG or JPEG file."
FILE_CONTENT = "The file's content is not a {kind} file, although its name ends {extension}."
FILE_TOO_BIG = "The file must be smaller than {mb} MB."
FILE_EMPTY = "The file is empty."

ALLOWED_UPLOADS = {
    ".pdf": ("PDF", {"application/pdf"}),
    ".docx": ("Word", {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    ".xlsx": ("Excel", {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    ".csv": ("CSV", {"text/csv", "text/plain"}),
    ".png": ("PNG", {"image/png"}),
    ".jpg": ("JPEG", {"image/jpeg"}),
    ".jpeg": ("JPEG", {"image/jpeg"}),
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

A = TypeVar("A", bound=AbstractAttachment)


def upload_check(*, name: str, content: bytes) -> tuple[str, str]:
    """Return (extension, content type) of an allowed file, or raise with a clear message."""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_UPLOADS:
        raise ValidationError(FILE_TYPE, code="type")
    if not content:
        raise ValidationError(FILE_EMPTY, code="empty")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(FILE_TOO_BIG.format(mb=MAX_ATTACHMENT_BYTES // 2**20), code="size")
    kind, allowed_types = ALLOWED_UPLOADS[extension]
    if extension == ".csv":
        # NOTE: CSV has no magic number; text that decodes as UTF-8 is the best check there is.
        try:
            content[:65536].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                FILE_CONTENT.format(kind=kind, extension=extension), code="content"
            ) from error
        return extension, "text/csv"
    try:
        sniffed = {match.mime_type for match in puremagic.magic_string(content)}
    except puremagic.PureError:
        sniffed = set()
    if not sniffed & allowed_types:
        raise ValidationError(FILE_CONTENT.format(kind=kind, extension=extension), code="content")
    return extension, next(iter(allowed_types))


def upload_read(upload) -> tuple[str, bytes]:
    """Read an uploaded file (a form's or the API's) once it passes `upload_check`: the one
    check the pages and the API share. Return its name and bytes."""
    # NOTE: the size is checked before reading so a huge file is never held in memory.
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(FILE_TOO_BIG.format(mb=MAX_ATTACHMENT_BYTES // 2**20), code="size")
    content = upload.read()
    upload_check(name=upload.name, content=content)
    return upload.name, content


def upload_store(*, attachment: A, name: str, content: bytes, actor) -> A:
    """Check `content`, then save it and `attachment` (an unsaved row whose owner is set).

    The caller checks the actor's right first; this fills in the file's name, type, size
    and SHA-256 and writes the file under a generated name before the row is saved.
    """
    extension, content_type = upload_check(name=name, content=content)
    attachment.original_name = Path(name).name[:255]
    attachment.stored_name = attachment.new_stored_name(extension)
    attachment.content_type = content_type
    attachment.size = len(content)
    attachment.sha256 = hashlib.sha256(content).hexdigest()
    attachment.uploaded_by = actor
    attachment.file.save(attachment.stored_name, ContentFile(content), save=False)
    attachment.save()
    return attachment
