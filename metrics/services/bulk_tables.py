"""Writing many rows into a PostgreSQL table the fast way: without its keys and indexes.

PostgreSQL's "Populating a database" advice: drop the indexes and foreign keys, copy the
rows in, build them again. Building an index from sorted rows costs a fraction of updating
it row by row, and a foreign key is checked by one query instead of a trigger per row.
"""

from contextlib import contextmanager

from django.db import connection

# Sorting and index building get this much memory, for the transaction only.
INDEX_BUILD_MEMORY = "256MB"


def table_keys_and_indexes(cursor, table: str) -> tuple[list[tuple[str, str]], list[str]]:
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


@contextmanager
def without_keys_and_indexes(cursor, table: str, rebuilding=lambda: None):
    """Drop the table's keys and indexes, let the caller copy rows in, build them again.

    Must run inside a transaction: rebuilding a key fails on any clash and the caller's
    savepoint or transaction rolls the whole step back. `rebuilding()` is called before
    the indexes are built (to report the stage).
    """
    quote = connection.ops.quote_name
    constraints, indexes = table_keys_and_indexes(cursor, table)
    for name, _ in reversed(constraints):
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for definition in indexes:
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        cursor.execute(f"DROP INDEX {name}")
    yield
    rebuilding()
    # Enough memory to sort in one pass; the second core helps build the index.
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    cursor.execute("SET LOCAL max_parallel_maintenance_workers = 1")
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for definition in indexes:
        cursor.execute(definition)
