"""Reads that may be served by a PostgreSQL streaming replica (decision 0021).

One environment variable, ``GONGHUI_REPLICA_URL``, adds the ``replica`` database (settings.py;
off by default). Nothing reads from it unless the code says so: the report pages, drill-downs,
exports and the leaders' dashboard run inside :func:`reading_from_replica` (as views, through
:func:`replica_view`, for GET and HEAD only). Everything else — registration, money, imports,
sign-in, every write and every read inside a transaction on the primary — reads from the
primary, whatever the context: a replica lags, and a capacity check or a balance read from a
lagging copy is how systems oversell and pay twice.

If the replica cannot be reached, the reads stay on the primary (the page is slower, not
broken); the failure is logged once per request.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

# The alias reads go to in this context (thread or task), or None: the primary.
_reading_from: ContextVar[str | None] = ContextVar("gonghui_reading_from", default=None)

V = TypeVar("V", bound=Callable[..., HttpResponse])


def replica_alias() -> str | None:
    """The configured replica's alias (``settings.REPLICA_DATABASE``), or None."""
    alias: str | None = getattr(settings, "REPLICA_DATABASE", None)
    return alias if alias and alias in settings.DATABASES else None


def _reachable(alias: str) -> bool:
    try:
        connections[alias].ensure_connection()
    except DatabaseError:
        log.warning("replica %r unreachable: reading from the primary", alias, exc_info=True)
        return False
    return True


@contextlib.contextmanager
def reading_from_replica() -> Iterator[str]:
    """Inside this block, reads outside a transaction on the primary go to the replica when
    one is configured and reachable; yields the alias read from. Writes always go to the
    primary. Also usable as a decorator (``@reading_from_replica()``)."""
    alias = replica_alias()
    if alias is None or not _reachable(alias):
        alias = DEFAULT_DB_ALIAS
    token = _reading_from.set(alias)
    try:
        yield alias
    finally:
        _reading_from.reset(token)


def replica_view(view: V) -> V:
    """A read-only report view served from the replica: GET and HEAD run inside
    :func:`reading_from_replica`, and a template response is rendered inside it too (its
    querysets are evaluated while rendering). Other methods run as they are."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with reading_from_replica():
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
            return response

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """Django's database router for the replica (``DATABASE_ROUTERS``)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        alias = _reading_from.get()
        if alias is None or alias == DEFAULT_DB_ALIAS:
            # Named explicitly, so that an object once read from the replica does not pull
            # its related rows from there outside the block (Django's fallback would).
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # A transaction on the primary reads what it (or a lock) made true: never a copy.
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: the same objects

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica replays the primary's schema; nothing is migrated on it.
        return None if db == DEFAULT_DB_ALIAS else False
