"""The JSON API: bearer tokens, the same scope as the back office, OpenAPI docs served locally."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gonghui.accounts.models import ApiToken
from gonghui.accounts.services import api_token_create, user_create
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_no_or_bad_token_is_unauthorized(district: Any) -> None:
    assert Client().get("/api/unions").status_code == 401
    assert _client("not-a-token").get("/api/unions").status_code == 401


def test_street_cadre_lists_only_its_street_and_cannot_fetch_another_by_id(
    district: Any,
) -> None:
    token = api_token_create(actor=district.root, user=district.cadre_a, name="手机")
    client = _client(token)

    codes = {u["code"] for u in client.get("/api/unions?limit=100").json()["items"]}
    assert codes == {"ST-A", "CM-A1", "EN-A"}

    assert client.get(f"/api/unions/{district.A1.pk}").json()["code"] == "CM-A1"
    other = client.get(f"/api/unions/{district.B1.pk}")
    assert other.status_code == 404
    assert "管辖范围" in other.json()["detail"]


def test_expired_and_revoked_tokens_stop_working(district: Any) -> None:
    token = api_token_create(actor=district.root, user=district.cadre_a, name="手机")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _client(token).get("/api/unions").status_code == 401

    token = api_token_create(actor=district.root, user=district.cadre_a, name="手机2")
    ApiToken.objects.filter(name="手机2").update(revoked_at=timezone.now())
    assert _client(token).get("/api/unions").status_code == 401


def test_only_a_hash_of_the_token_is_stored(district: Any) -> None:
    token = api_token_create(actor=district.root, user=district.cadre_a, name="手机")
    stored = ApiToken.objects.get()
    assert token not in stored.key_hash
    assert stored.prefix == token[:8]


def test_worker_reads_own_membership_masked(district: Any) -> None:
    person = f.make_person(district.admin, district.EA, joined=dt.date(2015, 3, 1))
    worker = user_create(
        actor=district.root, username="w1", password=None, role="worker", person=person
    )
    body = (
        _client(api_token_create(actor=district.root, user=worker, name="小程序"))
        .get("/api/me")
        .json()
    )

    assert body["name"] == person.name
    assert "*" in body["ric_masked"]
    assert [m["union_name"] for m in body["memberships"]] == ["甲企业工会"]


def test_openapi_schema_and_docs_are_served_without_a_cdn(district: Any) -> None:
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/unions" in schema.json()["paths"]
    docs = Client().get("/api/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_create_api_token_command_prints_a_working_token(district: Any) -> None:
    out = StringIO()
    call_command("create_api_token", "cadre_a", "--name", "脚本", stdout=out)
    token = out.getvalue().strip()
    assert _client(token).get("/api/unions").status_code == 200


def test_a_query_parameter_the_schema_does_not_describe_is_refused(district: Any) -> None:
    client = _client(api_token_create(actor=district.root, user=district.cadre_a, name="手机"))
    assert client.get("/api/unions", {"limit": 5}).status_code == 200
    refused = client.get("/api/unions", {"limt": 5})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "limt"]
    assert client.get("/api/unions?=false").status_code == 422
