"""Writing checked metric values in one transaction, then announcing the months that changed.

Only rows that are new or whose value differs are written: the file's keys are compared
with the stored values (read back with binary `COPY ... TO` on PostgreSQL) in numpy, so an
identical re-load writes nothing and refreshes nothing. On PostgreSQL (docs/benchmarks.md):
- Upsert (the general case): the new and changed rows go by binary `COPY` into a temporary
  table, then one `INSERT ... ON CONFLICT DO UPDATE`.
- Bulk (more new rows than the table holds, e.g. the first load): the table's indexes and
  keys are dropped, the rows copied straight in, and the indexes and keys built again, the
  method PostgreSQL's "Populating a database" recommends. If rebuilding the key fails, the
  step is rolled back and the upsert runs.
Elsewhere (SQLite, the embedded default) `bulk_create(update_conflicts=True)` does the same.
"""

import datetime
import io
import struct
from dataclasses import dataclass

import numpy as np
from django.db import DatabaseError, connection, transaction

from metrics.models import MetricValue
from metrics.services.bulk_tables import without_keys_and_indexes
from metrics.services.metric_values_changed import metric_values_changed

from .check import MetricValuesParsed
from .parse import Progress, no_progress

COPY_CHUNK_ROWS = 100_000
COMPARING = "Comparing with stored values"

__all__ = ["COPY_CHUNK_ROWS", "MetricValuesLoadResult", "metric_values_changed"]


@dataclass(frozen=True)
class MetricValuesLoadResult:
    created: int
    updated: int
    method: str  # "bulk", "upsert", "orm" or "none": how rows were written (for benchmarks)
    unchanged: int = 0
    periods: tuple[datetime.date, ...] = ()  # the months with a created or changed value


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
PG_EPOCH = np.datetime64("2000-01-01", "D")  # PostgreSQL's dates count days from here


def _dates(days: np.ndarray) -> np.ndarray:
    return PG_EPOCH + days.astype("timedelta64[D]")


@dataclass
class Rows:
    """Rows as parallel arrays; periods as days since PostgreSQL's epoch."""

    trust_ids: np.ndarray
    metric_ids: np.ndarray
    days: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.values)

    def take(self, which: np.ndarray) -> "Rows":
        if which.all():
            return self
        return Rows(
            self.trust_ids[which], self.metric_ids[which], self.days[which], self.values[which]
        )

    def fits_packed_key(self) -> bool:
        """Trust ids under 2**23, metric ids under 2**16, months within 22,000 years."""
        return not len(self) or (
            self.trust_ids.max() < 2**23
            and self.metric_ids.max() < 2**16
            and np.abs(self.days).max() < 2**23
        )

    def packed_keys(self) -> np.ndarray:
        """One int64 per (trust, metric, month), ordered like the primary key (`KEY_SQL`)."""
        keys = self.trust_ids << 40
        keys |= self.metric_ids << 24
        keys |= self.days + 2**23
        return keys


# The same packed key, computed by PostgreSQL (only for rows whose ids fit).
KEY_SQL = (
    "(trust_id::bigint << 40) | (metric_id::bigint << 24) | (period - date '2000-01-01' + 8388608)"
)
PGCOPY_KEY_VALUE = np.dtype(
    [("fields", ">i2"), ("key_len", ">i4"), ("key", ">i8"), ("value_len", ">i4"), ("value", ">f8")]
)


def _keys(incoming: Rows, stored: Rows) -> tuple[np.ndarray, np.ndarray]:
    """Comparable keys of both: packed where the ids fit, else numbers of distinct keys."""
    if incoming.fits_packed_key() and stored.fits_packed_key():
        return incoming.packed_keys(), stored.packed_keys()
    both = np.concatenate(
        [np.stack([r.trust_ids, r.metric_ids, r.days], axis=1) for r in (incoming, stored)]
    )
    codes = np.unique(both, axis=0, return_inverse=True)[1].ravel()
    return codes[: len(incoming)], codes[len(incoming) :]


def _in_key_order(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys)
    return keys[order], values[order]


