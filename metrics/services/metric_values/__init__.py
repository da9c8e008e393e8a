"""Metric definitions from the fixture, and metric values from CSV or XLSX: all rows or none.

A values file goes through `parse` (reading it into a frame), `check` (every row, with the
error messages) and `write` (one transaction, then the signal that refreshes the scores);
`load` records the whole run on a DataLoad row. Import from here: the modules are how the
code is laid out, not an interface.
"""

from .check import (
    BAD_FLAG,
    BAD_PERIOD,
    DUPLICATE_KEY,
    EMPTY_FILE,
    MAX_REPORTED_ERRORS,
    MORE_ERRORS,
    NOT_NUMERIC,
    PERIOD_PATTERN,
    UNKNOWN_METRIC,
    UNKNOWN_TRUST,
    MetricValueRowError,
    MetricValuesParsed,
    metric_values_check,
)
from .definitions import (
    BAD_DEFINITION,
    DEFINITION_FIELDS,
    METRIC_DEFINITIONS_FIXTURE,
    metric_definitions_load,
)
from .load import metric_values_load_file, metric_values_load_run
from .parse import (
    ALLOWED_EXTENSIONS,
    METRIC_VALUE_COLUMNS,
    MISSING_COLUMNS,
    UNKNOWN_EXTENSION,
    UNREADABLE_FILE,
    Progress,
    metric_values_parse,
)
from .write import (
    COPY_CHUNK_ROWS,
    MetricValuesLoadResult,
    metric_values_changed,
    metric_values_write,
)

__all__ = [
    "ALLOWED_EXTENSIONS",
    "BAD_DEFINITION",
    "BAD_FLAG",
    "BAD_PERIOD",
    "COPY_CHUNK_ROWS",
    "DEFINITION_FIELDS",
    "DUPLICATE_KEY",
    "EMPTY_FILE",
    "MAX_REPORTED_ERRORS",
    "METRIC_DEFINITIONS_FIXTURE",
    "METRIC_VALUE_COLUMNS",
    "MISSING_COLUMNS",
    "MORE_ERRORS",
    "NOT_NUMERIC",
    "PERIOD_PATTERN",
    "UNKNOWN_EXTENSION",
    "UNKNOWN_METRIC",
    "UNKNOWN_TRUST",
    "UNREADABLE_FILE",
    "MetricValueRowError",
    "MetricValuesLoadResult",
    "MetricValuesParsed",
    "Progress",
    "metric_definitions_load",
    "metric_values_changed",
    "metric_values_check",
    "metric_values_load_file",
    "metric_values_load_run",
    "metric_values_parse",
    "metric_values_write",
]
