"""Checked uploads: one allow-list, one size limit and one content sniff for every file.

A file is accepted only if its extension is on the list *and* its bytes are what the
extension says (a renamed .exe is refused), so what staff download is what the trust meant.
The file is stored under a generated name; the user's name for it is kept only as data.
Data files that are parsed (metric values, the trust registry) also meet the limits below
before pandas reads them: rows, columns, and for a workbook its unpacked size and sheets.
"""

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import TypeVar

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

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

# Limits on the data files that are parsed (metric values, the trust registry), checked
# before any parsing starts. Tests assert on the messages.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # what the upload pages accept
MAX_CSV_ROWS = 2_000_000  # metric values, one a line
MAX_TRUST_ROWS = 10_000  # England has about 220 trusts
MAX_XLSX_ROWS = 500_000  # openpyxl holds every cell of a sheet as an object
# pandas writes a row of four cells as about 220 bytes of XML: 100 MB holds ~450,000 rows.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_COMPRESSION_RATIO = 200  # real sheets pack 10-30 times; zeros pack 1,000 times
MAX_COLUMNS = 20
DIMENSION_PEEK_BYTES = 64 * 1024  # <dimension> comes near the start of a sheet's XML

TOO_MANY_ROWS = "the file has {rows:,} rows; at most {limit:,} can be loaded at once"
TOO_MANY_COLUMNS = "the file has {columns:,} columns; at most {limit} are accepted"
NOT_A_WORKBOOK = "the file is not an Excel workbook (it is not a zip archive)"
UNPACKS_TOO_BIG = (
    "the workbook unpacks to {mb:,} MB; at most {limit} MB is accepted "
    "(save a large file as CSV instead)"
)
PACKED_TOO_TIGHT = (
    "the workbook's {member} unpacks {ratio:,} times its packed size; at most {limit} times "
    "is accepted (this is how a zip bomb looks)"
)
NOT_ONE_SHEET = "the workbook has {count} sheets; it must have exactly one"
SHEET_TOO_BIG = (
    "the sheet says it holds {rows:,} rows below its header and {columns:,} columns; "
    "at most {limit:,} rows and {column_limit} columns are accepted"
)
WORKSHEET_PATH = re.compile(r"^xl/worksheets/[^/]+\.xml$")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")

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


@transaction.atomic
def upload_store(*, attachment: A, name: str, content: bytes, actor) -> A:
    """Check `content`, then save it and `attachment` (an unsaved row whose owner is set).

    The caller checks the actor's right first; this fills in the file's name, type, size
    and SHA-256 and writes the file under a generated name before the row is saved. The file
    goes to the database (core.storage), so both are saved or neither is.
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


class FileLimitError(ValueError):
    """A data file over one of the limits above; the message says which."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _lines_and_header(content: bytes | Path) -> tuple[int, bytes]:
    """Count the lines (a last line without a newline counts) without parsing anything."""
    if not isinstance(content, Path):
        header = content[: min(len(content), 1024 * 1024)].split(b"\n", 1)[0]
        return content.count(b"\n") + (not content.endswith(b"\n")), header
    lines, last = 0, b"\n"
    with content.open("rb") as handle:
        header = handle.readline(1024 * 1024)
        handle.seek(0)
        while chunk := handle.read(1024 * 1024):
            lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    return lines + (last != b"\n"), header


def csv_limits_check(content: bytes | Path, *, max_rows: int = MAX_CSV_ROWS) -> None:
    """Refuse a CSV file with too many rows or header columns before it is parsed."""
    lines, header = _lines_and_header(content)
    columns = header.count(b",") + 1  # a quoted comma over-counts, which only errs safe
    if columns > MAX_COLUMNS:
        raise FileLimitError(TOO_MANY_COLUMNS.format(columns=columns, limit=MAX_COLUMNS))
    if lines - 1 > max_rows:  # the header is not a row
        raise FileLimitError(TOO_MANY_ROWS.format(rows=lines - 1, limit=max_rows))


def xlsx_limits_check(content: bytes | Path, *, max_rows: int = MAX_XLSX_ROWS) -> None:
    """Refuse a workbook that would unpack too big, or is not one sheet of bounded size.

    Only the zip's directory and the start of the sheet are read. The sizes it declares
    can be trusted: `zipfile`, which openpyxl reads through, stops at the declared size.
    """
    source = content if isinstance(content, Path) else io.BytesIO(content)
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as error:
        raise FileLimitError(NOT_A_WORKBOOK) from error
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise FileLimitError(
                UNPACKS_TOO_BIG.format(mb=unpacked // 2**20, limit=MAX_XLSX_UNPACKED_BYTES // 2**20)
            )
        for member in members:
            ratio = member.file_size // max(member.compress_size, 1)
            if member.file_size > 2**20 and ratio > MAX_XLSX_COMPRESSION_RATIO:
                raise FileLimitError(
                    PACKED_TOO_TIGHT.format(
                        member=member.filename, ratio=ratio, limit=MAX_XLSX_COMPRESSION_RATIO
                    )
                )
        sheets = [member for member in members if WORKSHEET_PATH.match(member.filename)]
        if len(sheets) > 1:
            raise FileLimitError(NOT_ONE_SHEET.format(count=len(sheets)))
        if not sheets:
            return  # not a workbook openpyxl can read; it says so
        with archive.open(sheets[0]) as sheet:
            found = DIMENSION.search(sheet.read(DIMENSION_PEEK_BYTES))
    if found and found.group(4):
        rows = int(found.group(4)) - 1  # the header is not a row
        columns = _column_number(found.group(3).decode())
        if rows > max_rows or columns > MAX_COLUMNS:
            raise FileLimitError(
                SHEET_TOO_BIG.format(
                    rows=rows, columns=columns, limit=max_rows, column_limit=MAX_COLUMNS
                )
            )
