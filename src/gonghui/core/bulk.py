"""Fast inserts that keep the model's constraints: PostgreSQL COPY, else bulk_create."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import RawSQL


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, taken from the table's own sequence."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # Look the sequence up once: per row it would cost five times as much.
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return [r[0] for r in cursor.fetchall()]


def insert_rows(
    model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], count: int
) -> list[int]:
    """Insert ``count`` rows (values in the order of ``fields``, model field names, ``id``
    excluded) and return their new primary keys in order.

    On PostgreSQL this is one COPY, four times faster than bulk_create, fed from the iterable
    as it is produced, so the server indexes and checks while Python makes the next rows;
    elsewhere bulk_create. Either way the database checks every constraint, in the caller's
    transaction.
    """
    if count == 0:
        return []
    opts = model._meta
    if connection.vendor == "postgresql":
        ids = allocate_ids(model, count)
        columns = ["id", *(str(opts.get_field(f).column) for f in fields)]  # type: ignore[union-attr]
        statement = f'COPY "{opts.db_table}" ({", ".join(columns)}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
        return ids
    objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    created = model._default_manager.bulk_create(objs, batch_size=2000)
    return [o.pk for o in created]


def in_values(values: Sequence[Any], sql_type: str) -> Any:
    """The right-hand side of an ``__in`` lookup over many values.

    On PostgreSQL one array parameter (``IN (SELECT unnest(%s::text[]))``): 100,000 values
    cost one parameter instead of 100,000 placeholders to build and parse. Elsewhere the list.
    """
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{sql_type}[])", (list(values),))  # noqa: S611
    return list(values)


def chunk_size() -> int:
    """How many values one ``__in`` lookup may carry (SQLite limits its parameters)."""
    return 100_000 if connection.vendor == "postgresql" else 900


# A bulk write leaves PostgreSQL planning on the statistics from before it (or on none at all,
# for tables it filled): on a 111,000-person database the report took 4.2 s until ANALYZE,
# 0.14 s after. Autovacuum would get there, but only after its next nap, and not inside the
# transaction. So the bulk paths analyze what they wrote, once it is committed.
ANALYZE_SHARE = 0.1  # as autovacuum's analyze scale factor: a tenth of the rows changed


def analyze(*models: type[Model]) -> None:
    """``ANALYZE`` the tables of ``models`` (every table when none are named) so the planner
    knows how many rows they now hold. On SQLite ``ANALYZE`` too (it fills sqlite_stat1)."""
    tables = ", ".join(f'"{m._meta.db_table}"' for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}".strip())


def analyze_if_grown(written: dict[type[Model], int]) -> list[type[Model]]:
    """``ANALYZE`` each table of ``written`` (model -> rows written) that was never analyzed or
    had at least a tenth of its rows written; return the models analyzed. A small import into a
    big table leaves the statistics as they are (they still hold) and costs nothing."""
    grown = [m for m, n in written.items() if n > 0]
    if not grown:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
                [[m._meta.db_table for m in grown]],
            )
            known = dict(cursor.fetchall())
        # reltuples is -1 for a table never analyzed (PostgreSQL 14 and later).
        grown = [
            m
            for m in grown
            if known.get(m._meta.db_table, -1) < 0
            or written[m] >= ANALYZE_SHARE * known[m._meta.db_table]
        ]
    if grown:
        analyze(*grown)
    return grown


def analyze_on_commit(written: dict[type[Model], int]) -> None:
    """:func:`analyze_if_grown` once the current transaction commits (ANALYZE inside it would
    not see the rows as others will, and would hold its locks longer)."""
    from django.db import transaction

    transaction.on_commit(lambda: analyze_if_grown(written))


def insert_objects(model: type[Model], objs: Sequence[Model]) -> None:
    """Insert unsaved ``objs`` of ``model`` as ``bulk_create`` would, and give each its primary
    key; on PostgreSQL through one COPY (:func:`insert_rows`), which skips building an INSERT
    statement of every value. Values are what ``save()`` would write: each field's
    ``pre_save`` (``auto_now_add`` included) and ``get_db_prep_save``; a foreign key to an
    object saved since it was assigned takes that object's key."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(list(objs), batch_size=2000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]

    def value(obj: Model, f: Any) -> Any:
        if f.is_relation and f.is_cached(obj):
            related = f.get_cached_value(obj)
            return None if related is None else related.pk
        return f.get_db_prep_save(f.pre_save(obj, True), connection)

    rows = ([value(obj, f) for f in fields] for obj in objs)
    ids = insert_rows(model, [f.name for f in fields], rows, len(objs))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
