"""Load the trust registry from a CSV file: all rows or none."""

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.db import transaction

from core.uploads import MAX_TRUST_ROWS, FileLimitError, csv_limits_check
from metrics.models import Trust

from .peer_groups import (
    peer_groups_ensure_defaults,
    peer_groups_rules_apply,
    peer_recompute_if_changed,
    trust_cohorts,
)

TRUST_COLUMNS = ["ods_code", "name", "trust_type", "region", "foundation_trust"]
# What peer cohorts are drawn by (docs/peer_cohorts.md). Optional: a file without one of
# them leaves that attribute of known trusts as it is.
COHORT_COLUMNS = ["teaching", "pfi", "income_millions"]
MAX_INCOME_MILLIONS = Decimal("99999999.9")
# Optional: a file without it leaves every trust's system as it was.
SYSTEM_COLUMN = "system"
SYSTEM_MAX_LENGTH = 100
ODS_CODE_PATTERN = re.compile(r"^[A-Z0-9]{3,10}$")
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0", ""}

MISSING_COLUMNS = "the header must name the columns {expected}; missing: {missing}"
EMPTY_FILE = "the file has no rows to load"
UNREADABLE_FILE = "the file could not be read as CSV: {error}"
BAD_ODS_CODE = "ods_code {value!r} must be 3 to 10 capital letters or digits"
MISSING_NAME = "name is missing"
MISSING_REGION = "region is missing"
BAD_TRUST_TYPE = "trust_type {value!r} is not one of {choices}"
BAD_FOUNDATION = "foundation_trust {value!r} must be true or false"
BAD_TEACHING = "teaching {value!r} must be true or false"
BAD_PFI = "pfi {value!r} must be true or false"
BAD_INCOME = (
    "income_millions {value!r} must be the annual income in £ million, a number 0 or more "
    "with at most one decimal place (or blank if not known)"
)
DUPLICATE_CODE = "ods_code {value!r} appears again (first on line {first})"
SYSTEM_TOO_LONG = "system (the trust's ICS or STP) must be at most 100 characters; it has {count}"
SYSTEM_ONE_LINE = "system (the trust's ICS or STP) must be one line of text"


@dataclass(frozen=True)
class TrustRowError:
    """One thing wrong with the file; line 1 is the header."""

    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class TrustLoadResult:
    created: int
    updated: int


def trusts_parse(*, content: bytes) -> tuple[list[dict], list[TrustRowError]]:
    """Read and check every row; return the clean rows and every error found."""
    try:
        csv_limits_check(content, max_rows=MAX_TRUST_ROWS)
        frame = pd.read_csv(
            io.BytesIO(content), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except FileLimitError as exc:
        return [], [TrustRowError(0, str(exc))]
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        return [], [TrustRowError(0, UNREADABLE_FILE.format(error=exc))]
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    missing = [column for column in TRUST_COLUMNS if column not in frame.columns]
    if missing:
        message = MISSING_COLUMNS.format(
            expected=",".join(TRUST_COLUMNS), missing=", ".join(missing)
        )
        return [], [TrustRowError(1, message)]
    if frame.empty:
        return [], [TrustRowError(0, EMPTY_FILE)]

    rows, errors, first_line_of_code = [], [], {}
    type_choices = ", ".join(Trust.TrustType.values)
    present = [column for column in (*COHORT_COLUMNS, SYSTEM_COLUMN) if column in frame.columns]
    for offset, record in enumerate(frame[TRUST_COLUMNS + present].to_dict("records")):
        line = offset + 2  # the header is line 1
        values = {key: str(value).strip() for key, value in record.items()}
        code = values["ods_code"].upper()
        if not ODS_CODE_PATTERN.match(code):
            errors.append(TrustRowError(line, BAD_ODS_CODE.format(value=values["ods_code"])))
        elif code in first_line_of_code:
            first = first_line_of_code[code]
            errors.append(TrustRowError(line, DUPLICATE_CODE.format(value=code, first=first)))
        else:
            first_line_of_code[code] = line
        if not values["name"]:
            errors.append(TrustRowError(line, MISSING_NAME))
        if not values["region"]:
            errors.append(TrustRowError(line, MISSING_REGION))
        if values["trust_type"] not in Trust.TrustType.values:
            message = BAD_TRUST_TYPE.format(value=values["trust_type"], choices=type_choices)
            errors.append(TrustRowError(line, message))
        foundation = values["foundation_trust"].lower()
        if foundation not in TRUE_WORDS | FALSE_WORDS:
            errors.append(
                TrustRowError(line, BAD_FOUNDATION.format(value=values["foundation_trust"]))
            )
        row = {
            "ods_code": code,
            "name": values["name"],
            "trust_type": values["trust_type"],
            "region": values["region"],
            "foundation_trust": foundation in TRUE_WORDS,
        }
        row.update(_cohort_fields(values, line, errors))
        if SYSTEM_COLUMN in values:
            row["system"] = values["system"]
            errors += [TrustRowError(line, message) for message in _system_errors(values["system"])]
        rows.append(row)
    return (rows if not errors else []), errors


def _cohort_fields(values: dict, line: int, errors: list) -> dict:
    """The optional cohort attributes of one row, adding an error naming each bad field."""
    fields = {}
    for column, message in (("teaching", BAD_TEACHING), ("pfi", BAD_PFI)):
        if column not in values:
            continue
        word = values[column].lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            errors.append(TrustRowError(line, message.format(value=values[column])))
        fields[column] = word in TRUE_WORDS
    if "income_millions" in values:
        text = values["income_millions"].replace(",", "")
        try:
            income = Decimal(text) if text else None
        except InvalidOperation:
            income = Decimal(-1)
        if income is not None and (
            not income.is_finite()
            or income < 0
            or income > MAX_INCOME_MILLIONS
            or income != income.quantize(Decimal("0.1"))
        ):
            errors.append(TrustRowError(line, BAD_INCOME.format(value=values["income_millions"])))
        fields["income_millions"] = income
    return fields


def _system_errors(system: str) -> list[str]:
    if "\n" in system or "\r" in system:
        return [SYSTEM_ONE_LINE]
    if len(system) > SYSTEM_MAX_LENGTH:
        return [SYSTEM_TOO_LONG.format(count=len(system))]
    return []


@transaction.atomic
def trusts_load(*, rows: list[dict], actor=None) -> TrustLoadResult:
    """Create or update every trust in `rows` (already checked by `trusts_parse`), keep the
    peer cohorts in step, and queue the benchmarks' recompute if anyone's cohort changed."""
    before = trust_cohorts()
    existing = {trust.ods_code: trust for trust in Trust.objects.select_for_update()}
    to_create, to_update = [], []
    for row in rows:
        trust = existing.get(row["ods_code"])
        if trust is None:
            to_create.append(Trust(active=True, **row))
            continue
        for field, value in row.items():
            setattr(trust, field, value)
        to_update.append(trust)
    Trust.objects.bulk_create(to_create)
    fields = sorted({field for row in rows for field in row} - {"ods_code"})
    # NOTE: a row without an optional column keeps that attribute (bulk_update writes the
    # instance's current value, which this row did not change).
    Trust.objects.bulk_update(to_update, fields)
    peer_groups_ensure_defaults()
    peer_groups_rules_apply()
    peer_recompute_if_changed(before=before, reason="Trusts loaded", actor=actor)
    return TrustLoadResult(created=len(to_create), updated=len(to_update))
