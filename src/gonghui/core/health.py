"""``GET /healthz``: whether this application node can serve, for nginx and monitoring.

200 when the primary database answers; 503 when it does not (the node cannot serve: take it
out of the pool). The replica, when one is configured (core/replica.py), is reported but never
fails the check: without it the reports read from the primary. Its lag is the time since the
last transaction it replayed, or 0 when it has replayed everything it received. Anonymous,
and it tells nothing but these states.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .replica import replica_alias

REPLICA_LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery()
              OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


def _replica_state(alias: str) -> dict[str, Any]:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("SELECT 1")
                return {"status": "ok"}
            cursor.execute(REPLICA_LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError:
        return {"status": "down"}
    return {
        "status": "ok",
        "in_recovery": bool(in_recovery),
        "lag_seconds": round(float(lag or 0), 3),
    }


@never_cache
@require_safe
def health_view(request: HttpRequest) -> JsonResponse:
    body: dict[str, Any] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        body["primary"] = "ok"
    except DatabaseError:
        body["primary"] = "down"
    alias = replica_alias()
    if alias is not None:
        body["replica"] = _replica_state(alias)
    return JsonResponse(body, status=200 if body["primary"] == "ok" else 503)
