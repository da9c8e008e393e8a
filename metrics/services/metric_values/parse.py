"""Reading a values file (CSV or XLSX) into a frame of text or typed columns.

A values file is long form, one value a row: `ods_code,metric_code,period,value` with the
period written `YYYY-MM`. Problems with the file as a whole (its kind, its encoding, its
header) are found here; the rows are checked by `check`.
"""

import csv
import datetime
import io
from pathlib import Path

import numpy as np
import pandas as pd

from core.uploads import FileLimitError, csv_limits_check, xlsx_limits_check
from metrics.services.metric_values_changed import Progress, no_progress

from .check import MetricValuesParsed, file_error, metric_values_check

METRIC_VALUE_COLUMNS = ["ods_code", "metric_code", "period", "value"]
ALLOWED_EXTENSIONS = (".csv", ".xlsx")

# Messages about the file as a whole. Tests assert on these.
UNKNOWN_EXTENSION = "the file must be a .csv or .xlsx file, not {name!r}"
UNREADABLE_FILE = "the file could not be read as {kind}: {error}"
MISSING_COLUMNS = "the header must name the columns {expected}; missing: {missing}"


def _source(content: bytes | Path):
    """What pandas reads: a file on disk is read from there, in pieces, never held whole."""
    return content if isinstance(content, Path) else io.BytesIO(content)


def _first_line(content: bytes | Path) -> bytes:
    if isinstance(content, Path):
        with content.open("rb") as handle:
            return handle.readline().rstrip(b"\n")
    return content.split(b"\n", 1)[0]


def _read_csv(content: bytes | Path) -> pd.DataFrame:
    """Read the four columns; try typed parsing first (fast), then everything as text."""
    header_line = _first_line(content).decode("utf-8-sig")
    header = next(csv.reader([header_line]), [])
    by_name = {name.strip().lower(): name for name in header}
    if not all(column in by_name for column in METRIC_VALUE_COLUMNS):
        return pd.DataFrame(columns=header)  # reported as missing columns by the caller
    columns = [by_name[column] for column in METRIC_VALUE_COLUMNS]
    options = {
        "usecols": columns,
        "keep_default_na": False,
        "skip_blank_lines": False,
        "encoding": "utf-8-sig",
    }
    try:
        dtypes = dict(zip(columns, ["category", "category", "category", "float64"], strict=True))
        frame = pd.read_csv(_source(content), dtype=dtypes, **options)
        if np.isfinite(frame[columns[3]].to_numpy()).all():
            return frame.rename(columns=dict(zip(columns, METRIC_VALUE_COLUMNS, strict=True)))
    except ValueError:
        pass  # a value that is not a number, or a blank line: read as text to name it
    frame = pd.read_csv(_source(content), dtype=str, **options)
    return frame.rename(columns=dict(zip(columns, METRIC_VALUE_COLUMNS, strict=True)))


def _excel_text(value) -> str:
    """A cell as text; a date cell (Excel turns 2024-01 into a date) as YYYY-MM."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, datetime.datetime | datetime.date | pd.Timestamp):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes | Path) -> pd.DataFrame:
    frame = pd.read_excel(_source(content), dtype=object, engine="openpyxl", keep_default_na=False)
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    return frame.apply(lambda column: column.map(_excel_text))


def metric_values_parse(
    *, content: bytes | Path, file_name: str, progress: Progress = no_progress
) -> MetricValuesParsed:
    """Read and check every row of a CSV or XLSX file; return the rows or the errors.

    `content` is the file's bytes (an upload) or its path (the command line).
    """
    extension = Path(file_name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        return file_error(UNKNOWN_EXTENSION.format(name=file_name))
    progress(5, "Reading")
    kind = "CSV" if extension == ".csv" else "an Excel workbook"
    try:
        # NOTE: the limits are checked before pandas reads anything: a zip bomb or a
        # ten-million-row file is refused in milliseconds, not after it fills the worker.
        if extension == ".csv":
            csv_limits_check(content)
        else:
            xlsx_limits_check(content)
        frame = _read_csv(content) if extension == ".csv" else _read_xlsx(content)
    except FileLimitError as exc:
        return file_error(str(exc))
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
        return file_error(UNREADABLE_FILE.format(kind=kind, error=exc))
    except Exception as exc:
        return file_error(UNREADABLE_FILE.format(kind=kind, error=exc))
    missing = [column for column in METRIC_VALUE_COLUMNS if column not in frame.columns]
    if missing:
        return file_error(
            MISSING_COLUMNS.format(
                expected=",".join(METRIC_VALUE_COLUMNS), missing=", ".join(missing)
            )
        )
    progress(20, "Checking")
    return metric_values_check(frame=frame)
