"""Locks for writes that must be serialized: the one helper every domain uses.

The protocol follows pretix's (``pretix/base/services/locking.py``):

- a lock is only ever taken inside a transaction, and held until it ends (a lock outside
  a transaction would be released at once and protect nothing: refused);
- several rows are locked in one fixed order (by table, then primary key), so two
  transactions locking the same rows cannot deadlock;
- waiting for a lock is bounded (``settings.LOCK_TIMEOUT_SECONDS``): a writer stuck behind
  another gets a clear "busy, try again" instead of hanging the page.

Rows are locked with ``SELECT … FOR UPDATE`` and come back fresh from the database, so a
rule checked after the lock reads what the rule depends on as it is now. Names that are not
rows (the shape of the union tree) are PostgreSQL advisory locks. SQLite runs every write
transaction with ``BEGIN IMMEDIATE`` (settings), which already serializes writers.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

M = TypeVar("M", bound=Model)

LOCK_TIMEOUT = "lock_timeout"
_TIMEOUT_SQLSTATE = "55P03"  # lock_not_available


class NotInTransaction(RuntimeError):
    """A lock was asked for outside a transaction."""


def _timeout_seconds() -> float:
    return float(getattr(settings, "LOCK_TIMEOUT_SECONDS", 5))


def _busy() -> DomainError:
    return DomainError(LOCK_TIMEOUT, _("有其他人正在处理同一条记录，请稍后再试。"))


def _prepare(using: str) -> Any:
    connection = connections[using]
    if not connection.in_atomic_block:
        raise NotInTransaction("Locks are taken inside a transaction (transaction.atomic).")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET LOCAL lasts until the transaction ends, like the locks it bounds.
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)", [f"{int(_timeout_seconds() * 1000)}"]
            )
    return connection


def _is_timeout(err: DatabaseError) -> bool:
    cause = err.__cause__
    return getattr(cause, "sqlstate", None) == _TIMEOUT_SQLSTATE


def lock(obj: M) -> M:
    """Lock ``obj``'s row until the transaction ends and return it as it is now."""
    return lock_rows(type(obj), [obj.pk])[0]


def lock_again(obj: M) -> M:
    """``obj`` read afresh under a lock on its row, for a service whose rule depends on the
    state of another row (a union not dissolved, a programme's rules): checked on this copy,
    the state cannot change before the commit, and a change already under way (which locks
    the row ``FOR UPDATE``, as ``union_dissolve`` does) is waited for and seen. The lock is
    ``FOR NO KEY UPDATE``, so rows that only point at this one (their foreign-key checks) do
    not wait for it (decision 0014)."""
    return lock_rows(type(obj), [obj.pk], no_key=True)[0]


def lock_rows(model: type[M], pks: Iterable[Any], *, no_key: bool = False) -> list[M]:
    """Lock the rows of ``model`` with these primary keys, in primary-key order, and return
    them fresh (in that order). A missing row raises ``model.DoesNotExist``. ``no_key``
    takes the weaker ``FOR NO KEY UPDATE`` (see :func:`lock_again`)."""
    wanted = sorted(set(pks))
    using = router.db_for_write(model)
    _prepare(using)
    try:
        rows = list(
            model._default_manager.using(using)
            .select_for_update(no_key=no_key)
            .filter(pk__in=wanted)
            .order_by("pk")
        )
    except DatabaseError as err:
        if _is_timeout(err):
            raise _busy() from err
        raise
    if len(rows) != len(wanted):
        raise model.DoesNotExist(f"{model.__name__} {wanted} not all found")  # type: ignore[attr-defined]
    return rows


def lock_matching(qs: QuerySet[M], *, skip_locked: bool = False, no_key: bool = False) -> list[M]:
    """Lock the rows ``qs`` selects (only its own table's rows, whatever it joins), in
    primary-key order, and return them in that order. ``skip_locked`` passes over rows another
    transaction holds (for work that can wait for the next run)."""
    using = qs.db
    _prepare(using)
    of = ("self",) if connections[using].features.has_select_for_update_of else ()
    try:
        return list(
            qs.select_for_update(skip_locked=skip_locked, no_key=no_key, of=of).order_by("pk")
        )
    except DatabaseError as err:
        if _is_timeout(err):
            raise _busy() from err
        raise


def lock_objects(*objects: Model) -> list[Model]:
    """Lock rows of several models in one fixed order (table, then primary key), whatever
    the caller's order, and return fresh copies in the order given."""
    by_model: dict[type[Model], set[Any]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), set()).add(obj.pk)
    fresh: dict[tuple[type[Model], Any], Model] = {}
    for model in sorted(by_model, key=lambda m: m._meta.db_table):
        for row in lock_rows(model, by_model[model]):
            fresh[(model, row.pk)] = row
    return [fresh[(type(o), o.pk)] for o in objects]


def advisory_lock(*names: str, using: str = "default") -> None:
    """Hold the named locks until the transaction ends (taken in a fixed order)."""
    connection = _prepare(using)
    if connection.vendor != "postgresql":
        return
    keys: Sequence[int] = sorted({zlib.crc32(name.encode()) for name in names})
    try:
        with connection.cursor() as cursor:
            for key in keys:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    except DatabaseError as err:
        if _is_timeout(err):
            raise _busy() from err
        raise


def advisory_xact_lock(name: str) -> None:
    """One named lock (the tree's): see :func:`advisory_lock`."""
    advisory_lock(name)
