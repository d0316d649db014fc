"""Transaction-scoped locks for writes that must be serialized."""

from __future__ import annotations

import zlib
from typing import TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def advisory_xact_lock(name: str) -> None:
    """Hold a lock named ``name`` until the current transaction ends.

    On PostgreSQL this is ``pg_advisory_xact_lock``. SQLite runs every write transaction
    with ``BEGIN IMMEDIATE`` (settings), which already serializes writers, so nothing more
    is needed there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])


def lock_again(obj: M) -> M:
    """``obj`` read afresh under a lock on its row, held until the current transaction ends.

    For a service whose rule depends on the state of another row (a union not dissolved, a
    programme's rules): checked on this copy, the state cannot change before the commit, and
    a change already under way (which locks the row ``FOR UPDATE``, as ``union_dissolve``
    does) is waited for and seen. The lock is ``FOR NO KEY UPDATE``, so rows that only point
    at this one (their foreign-key checks) do not wait for it. SQLite serializes writing
    transactions instead and the read is simply fresh.
    """
    return type(obj)._default_manager.select_for_update(no_key=True).get(pk=obj.pk)
