"""Hostile data files are refused before they are parsed, each with a message; nothing loads.

The workbooks are built here with zipfile (a zip bomb is a few hundred KB that unpacks past
the limit), never committed.
"""

import io
import zipfile
from io import StringIO

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.uploads import (
    MAX_COLUMNS,
    MAX_CSV_ROWS,
    MAX_TRUST_ROWS,
    MAX_XLSX_COMPRESSION_RATIO,
    MAX_XLSX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    NOT_ONE_SHEET,
    PACKED_TOO_TIGHT,
    SHEET_TOO_BIG,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
    UNPACKS_TOO_BIG,
)
from metrics.models import DataLoad, MetricValue, Trust

SHEET = "xl/worksheets/sheet1.xml"
MB = 2**20


def workbook(**sheets) -> bytes:
    """A real workbook (pandas and openpyxl) with one sheet of two values per name given."""
    frame = pd.DataFrame(
        {
            "ods_code": ["RAA", "RBB"],
            "metric_code": ["ie_margin", "liquidity_days"],
            "period": ["2024-01", "2024-01"],
            "value": [-1.2, 3],
        }
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name in sheets or {"values": True}:
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def rezipped(content: bytes, *, sheet: bytes | None = None, padding: int = 0) -> bytes:
    """`content` with its first sheet's XML replaced, or padded with `padding` spaces."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != SHEET:
                target.writestr(member, source.read(member))
                continue
            with target.open(SHEET, "w", force_zip64=True) as out:
                out.write(sheet if sheet is not None else source.read(member))
                for _ in range(padding // MB):
                    out.write(b" " * MB)  # XML allows trailing white space
    return buffer.getvalue()


def upload(client, content, name):
    return client.post(reverse("metrics:metric_load"), {"file": SimpleUploadedFile(name, content)})


def upload_page(client, content, name, capture) -> str:
    with capture(execute=True):
        response = upload(client, content, name)
    return client.get(response["Location"]).content.decode()


def load_command(command, path) -> str:
    """Run a load command expected to refuse the file; return what it wrote to stderr."""
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command(command, str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def admin_client(client, admin_user, trust, other_trust, metric_definitions):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_a_zip_bomb_upload_is_refused_before_it_is_read(
    admin_client, django_capture_on_commit_callbacks
):
    bomb = rezipped(workbook(), padding=MAX_XLSX_UNPACKED_BYTES + MB)
    assert len(bomb) < MAX_XLSX_UNPACKED_BYTES // 100  # it arrives small
    page = upload_page(admin_client, bomb, "bomb.xlsx", django_capture_on_commit_callbacks)
    load = DataLoad.objects.get()
    assert load.status == DataLoad.Status.FAILED
    message = UNPACKS_TOO_BIG.format(mb=101, limit=100)
    assert load.errors == [message]
    assert "Nothing was loaded" in page
    assert "bomb.xlsx" in page
    assert message.replace("'", "&#x27;") in page
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_a_sheet_packed_like_a_zip_bomb_is_refused(tmp_path, trust, other_trust):
    content = rezipped(workbook(), padding=4 * MB)
    member = zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET)
    ratio = member.file_size // member.compress_size
    assert ratio > MAX_XLSX_COMPRESSION_RATIO
    path = tmp_path / "tight.xlsx"
    path.write_bytes(content)
    stderr = load_command("load_metrics", path)
    expected = PACKED_TOO_TIGHT.format(member=SHEET, ratio=ratio, limit=200)
    assert f"tight.xlsx: {expected}" in stderr
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_a_workbook_with_two_sheets_is_refused(admin_client, django_capture_on_commit_callbacks):
    content = workbook(values=True, more=True)
    page = upload_page(admin_client, content, "two.xlsx", django_capture_on_commit_callbacks)
    assert DataLoad.objects.get().errors == [NOT_ONE_SHEET.format(count=2)]
    assert NOT_ONE_SHEET.format(count=2) in page
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ref", "rows", "columns"),
    [(f"A1:D{MAX_XLSX_ROWS + 2}", MAX_XLSX_ROWS + 1, 4), ("A1:Z3", 2, 26)],
)
def test_a_sheet_that_declares_too_many_rows_or_columns_is_refused(
    tmp_path, trust, other_trust, ref, rows, columns
):
    content = workbook()
    sheet = zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    assert b'<dimension ref="A1:D3"' in sheet
    path = tmp_path / "tall.xlsx"
    path.write_bytes(rezipped(content, sheet=sheet.replace(b"A1:D3", ref.encode())))
    stderr = load_command("load_metrics", path)
    expected = SHEET_TOO_BIG.format(
        rows=rows, columns=columns, limit=MAX_XLSX_ROWS, column_limit=MAX_COLUMNS
    )
    assert f"tall.xlsx: {expected}" in stderr
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_a_csv_over_the_row_limit_is_refused(tmp_path, trust, other_trust, metric_definitions):
    path = tmp_path / "long.csv"
    path.write_bytes(b"ods_code,metric_code,period,value\n" + b"R,m,p,1\n" * (MAX_CSV_ROWS + 1))
    stderr = load_command("load_metrics", path)
    assert f"long.csv: {TOO_MANY_ROWS.format(rows=MAX_CSV_ROWS + 1, limit=MAX_CSV_ROWS)}" in (
        stderr
    )
    assert "long.csv: the file has 2,000,001 rows; at most 2,000,000" in stderr
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_a_csv_with_too_many_columns_is_refused(admin_client, django_capture_on_commit_callbacks):
    header = b"ods_code,metric_code,period,value" + b",x" * 40
    content = header + b"\nRAA,ie_margin,2024-01,1" + b",0" * 40 + b"\n"
    page = upload_page(admin_client, content, "wide.csv", django_capture_on_commit_callbacks)
    message = TOO_MANY_COLUMNS.format(columns=44, limit=MAX_COLUMNS)
    assert DataLoad.objects.get().errors == [message]
    assert message in page
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_a_trust_registry_over_its_row_limit_is_refused(tmp_path):
    path = tmp_path / "trusts.csv"
    rows = "".join(f"R{n:05d},Trust {n},acute,London,no\n" for n in range(MAX_TRUST_ROWS + 1))
    path.write_text("ods_code,name,trust_type,region,foundation_trust\n" + rows)
    stderr = load_command("load_trusts", path)
    assert TOO_MANY_ROWS.format(rows=MAX_TRUST_ROWS + 1, limit=MAX_TRUST_ROWS) in stderr
    assert not Trust.objects.exists()


@pytest.mark.django_db
def test_a_normal_workbook_still_loads(admin_client, django_capture_on_commit_callbacks):
    page = upload_page(admin_client, workbook(), "values.xlsx", django_capture_on_commit_callbacks)
    assert DataLoad.objects.get().status == DataLoad.Status.DONE
    assert "2 created, 0 updated" in page
    assert MetricValue.objects.count() == 2