def _changes(incoming_keys, incoming_values, sorted_keys, sorted_values):
    """Masks over the incoming rows: not stored yet, and stored with a different value.

    The stored keys come sorted (with their values in the same order).
    """
    if not len(sorted_keys):
        return np.ones(len(incoming_keys), bool), np.zeros(len(incoming_keys), bool)
    at = np.searchsorted(sorted_keys, incoming_keys)
    np.minimum(at, len(sorted_keys) - 1, out=at)
    found = sorted_keys[at] == incoming_keys
    changed = sorted_values[at] != incoming_values
    changed &= found
    return ~found, changed


class _BufferReader:
    """A file-like view of a buffer for `copy_expert`, which reads it a block at a time."""

    def __init__(self, buffer: bytearray):
        self.view, self.at = memoryview(buffer), 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.view) if size < 0 else self.at + size
        block, self.at = bytes(self.view[self.at : end]), min(end, len(self.view))
        return block


def _binary_copy_chunks(rows: Rows, order: np.ndarray | None = None):
    """The rows in PostgreSQL's binary COPY format, a chunk at a time (memory stays low).

    Built with numpy in the buffer that is sent: no number is formatted and parsed again,
    and no copy of the chunk is made.
    """
    for start in range(0, len(rows), COPY_CHUNK_ROWS):
        end = min(start + COPY_CHUNK_ROWS, len(rows))
        size = len(PGCOPY_HEADER) + (end - start) * PGCOPY_ROW.itemsize + len(PGCOPY_TRAILER)
        buffer = bytearray(size)
        buffer[: len(PGCOPY_HEADER)] = PGCOPY_HEADER
        buffer[-len(PGCOPY_TRAILER) :] = PGCOPY_TRAILER
        chunk = np.frombuffer(buffer, PGCOPY_ROW, count=end - start, offset=len(PGCOPY_HEADER))
        chunk["fields"] = 4
        chunk["trust_len"], chunk["metric_len"], chunk["period_len"] = 8, 8, 4
        chunk["value_len"] = 8
        these = slice(start, end) if order is None else order[start:end]
        chunk["trust"] = rows.trust_ids[these]
        chunk["metric"] = rows.metric_ids[these]
        chunk["period"] = rows.days[these]
        chunk["value"] = rows.values[these]
        del chunk  # the buffer is sent as it is
        yield end - start, _BufferReader(buffer)


def _can_copy() -> bool:
    """Binary COPY needs PostgreSQL through psycopg2 (`copy_expert`)."""
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


