"""Metric definitions from the fixture, and metric values from CSV or XLSX: all rows or none.

A values file is long form, one value a row: `ods_code,metric_code,period,value` with the
period written `YYYY-MM`. The whole file is checked with pandas before anything is written;
the checks run on the distinct codes, not row by row, so a million rows take a second.

Writing is fast on PostgreSQL (docs/benchmarks.md): rows go to the server with binary `COPY`.
- Upsert (the general case): `COPY` into a temporary table, then one
  `INSERT ... ON CONFLICT DO UPDATE ... RETURNING (xmax = 0)` that tells creates from updates.
- Bulk (a load at least as big as the table, e.g. the first load): the table's indexes and
  foreign keys are dropped, the rows copied straight in, and the indexes and keys built again,
  the method PostgreSQL's "Populating a database" recommends. Rebuilding the primary key
  proves no row already existed; if one did, the step is rolled back and the upsert runs.
Elsewhere (SQLite, the embedded default) `bulk_create(update_conflicts=True)` does the same.
"""

import csv
import datetime
import io
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.dispatch import Signal
from django.utils import timezone

from metrics.models import DataLoad, MetricDefinition, MetricValue, Trust, User

METRIC_DEFINITIONS_FIXTURE = settings.BASE_DIR / "fixtures" / "metric_definitions.yaml"
DEFINITION_FIELDS = [
    "name",
    "area",
    "unit",
    "lower_is_better",
    "frequency",
    "source",
    "rationale",
    "reference",
]
METRIC_VALUE_COLUMNS = ["ods_code", "metric_code", "period", "value"]
ALLOWED_EXTENSIONS = (".csv", ".xlsx")
MAX_REPORTED_ERRORS = 50
COPY_CHUNK_ROWS = 200_000
PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# Messages. Tests assert on these; `line N: ` is put in front of the row messages.
BAD_DEFINITION = "metric definition {index} ({code}): {error}"
UNKNOWN_EXTENSION = "the file must be a .csv or .xlsx file, not {name!r}"
UNREADABLE_FILE = "the file could not be read as {kind}: {error}"
MISSING_COLUMNS = "the header must name the columns {expected}; missing: {missing}"
EMPTY_FILE = "the file has no rows to load"
UNKNOWN_TRUST = "unknown trust {value!r}"
UNKNOWN_METRIC = "unknown metric {value!r}"
BAD_PERIOD = "period {value!r} must be a month written YYYY-MM"
NOT_NUMERIC = "value {value!r} is not a number"
BAD_FLAG = "{metric} is a flag: value {value!r} must be 0 or 1"
DUPLICATE_KEY = "{ods_code} {metric_code} {period} appears again (first on line {first})"
MORE_ERRORS = "and {count} more rows with problems ({total} in all)"

# Sent once the values are committed, so scores and benchmarks can be computed again.
metric_values_changed = Signal()  # kwargs: metric_ids (list[int]), periods (list[date])


@dataclass(frozen=True)
class MetricValueRowError:
    """One thing wrong with the file; line 1 is the header, line 0 the file as a whole."""

    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class MetricValuesParsed:
    """The checked rows as arrays (empty when there are errors), or the first errors."""

    trust_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    metric_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    periods: np.ndarray = field(default_factory=lambda: np.empty(0, "datetime64[D]"))
    values: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    errors: list[MetricValueRowError] = field(default_factory=list)
    error_count: int = 0  # rows with problems (or 1 for a problem with the whole file)

    @property
    def row_count(self) -> int:
        return len(self.values)

    def error_lines(self) -> list[str]:
        """The first errors, then one line counting the rest."""
        lines = [str(error) for error in self.errors]
        if self.error_count > len(self.errors):
            more = self.error_count - len(self.errors)
            lines.append(MORE_ERRORS.format(count=more, total=self.error_count))
        return lines


@dataclass(frozen=True)
class MetricValuesLoadResult:
    created: int
    updated: int
    method: str  # "bulk", "upsert" or "orm": how the rows were written (for the benchmark)


Progress = Callable[[int, str], None]


def _no_progress(percent: int, stage: str) -> None:
    return None


# --- Definitions -------------------------------------------------------------------------


