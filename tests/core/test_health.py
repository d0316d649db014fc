"""GET /healthz: the primary decides; the replica is reported, never fails the node."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connections
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def test_health_is_ok_while_the_primary_answers(settings: Any) -> None:
    settings.REPLICA_DATABASE = None
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"primary": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_the_replica_and_its_lag(settings: Any) -> None:
    settings.REPLICA_DATABASE = "replica"
    body = Client().get("/healthz").json()

    # The test "replica" mirrors the primary: not in recovery, nothing to replay.
    assert body == {
        "primary": "ok",
        "replica": {"status": "ok", "in_recovery": False, "lag_seconds": 0.0},
    }


def test_a_replica_down_leaves_the_node_serving(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REPLICA_DATABASE = "replica"

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connections["replica"], "cursor", refuse)
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"primary": "ok", "replica": {"status": "down"}}


def test_the_primary_down_takes_the_node_out(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REPLICA_DATABASE = None

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"primary": "down"}
