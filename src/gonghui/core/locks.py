"""Transaction-scoped locks for writes that must be serialized."""

from __future__ import annotations

import zlib

from django.db import connection


def advisory_xact_lock(name: str) -> None:
    """Hold a lock named ``name`` until the current transaction ends.

    On PostgreSQL this is ``pg_advisory_xact_lock``. SQLite runs every write transaction
    with ``BEGIN IMMEDIATE`` (settings), which already serializes writers, so nothing more
    is needed there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])
