"""Checking the rows of a values file, and the row and field error messages.

The whole file is checked with pandas before anything is written; the checks run on the
distinct codes, not row by row, so a million rows take a second.
"""

import datetime
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics.models import MetricDefinition, Trust

MAX_REPORTED_ERRORS = 50
PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# Messages. Tests assert on these; `line N: ` is put in front of the row messages.
EMPTY_FILE = "the file has no rows to load"
UNKNOWN_TRUST = "unknown trust {value!r}"
UNKNOWN_METRIC = "unknown metric {value!r}"
BAD_PERIOD = "period {value!r} must be a month written YYYY-MM"
NOT_NUMERIC = "value {value!r} is not a number"
BAD_FLAG = "{metric} is a flag: value {value!r} must be 0 or 1"
DUPLICATE_KEY = "{ods_code} {metric_code} {period} appears again (first on line {first})"
MORE_ERRORS = "and {count} more rows with problems ({total} in all)"


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

    trust_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # or int32
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


def file_error(message: str) -> MetricValuesParsed:
    return MetricValuesParsed(errors=[MetricValueRowError(0, message)], error_count=1)


def _codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each row's index into the distinct raw texts (-1 for a blank cell), and the texts."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        # The codes' own small type (int8 or int16): a million rows cost 1-2 MB, not 8.
        return series.cat.codes.to_numpy(), [str(u) for u in series.cat.categories]
    codes, uniques = pd.factorize(series.fillna(""), use_na_sentinel=True)
    return codes, [str(u) for u in uniques]


def _lookup(codes: np.ndarray, per_unique: np.ndarray, missing) -> np.ndarray:
    """Spread a per-distinct-text array to rows; rows with code -1 get `missing`."""
    table = np.append(per_unique, np.array([missing], dtype=per_unique.dtype))
    return table[codes]  # code -1 picks the last entry: `missing`


def _period_days(text: str) -> int:
    """Days from 2000-01-01 to the first of the month, or a huge negative for bad text."""
    match = PERIOD_PATTERN.match(text.strip())
    if not match:
        return -(2**31)
    first = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    return (first - datetime.date(2000, 1, 1)).days


BAD_DAYS = -(2**31)


def _id_type(ids: list[int]) -> type:
    """int32 where every id fits (half the memory of a million rows), else int64."""
    return np.int32 if max(ids, default=0) < 2**31 else np.int64


def _days_as_dates(days: np.ndarray) -> np.ndarray:
    """Days from 2000-01-01 as dates, in place (numpy counts from 1970-01-01): no copy."""
    days += (datetime.date(2000, 1, 1) - datetime.date(1970, 1, 1)).days
    return days.view("datetime64[D]")


def _duplicated(keyed: np.ndarray, trust_ids, metric_ids, days) -> np.ndarray:
    """True for each keyed row whose (trust, metric, month) an earlier row already has.

    The three are packed into one int64 where they fit: one hash table of a million
    numbers, not a frame of three columns (a third of the memory). Rows without a whole
    key get a negative number of their own, so they match nothing.
    """
    every = keyed.all()
    t, m, d = (
        (trust_ids, metric_ids, days)
        if every
        else (a[keyed] for a in (trust_ids, metric_ids, days))
    )
    if len(t) and (t.max() >= 2**23 or m.max() >= 2**16 or np.abs(d).max() >= 2**23):
        keys = pd.DataFrame({"t": trust_ids, "m": metric_ids, "d": days})
        return keyed & keys.duplicated(keep="first").to_numpy()
    packed = t.astype(np.int64)
    packed <<= 40
    part = m.astype(np.int64)  # one scratch array, used twice
    part <<= 24
    packed |= part
    packed |= np.add(d, 2**23, out=part)
    del part
    if not every:
        key_or_row = -np.arange(1, len(keyed) + 1, dtype=np.int64)
        key_or_row[keyed] = packed
        packed = key_or_row
    packed.sort()  # in place: equal keys side by side, no hash table in the usual case
    if not (packed[1:] == packed[:-1]).any():
        return np.zeros(len(keyed), dtype=bool)
    keys = pd.DataFrame({"t": trust_ids, "m": metric_ids, "d": days})
    return keyed & keys.duplicated(keep="first").to_numpy()


def metric_values_check(*, frame: pd.DataFrame) -> MetricValuesParsed:
    """Check every row of a frame read by `parse`; return the rows as arrays or the errors."""
    lines = frame.index.to_numpy(np.int32) + 2  # the header is line 1
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
        return file_error(EMPTY_FILE)

    trust_by_code = dict(Trust.objects.values_list("ods_code", "id"))
    metrics = {m.code: m for m in MetricDefinition.objects.only("id", "code", "unit")}
    trust_norm = [text.strip().upper() for text in trust_texts]
    metric_norm = [text.strip().lower() for text in metric_texts]
    trust_table = [trust_by_code.get(t, -1) for t in trust_norm]
    metric_table = [metrics[m].id if m in metrics else -1 for m in metric_norm]
    trust_ids = _lookup(trust_codes, np.array(trust_table, _id_type(trust_table)), -1)
    metric_ids = _lookup(
        metric_codes,
        np.array(metric_table, _id_type(metric_table)),
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
    duplicate = _duplicated(keyed, trust_ids, metric_ids, days)
    bad = bad_trust | bad_metric | bad_period | bad_value | bad_flag | duplicate
    error_count = int(bad.sum())
    if not error_count:
        return MetricValuesParsed(
            trust_ids=trust_ids,
            metric_ids=metric_ids,
            periods=_days_as_dates(days),
            values=values,
        )

    first_line_of = {}
    if duplicate.any():
        keys = pd.DataFrame({"t": trust_ids, "m": metric_ids, "d": days})
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
