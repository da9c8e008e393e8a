"""Writing checked metric values in one transaction, then asking for the scores to be refreshed.

Writing is fast on PostgreSQL (docs/benchmarks.md): rows go to the server with binary `COPY`.
- Upsert (the general case): `COPY` into a temporary table, then one
  `INSERT ... ON CONFLICT DO UPDATE ... RETURNING (xmax = 0)` that tells creates from updates.
- Bulk (a load at least as big as the table, e.g. the first load): the table's indexes and
  foreign keys are dropped, the rows copied straight in, and the indexes and keys built again,
  the method PostgreSQL's "Populating a database" recommends. Rebuilding the primary key
  proves no row already existed; if one did, the step is rolled back and the upsert runs.
Elsewhere (SQLite, the embedded default) `bulk_create(update_conflicts=True)` does the same.
"""

import datetime
import io
import struct
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import DatabaseError, connection, transaction
from django.dispatch import Signal

from metrics.models import MetricValue

from .check import MetricValuesParsed
from .parse import Progress, no_progress

COPY_CHUNK_ROWS = 200_000

# Sent once the values are committed, so scores and benchmarks can be computed again.
metric_values_changed = Signal()  # kwargs: metric_ids (list[int]), periods (list[date])


@dataclass(frozen=True)
class MetricValuesLoadResult:
    created: int
    updated: int
    method: str  # "bulk", "upsert" or "orm": how the rows were written (for the benchmark)


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
    *, parsed: MetricValuesParsed, progress: Progress = no_progress
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