def _copy_into(cursor, table: str, rows: Rows, progress: Progress, span, order=None) -> None:
    done, low, high = 0, span[0], span[1]
    columns = "(trust_id, metric_id, period, value)"
    for count, data in _binary_copy_chunks(rows, order):
        cursor.copy_expert(
            f"COPY {table} {columns} FROM STDIN WITH (FORMAT binary)", data, size=1 << 16
        )
        done += count
        progress(low + (high - low) * done // max(len(rows), 1), "Saving")


def _stored_filter(incoming: Rows) -> str:
    """SQL selecting the stored rows of the file's trusts, metrics and months."""

    def listed(array):
        return ",".join(str(int(x)) for x in np.unique(array))

    months = f"SELECT date '2000-01-01' + d FROM unnest(ARRAY[{listed(incoming.days)}]) AS d"  # noqa: S608
    return (
        f"trust_id IN ({listed(incoming.trust_ids)})"
        f" AND metric_id IN ({listed(incoming.metric_ids)}) AND period IN ({months})"
    )


def copy_out(cursor, query: str, row_type: np.dtype) -> np.ndarray:
    """The rows of `query`, read with binary COPY into a numpy array of `row_type`."""
    buffer = io.BytesIO()
    cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    data = buffer.getbuffer()
    count = (len(data) - len(PGCOPY_HEADER) - len(PGCOPY_TRAILER)) // row_type.itemsize
    return np.frombuffer(data, row_type, count=count, offset=len(PGCOPY_HEADER))


def _stored_keys_pg(cursor, table: str, incoming: Rows) -> tuple[np.ndarray, np.ndarray]:
    """The stored (packed key, value) of the file's rows, read back as binary COPY: 26
    bytes a row, the key computed by PostgreSQL."""
    query = f"SELECT {KEY_SQL}, value FROM {table} WHERE {_stored_filter(incoming)}"  # noqa: S608
    stored = copy_out(cursor, query, PGCOPY_KEY_VALUE)
    keys, values = stored["key"].astype(np.int64), stored["value"].astype(np.float64)
    del stored  # the buffer goes before the sort needs its memory
    return _in_key_order(keys, values)


def _stored_rows_pg(cursor, table: str, incoming: Rows) -> Rows:
    """The stored rows of the file's trusts, metrics and months, as binary COPY."""
    query = (
        f"SELECT trust_id::bigint, metric_id::bigint, period, value FROM {table}"  # noqa: S608
        f" WHERE {_stored_filter(incoming)}"
    )
    stored = copy_out(cursor, query, PGCOPY_ROW)
    return Rows(
        stored["trust"].astype(np.int64),
        stored["metric"].astype(np.int64),
        stored["period"].astype(np.int64),
        stored["value"].astype(np.float64),
    )


def _write_bulk(cursor, table: str, rows: Rows, progress: Progress) -> None:
    """Drop keys and indexes, copy the rows in, build them again (fails on any clash)."""
    rebuilding = lambda: progress(85, "Building indexes")  # noqa: E731
    with without_keys_and_indexes(cursor, table, rebuilding):
        # In key order: PostgreSQL then builds the primary key from presorted rows (about
        # twice as fast); the order is applied a chunk at a time, the rows are not copied.
        order = np.argsort(rows.packed_keys()) if rows.fits_packed_key() else None
        _copy_into(cursor, connection.ops.quote_name(table), rows, progress, (50, 85), order)


def _write_upsert(cursor, table: str, rows: Rows, progress: Progress) -> None:
    """Copy into a temporary table, then insert or update from it in one statement."""
    cursor.execute(
        "CREATE TEMPORARY TABLE metric_value_load "
        "(trust_id bigint, metric_id bigint, period date, value double precision) "
        "ON COMMIT DROP"
    )
    _copy_into(cursor, "metric_value_load", rows, progress, (50, 70))
    progress(70, "Saving")
    cursor.execute(
        f"INSERT INTO {connection.ops.quote_name(table)} (trust_id, metric_id, period, value)"  # noqa: S608
        f" SELECT trust_id, metric_id, period, value FROM metric_value_load"
        f" ON CONFLICT (trust_id, metric_id, period) DO UPDATE SET value = EXCLUDED.value"
    )
    cursor.execute("DROP TABLE metric_value_load")


def _write_pg(incoming: Rows, progress: Progress) -> tuple[np.ndarray, np.ndarray, str]:
    table = MetricValue._meta.db_table
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        # NOTE: writers queue behind this lock (so the stored values read next stay true);
        # readers carry on until the bulk path's ALTER TABLE, which holds them.
        cursor.execute(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
        progress(42, COMPARING)
        if incoming.fits_packed_key():  # the usual case: keys packed on both sides
            stored_keys, stored_values = _stored_keys_pg(cursor, quoted, incoming)
            incoming_keys = incoming.packed_keys()
        else:
            stored = _stored_rows_pg(cursor, quoted, incoming)
            incoming_keys, stored_keys = _keys(incoming, stored)
            stored_keys, stored_values = _in_key_order(stored_keys, stored.values)
            del stored
        new, changed = _changes(incoming_keys, incoming.values, stored_keys, stored_values)
        del incoming_keys, stored_keys, stored_values
        progress(50, "Saving")
        written = incoming.take(new | changed)
        if not len(written):
            return new, changed, "none"
        if not changed.any():
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {quoted} LIMIT %s) AS s",  # noqa: S608
                [len(written)],
            )
            if cursor.fetchone()[0] < len(written):
                try:
                    with transaction.atomic():
                        _write_bulk(cursor, table, written, progress)
                    return new, changed, "bulk"
                except DatabaseError:
                    pass  # the keys are held elsewhere (or a clash): upsert instead
        _write_upsert(cursor, table, written, progress)
    return new, changed, "upsert"


