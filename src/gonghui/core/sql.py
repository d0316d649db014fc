"""Reads of one row with statements built once, for the few paths every signed-in request
(and every registration of a rush) takes.

Building a query with the ORM costs 0.5-1 ms of Python per query on a small server (the
compiler walks every field of the model each time), while sending a ready statement costs
under 0.1 ms. The session, the signed-in user and the worker's person record are read on
every portal request, so they are read here: the ``SELECT`` is built from the model's fields
once per process, values pass through the same converters the ORM applies (SQLite returns
dates as text, PostgreSQL JSON as text), and rows become model instances through
``Model.from_db``, as the ORM makes them. Everything else reads through the ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any], Any]


@functools.cache
def _compiled(
    model: type[Model], where: str, related: tuple[str, ...]
) -> tuple[str, list[tuple[Any, type[Model], list[Field[Any, Any]], int]]]:
    """``SELECT <model's columns>[, <each related model's columns>] FROM … WHERE <where>`` and
    how to cut a row into instances: ``[(foreign key or None, model, fields, index of the
    part it hangs from), …]``. ``related`` names foreign keys of ``model`` and, as
    ``"person__union"``, of a model named before it."""
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    columns = [f'"{table}"."{f.column}"' for f in fields]
    parts: list[tuple[Any, type[Model], list[Field[Any, Any]], int]] = [(None, model, fields, -1)]
    aliases = {"": (table, 0, model)}
    joins = []
    for name in related:
        parent_path, _, attr = name.rpartition("__")
        parent_alias, parent_index, parent_model = aliases[parent_path]
        fk: Any = parent_model._meta.get_field(attr)
        target: type[Model] = fk.related_model
        alias = f"r_{name}"
        target_fields = list(target._meta.concrete_fields)
        columns += [f'"{alias}"."{f.column}"' for f in target_fields]
        joins.append(
            f'LEFT JOIN "{target._meta.db_table}" "{alias}" '
            f'ON "{alias}"."{target._meta.pk.column}" = "{parent_alias}"."{fk.column}"'
        )
        aliases[name] = (alias, len(parts), target)
        parts.append((fk, target, target_fields, parent_index))
    # Names come from the model's metadata and ``where`` from the calling code, never input.
    sql = f'SELECT {", ".join(columns)} FROM "{table}" {" ".join(joins)} WHERE {where} LIMIT 1'  # noqa: S608
    return sql, parts


def converters(fields: Sequence[Any], using: str = "default") -> list[list[Converter]]:
    """For each field, the functions the ORM applies to a value read from the database. They
    keep the connection they were made with (cached per process); Django's converters only
    read settings from it (time zone), the same for every thread's connection."""
    connection = connections[using]
    out: list[list[Converter]] = []
    for field in fields:
        col = field.get_col(field.model._meta.db_table)
        funcs = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
        out.append([functools.partial(_apply, f, col, connection) for f in funcs])
    return out


def _apply(func: Callable[..., Any], col: Any, connection: Any, value: Any) -> Any:
    return func(value, col, connection)


def convert(values: Sequence[Any], funcs: list[list[Converter]]) -> list[Any]:
    out = []
    for value, chain in zip(values, funcs, strict=True):
        for func in chain:
            value = func(value)
        out.append(value)
    return out


@functools.cache
def _converters(model: type[Model], using: str) -> list[list[Converter]]:
    return converters(list(model._meta.concrete_fields), using)


@functools.cache
def field_converters(
    model: type[Model], names: tuple[str, ...], using: str = "default"
) -> list[list[Converter]]:
    """``converters`` of the model's fields ``names``, made once per process."""
    return converters([model._meta.get_field(name) for name in names], using)


def get_one(
    model: type[M],
    where: str,
    params: Sequence[Any],
    *,
    related: tuple[str, ...] = (),
    using: str | None = None,
) -> M | None:
    """The first ``model`` row matching ``where`` (SQL on the model's table, quoted as
    ``"<db_table>"."<column>"``, with ``%s`` placeholders), or None; each foreign key named
    in ``related`` is loaded with it, as ``select_related`` would (None when null). It reads
    from the database the router gives for reading ``model``, as the ORM would, unless
    ``using`` names one.

    An integer parameter beyond 64 bits (an id typed into a URL) matches no row: no column
    holds it, and SQLite could not even bind it (``OverflowError``)."""
    if any(type(p) is int and not -(2**63) <= p < 2**63 for p in params):
        return None
    using = using or router.db_for_read(model)
    sql, parts = _compiled(model, where, related)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    offset = 0
    instances: list[Any] = []
    for fk, part_model, fields, parent_index in parts:
        raw = row[offset : offset + len(fields)]
        offset += len(fields)
        attnames = [f.attname for f in fields]
        parent = instances[parent_index] if fk is not None else None
        if fk is not None and parent is None:
            instances.append(None)  # hangs from a null foreign key
            continue
        if raw[attnames.index(part_model._meta.pk.attname)] is None:
            instance = None
        else:
            values = convert(raw, _converters(part_model, using))
            instance = part_model.from_db(using, attnames, values)
        if fk is not None:
            fk.set_cached_value(parent, instance)
        instances.append(instance)
    found: M = instances[0]
    return found