@transaction.atomic
def metric_definitions_load(*, path: Path = METRIC_DEFINITIONS_FIXTURE) -> tuple[int, int]:
    """Create or update every definition in the YAML fixture; return (created, updated)."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    existing = {definition.code: definition for definition in MetricDefinition.objects.all()}
    created = updated = 0
    for index, entry in enumerate(entries, start=1):
        code = str(entry.get("code", ""))
        definition = existing.get(code) or MetricDefinition(code=code)
        for name in DEFINITION_FIELDS:
            setattr(definition, name, entry.get(name, "" if name == "reference" else None))
        try:
            definition.full_clean()
        except ValidationError as exc:
            message = BAD_DEFINITION.format(index=index, code=code, error=exc.message_dict)
            raise ValidationError(message, code="bad_definition") from exc
        if definition.pk is None:
            created += 1
        else:
            updated += 1
        definition.save()
    return created, updated


# --- Reading and checking a values file -------------------------------------------------


def _file_error(message: str) -> MetricValuesParsed:
    return MetricValuesParsed(errors=[MetricValueRowError(0, message)], error_count=1)


def _read_csv(content: bytes) -> pd.DataFrame:
    """Read the four columns; try typed parsing first (fast), then everything as text."""
    header_line = content.split(b"\n", 1)[0].decode("utf-8-sig")
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
        frame = pd.read_csv(io.BytesIO(content), dtype=dtypes, **options)
        if np.isfinite(frame[columns[3]].to_numpy()).all():
            return frame.rename(columns=dict(zip(columns, METRIC_VALUE_COLUMNS, strict=True)))
    except ValueError:
        pass  # a value that is not a number, or a blank line: read as text to name it
    frame = pd.read_csv(io.BytesIO(content), dtype=str, **options)
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


def _read_xlsx(content: bytes) -> pd.DataFrame:
    frame = pd.read_excel(
        io.BytesIO(content), dtype=object, engine="openpyxl", keep_default_na=False
    )
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    return frame.apply(lambda column: column.map(_excel_text))


def _codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each row's index into the distinct raw texts (-1 for a blank cell), and the texts."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(np.int64), [str(u) for u in series.cat.categories]
    codes, uniques = pd.factorize(series.fillna(""), use_na_sentinel=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _lookup(codes: np.ndarray, per_unique: np.ndarray, missing) -> np.ndarray:
    """Spread a per-distinct-text array to rows; rows with code -1 get `missing`."""
    table = np.append(per_unique, np.array([missing], dtype=per_unique.dtype))
    return table[np.where(codes < 0, len(per_unique), codes)]


def _period_days(text: str) -> int:
    """Days from 2000-01-01 to the first of the month, or a huge negative for bad text."""
    match = PERIOD_PATTERN.match(text.strip())
    if not match:
        return -(2**31)
    first = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    return (first - datetime.date(2000, 1, 1)).days


BAD_DAYS = -(2**31)


def metric_values_parse(
    *, content: bytes, file_name: str, progress: Progress = _no_progress
) -> MetricValuesParsed:
    """Read and check every row of a CSV or XLSX file; return the rows or the errors."""
    extension = Path(file_name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        return _file_error(UNKNOWN_EXTENSION.format(name=file_name))
    progress(5, "Reading")
    kind = "CSV" if extension == ".csv" else "an Excel workbook"
    try:
        frame = _read_csv(content) if extension == ".csv" else _read_xlsx(content)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
        return _file_error(UNREADABLE_FILE.format(kind=kind, error=exc))
    except Exception as exc:
        return _file_error(UNREADABLE_FILE.format(kind=kind, error=exc))
    missing = [column for column in METRIC_VALUE_COLUMNS if column not in frame.columns]
    if missing:
        return _file_error(
            MISSING_COLUMNS.format(
                expected=",".join(METRIC_VALUE_COLUMNS), missing=", ".join(missing)
            )
        )
    progress(20, "Checking")
    return _check(frame)


def _check(frame: pd.DataFrame) -> MetricValuesParsed:
    lines = frame.index.to_numpy(np.int64) + 2  # the header is line 1
    trust_codes, trust_texts = _codes(frame["ods_code"])
    metric_codes, metric_texts = _codes(frame["metric_code"])
    period_codes, period_texts = _codes(frame["period"])
    if pd.api.types.is_float_dtype(frame["value"].dtype):
        values = frame["value"].to_numpy(np.float64)
        value_texts = None
    else:
        value_texts = frame["value"].fillna("").astype(str).str.strip()
        values = pd.to_numeric(value_texts, errors="coerce").to_numpy(np.float64)

    # Rows with nothing in them (blank lines) are skipped, keeping the others' line numbers.
    # Only text reading can meet one: a blank line makes typed reading fail.
    if value_texts is not None:

        def empty(codes, texts):
            return _lookup(codes, np.array([not t.strip() for t in texts], dtype=bool), True)

        blank = (
            (value_texts == "").to_numpy()
            & empty(trust_codes, trust_texts)
            & empty(metric_codes, metric_texts)
            & empty(period_codes, period_texts)
        )
        if blank.any():
            keep = ~blank
            lines, values, value_texts = lines[keep], values[keep], value_texts[keep]
            trust_codes, metric_codes = trust_codes[keep], metric_codes[keep]
            period_codes = period_codes[keep]
    if len(lines) == 0:
        return _file_error(EMPTY_FILE)

    trust_by_code = dict(Trust.objects.values_list("ods_code", "id"))
    metrics = {m.code: m for m in MetricDefinition.objects.only("id", "code", "unit")}
    trust_norm = [text.strip().upper() for text in trust_texts]
    metric_norm = [text.strip().lower() for text in metric_texts]
    trust_ids = _lookup(
        trust_codes, np.array([trust_by_code.get(t, -1) for t in trust_norm], np.int64), -1
    )
    metric_ids = _lookup(
        metric_codes,
        np.array([metrics[m].id if m in metrics else -1 for m in metric_norm], np.int64),
        -1,
    )
    is_flag = _lookup(
        metric_codes, np.array([m in metrics and metrics[m].is_flag for m in metric_norm]), False
    )
    days = _lookup(
        period_codes, np.array([_period_days(t) for t in period_texts], np.int64), BAD_DAYS
    )

    bad_trust = trust_ids < 0
    bad_metric = metric_ids < 0
    bad_period = days == BAD_DAYS
    bad_value = ~np.isfinite(values)
    bad_flag = is_flag & ~bad_value & (values != 0) & (values != 1)
    keyed = ~(bad_trust | bad_metric | bad_period)
    keys = pd.DataFrame({"t": trust_ids, "m": metric_ids, "d": days})
    duplicate = keyed & keys.duplicated(keep="first").to_numpy()
    bad = bad_trust | bad_metric | bad_period | bad_value | bad_flag | duplicate
    error_count = int(bad.sum())
    if not error_count:
        return MetricValuesParsed(
            trust_ids=trust_ids,
            metric_ids=metric_ids,
            periods=np.datetime64("2000-01-01", "D") + days.astype("timedelta64[D]"),
            values=values,
        )

    first_line_of = {}
    if duplicate.any():
        group = keys.groupby(["t", "m", "d"], sort=False).ngroup().to_numpy()
        _, first_rows = np.unique(group, return_index=True)
        first_line_of = {"group": group, "first_rows": first_rows}

    def text(codes, texts, row):
        return texts[codes[row]] if codes[row] >= 0 else ""

    errors = []
    for row in np.flatnonzero(bad)[:MAX_REPORTED_ERRORS]:
        problems = []
        ods, metric = text(trust_codes, trust_texts, row), text(metric_codes, metric_texts, row)
        period = text(period_codes, period_texts, row)
        if value_texts is not None:
            shown_value = value_texts.iloc[row]
        else:  # read as numbers: show 2.0 as the 2 the file most likely holds
            number = float(values[row])
            shown_value = str(int(number)) if number.is_integer() else repr(number)
        if bad_trust[row]:
            problems.append(UNKNOWN_TRUST.format(value=ods))
        if bad_metric[row]:
            problems.append(UNKNOWN_METRIC.format(value=metric))
        if bad_period[row]:
            problems.append(BAD_PERIOD.format(value=period))
        if bad_value[row]:
            problems.append(NOT_NUMERIC.format(value=shown_value))
        if bad_flag[row]:
            problems.append(BAD_FLAG.format(metric=metric.strip().lower(), value=shown_value))
        if duplicate[row]:
            first_row = first_line_of["first_rows"][first_line_of["group"][row]]
            problems.append(
                DUPLICATE_KEY.format(
                    ods_code=ods.strip().upper(),
                    metric_code=metric.strip().lower(),
                    period=period.strip(),
                    first=lines[first_row],
                )
            )
        errors.append(MetricValueRowError(int(lines[row]), "; ".join(problems)))
    return MetricValuesParsed(errors=errors, error_count=error_count)


# --- Writing --------------------------------------------------------------------------


PGCOPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
PGCOPY_TRAILER = struct.pack("!h", -1)
PGCOPY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("trust_len", ">i4"),
        ("trust", ">i8"),
        ("metric_len", ">i4"),
        ("metric", ">i8"),
        ("period_len", ">i4"),
        ("period", ">i4"),
        ("value_len", ">i4"),
        ("value", ">f8"),
    ]
)


def _binary_copy_chunks(parsed: MetricValuesParsed):
    """The rows in PostgreSQL's binary COPY format, a few hundred thousand at a time.

    Built with numpy rather than text: no number is formatted and parsed again.
    """
    rows = np.empty(parsed.row_count, dtype=PGCOPY_ROW)
    rows["fields"] = 4
    rows["trust_len"], rows["metric_len"], rows["period_len"], rows["value_len"] = 8, 8, 4, 8
    rows["trust"], rows["metric"], rows["value"] = (
        parsed.trust_ids,
        parsed.metric_ids,
        parsed.values,
    )
    epoch = np.datetime64("2000-01-01", "D")  # PostgreSQL's dates count days from here
    rows["period"] = (parsed.periods - epoch).astype(np.int64)
    for start in range(0, len(rows), COPY_CHUNK_ROWS):
        chunk = rows[start : start + COPY_CHUNK_ROWS]
        yield len(chunk), PGCOPY_HEADER + chunk.tobytes() + PGCOPY_TRAILER


def _can_copy() -> bool:
    """Binary COPY needs PostgreSQL through psycopg2 (`copy_expert`)."""
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


def _copy_into(cursor, table: str, parsed: MetricValuesParsed, progress: Progress, span) -> None:
    done, low, high = 0, span[0], span[1]
    columns = "(trust_id, metric_id, period, value)"
    for count, data in _binary_copy_chunks(parsed):
        cursor.copy_expert(
            f"COPY {table} {columns} FROM STDIN WITH (FORMAT binary)", io.BytesIO(data)
        )
        done += count
        progress(low + (high - low) * done // max(parsed.row_count, 1), "Saving")


def _table_keys_and_indexes(cursor, table: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The table's unique and foreign-key constraints and its other indexes, as SQL."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f', 'x') "
        "ORDER BY contype = 'f'",  # keys first, foreign keys last (they need the keys)
        [table],
    )
    constraints = [(name, definition) for name, definition, _ in cursor.fetchall()]
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)",
        [table],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    return constraints, indexes


def _write_bulk(cursor, table: str, parsed: MetricValuesParsed, progress: Progress) -> None:
    """Drop keys and indexes, copy the rows in, build them again (fails on any clash)."""
    quote = connection.ops.quote_name
    constraints, indexes = _table_keys_and_indexes(cursor, table)
    for name, _ in reversed(constraints):
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for definition in indexes:
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        cursor.execute(f"DROP INDEX {name}")
    _copy_into(cursor, quote(table), parsed, progress, (40, 85))
    progress(85, "Building indexes")
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for definition in indexes:
        cursor.execute(definition)


def _write_upsert(cursor, table: str, parsed: MetricValuesParsed, progress: Progress):
    """Copy into a temporary table, then insert or update from it in one statement."""
    cursor.execute(
        "CREATE TEMPORARY TABLE metric_value_load "
        "(trust_id bigint, metric_id bigint, period date, value double precision) "
        "ON COMMIT DROP"
    )
    _copy_into(cursor, "metric_value_load", parsed, progress, (40, 70))
    progress(70, "Saving")
    quote = connection.ops.quote_name
    cursor.execute(
        f"WITH written AS ("  # noqa: S608 (table name from the model, not from input)
        f" INSERT INTO {quote(table)} (trust_id, metric_id, period, value)"
        f" SELECT trust_id, metric_id, period, value FROM metric_value_load"
        f" ON CONFLICT (trust_id, metric_id, period) DO UPDATE SET value = EXCLUDED.value"
        f" RETURNING (xmax = 0) AS inserted)"
        f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)"
        f" FROM written"
    )
    created, updated = cursor.fetchone()
    cursor.execute("DROP TABLE metric_value_load")
    return created, updated


def _write_orm(parsed: MetricValuesParsed) -> tuple[int, int]:
    """The portable path: look up which keys exist, then insert or update in batches."""
    periods = [d.astype(datetime.date) for d in np.unique(parsed.periods)]
    existing = pd.DataFrame(
        MetricValue.objects.filter(
            trust_id__in=np.unique(parsed.trust_ids).tolist(),
            metric_id__in=np.unique(parsed.metric_ids).tolist(),
            period__in=periods,
        ).values_list("trust_id", "metric_id", "period"),
        columns=["t", "m", "d"],
    )
    incoming = pd.DataFrame(
        {"t": parsed.trust_ids, "m": parsed.metric_ids, "d": parsed.periods.astype(object)}
    )
    updated = len(incoming.merge(existing, on=["t", "m", "d"])) if len(existing) else 0
    rows = [
        MetricValue(trust_id=int(t), metric_id=int(m), period=d, value=float(v))
        for t, m, d, v in zip(
            parsed.trust_ids, parsed.metric_ids, incoming["d"], parsed.values, strict=True
        )
    ]
    MetricValue.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["trust", "metric", "period"],
        update_fields=["value"],
    )
    return parsed.row_count - updated, updated


def metric_values_write(
    *, parsed: MetricValuesParsed, progress: Progress = _no_progress
) -> MetricValuesLoadResult:
    """Insert or update every checked row in one transaction."""
    table = MetricValue._meta.db_table
    with transaction.atomic():
        if not _can_copy():
            created, updated = _write_orm(parsed)
            method = "orm"
        else:
            with connection.cursor() as cursor:
                # NOTE: writers queue behind this lock; readers carry on until the bulk
                # path's ALTER TABLE, which holds them for the seconds the load takes.
                cursor.execute(
                    f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE"
                )
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT %s) AS s",  # noqa: E501, S608
                    [parsed.row_count],
                )
                method = "upsert"
                if cursor.fetchone()[0] < parsed.row_count:
                    try:
                        with transaction.atomic():
                            _write_bulk(cursor, table, parsed, progress)
                        method = "bulk"
                        created, updated = parsed.row_count, 0
                    except DatabaseError:
                        pass  # a key already existed (or keys are held elsewhere): upsert
                if method == "upsert":
                    created, updated = _write_upsert(cursor, table, parsed, progress)
        metric_ids = sorted(set(parsed.metric_ids.tolist()))
        periods = [d.astype(datetime.date) for d in np.unique(parsed.periods)]
        transaction.on_commit(
            lambda: metric_values_changed.send(
                sender=MetricValue, metric_ids=metric_ids, periods=periods
            )
        )
    progress(100, "Done")
    return MetricValuesLoadResult(created=created, updated=updated, method=method)


# --- Loads, recorded as DataLoad rows ---------------------------------------------------


def _load_progress(load: DataLoad, outer: Progress) -> Progress:
    """Report progress to `outer` and on the load's row, where the status page reads it.

    On PostgreSQL the row is written on a connection of its own, so the page sees the
    progress while the load's transaction is still open.
    """
    side = None
    if connection.vendor == "postgresql" and load.pk:
        side = connections.create_connection(DEFAULT_DB_ALIAS)

    def report(percent: int, stage: str) -> None:
        outer(percent, stage)
        if side is not None and percent < 100:
            with side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {DataLoad._meta.db_table} SET progress = %s WHERE id = %s",  # noqa: S608
                    [percent, load.pk],
                )

    report.close = side.close if side is not None else (lambda: None)
    return report


def metric_values_load_run(
    *,
    load: DataLoad,
    content: bytes | None = None,
    progress: Progress = _no_progress,
) -> tuple[DataLoad, MetricValuesLoadResult | None]:
    """Check and write one values file, recording the outcome on `load`."""
    report = _load_progress(load, progress)
    try:
        data = bytes(load.content) if content is None else content
        parsed = metric_values_parse(content=data, file_name=load.file_name, progress=report)
        result = None
        if parsed.errors:
            load.status, load.errors = DataLoad.Status.FAILED, parsed.error_lines()
            load.error_count = parsed.error_count
        else:
            report(40, "Saving")
            result = metric_values_write(parsed=parsed, progress=report)
            load.status = DataLoad.Status.DONE
            load.created_count, load.updated_count = result.created, result.updated
    finally:
        report.close()
    load.progress, load.finished_at = 100, timezone.now()
    load.save()
    return load, result


def metric_values_load_file(
    *,
    content: bytes,
    file_name: str,
    uploaded_by: User | None = None,
    progress: Progress = _no_progress,
) -> tuple[DataLoad, MetricValuesLoadResult | None]:
    """Load a file given on the command line; the load is recorded like an upload.

    The file's bytes are not kept on the row: the file is still where the admin left it.
    """
    load = DataLoad.objects.create(
        kind=DataLoad.Kind.METRICS,
        file_name=file_name[:255],
        content=b"",
        uploaded_by=uploaded_by,
        status=DataLoad.Status.RUNNING,
    )
    return metric_values_load_run(load=load, content=content, progress=progress)