def _stored_values_orm(incoming: Rows) -> Rows:
    days = _dates(np.unique(incoming.days))
    stored = list(
        MetricValue.objects.filter(
            metric_id__in=np.unique(incoming.metric_ids).tolist(),
            period__in=days.astype(datetime.date).tolist(),
        ).values_list("trust_id", "metric_id", "period", "value")
    )
    if not stored:
        return Rows(*(np.empty(0, np.int64) for _ in range(3)), np.empty(0))
    trust_ids, metric_ids, periods, values = zip(*stored, strict=True)
    stored_days = np.array(periods, dtype="datetime64[D]") - PG_EPOCH
    return Rows(
        np.array(trust_ids, np.int64),
        np.array(metric_ids, np.int64),
        stored_days.astype(np.int64),
        np.array(values, np.float64),
    )


def _write_orm(incoming: Rows, progress: Progress) -> tuple[np.ndarray, np.ndarray, str]:
    """The portable path: compare with the stored values, insert or update what differs."""
    progress(42, COMPARING)
    stored = _stored_values_orm(incoming)
    incoming_keys, stored_keys = _keys(incoming, stored)
    new, changed = _changes(
        incoming_keys, incoming.values, *_in_key_order(stored_keys, stored.values)
    )
    progress(50, "Saving")
    written = incoming.take(new | changed)
    periods = _dates(written.days).astype(datetime.date)
    MetricValue.objects.bulk_create(
        [
            MetricValue(trust_id=int(t), metric_id=int(m), period=d, value=float(v))
            for t, m, d, v in zip(
                written.trust_ids, written.metric_ids, periods, written.values, strict=True
            )
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["trust", "metric", "period"],
        update_fields=["value"],
    )
    return new, changed, "orm" if len(written) else "none"


def _write_rows(parsed: MetricValuesParsed, progress: Progress):
    """Write the rows that differ; return the counts, the method and what changed.

    The rows are taken from `parsed` (which is left empty) and dropped when this returns,
    so a million of them are not held in memory through the refresh after commit.
    """
    incoming = Rows(
        parsed.trust_ids.astype(np.int64, copy=False),
        parsed.metric_ids.astype(np.int64, copy=False),
        (parsed.periods - PG_EPOCH).astype(np.int64),
        parsed.values,
    )
    empty = MetricValuesParsed()
    parsed.trust_ids, parsed.metric_ids = empty.trust_ids, empty.metric_ids
    parsed.periods, parsed.values = empty.periods, empty.values
    write = _write_pg if _can_copy() else _write_orm
    new, changed, method = write(incoming, progress)
    touched = new | changed
    metric_ids = np.unique(incoming.metric_ids[touched]).tolist()
    periods = _dates(np.unique(incoming.days[touched])).astype(datetime.date).tolist()
    return MetricValuesLoadResult(
        created=int(new.sum()),
        updated=int(changed.sum()),
        method=method,
        unchanged=len(incoming) - int(touched.sum()),
        periods=tuple(periods),
    ), metric_ids


def metric_values_write(
    *, parsed: MetricValuesParsed, progress: Progress = no_progress
) -> MetricValuesLoadResult:
    """Insert or update every checked row that differs, in one transaction.

    After commit, `metric_values_changed` names the metrics and months with a created or
    changed value (nothing is sent when nothing changed); its receivers report their stage
    through `progress`. `parsed` gives up its rows (it is empty afterwards).
    """
    with transaction.atomic():
        result, metric_ids = _write_rows(parsed, progress)
        periods = list(result.periods)
        if periods:
            transaction.on_commit(
                lambda: metric_values_changed.send(
                    sender=MetricValue, metric_ids=metric_ids, periods=periods, progress=progress
                )
            )
    progress(100, "Done")
    return result
