"""Activities over the JSON API: a worker registers, waits, cancels and shows the card; a cadre
checks people in at the door. Same rules and scope as the portal and the back office."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import api_token_create, user_create
from gonghui.activities.models import Registration, RegistrationStatus
from gonghui.membership.cards import card_token, person_id_from_token
from tests.activities.conftest import make_activity, person

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _as(district: Any, user: Any) -> Client:
    return _client(api_token_create(actor=district.root, user=user, name="小程序"))


def _worker(district: Any, union: Any = None, **kw: Any) -> tuple[Any, Client]:
    """A person in ``union`` (default 甲企业工会) with a worker account, and its API client."""
    p = person(district.admin, union or district.EA, **kw)
    user = user_create(
        actor=district.root,
        username=f"w{p.pk}",
        password=None,
        role=RoleGrant.Role.WORKER,
        person=p,
    )
    return p, _as(district, user)


def _register(client: Client, activity: Any, **body: Any) -> Any:
    return client.post(
        f"/api/activities/{activity.pk}/registrations", body, content_type="application/json"
    )


def _checkin(client: Client, activity: Any, **body: Any) -> Any:
    return client.post(
        f"/api/activities/{activity.pk}/checkins", body, content_type="application/json"
    )


# --- the worker --------------------------------------------------------------------------------


def test_worker_lists_open_activities_with_own_registrations_marked(
    district: Any, django_assert_max_num_queries: Any
) -> None:
    mine = make_activity(district.admin, district.A, title="甲街道体检", capacity=1)
    other = make_activity(district.admin, district.F, title="全区运动会")
    make_activity(district.admin, district.B, title="乙街道体检")  # not the worker's street
    make_activity(district.admin, district.A, title="草稿", publish=False)
    _, client = _worker(district)
    assert _register(client, mine).status_code == 201

    with django_assert_max_num_queries(8):
        response = client.get("/api/activities")

    assert response.status_code == 200
    rows = {a["title"]: a for a in response.json()}
    assert set(rows) == {"甲街道体检", "全区运动会"}
    assert rows["甲街道体检"]["places_left"] == 0
    assert rows["甲街道体检"]["registration_open"] is True
    assert [r["status"] for r in rows["甲街道体检"]["my_registrations"]] == [S.REGISTERED]
    assert rows["全区运动会"]["my_registrations"] == []
    assert rows["全区运动会"]["id"] == other.pk


def test_worker_gets_one_activity_but_not_another_streets(district: Any) -> None:
    ours = make_activity(district.admin, district.A, start_time=dt.time(9, 30))
    theirs = make_activity(district.admin, district.B)
    _, client = _worker(district)

    body = client.get(f"/api/activities/{ours.pk}").json()
    assert body["title"] == ours.title
    assert body["start_time"] == "09:30:00"
    assert body["problem"] is None

    missing = client.get(f"/api/activities/{theirs.pk}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert _register(client, theirs).status_code == 404
    assert not Registration.objects.exists()


def test_register_gives_a_place_then_the_waitlist_and_refuses_a_duplicate(district: Any) -> None:
    activity = make_activity(district.admin, district.A, capacity=1)
    _, first = _worker(district)
    _, second = _worker(district)

    placed = first.generic("POST", f"/api/activities/{activity.pk}/registrations")  # no body
    assert placed.status_code == 201
    assert placed.json()["status"] == S.REGISTERED
    assert placed.json()["waitlist_position"] is None

    waiting = _register(second, activity)
    assert waiting.status_code == 201
    assert waiting.json()["status"] == S.WAITLISTED
    assert waiting.json()["waitlist_position"] == 1

    again = _register(second, activity)
    assert again.status_code == 400
    assert again.json()["code"] == "duplicate"
    assert "重复" in again.json()["detail"]
    assert Registration.objects.filter(activity=activity).count() == 2


BODIES_NOT_IN_THE_SCHEMA = {
    "null": ("null", "application/json"),
    "array": ("[]", "application/json"),
    "string": ('"str"', "application/json"),
    "number": ("123", "application/json"),
    "nan": ("NaN", "application/json"),
    "unknown field": ('{"child": "小明"}', "application/json"),
    "text/plain": ("{}", "text/plain"),
    "text/plain object": ('{"child_name": ""}', "text/plain"),
}


@pytest.mark.parametrize("kind", sorted(BODIES_NOT_IN_THE_SCHEMA))
def test_register_refuses_a_body_the_schema_does_not_describe(district: Any, kind: str) -> None:
    activity = make_activity(district.admin, district.A)
    _, client = _worker(district)
    body, content_type = BODIES_NOT_IN_THE_SCHEMA[kind]
    url = f"/api/activities/{activity.pk}/registrations"

    response = client.generic("POST", url, body, content_type=content_type)

    assert response.status_code == 422, response.content
    assert isinstance(response.json()["detail"], list)
    assert not Registration.objects.exists()


def test_register_takes_no_body_an_empty_object_or_the_child(district: Any) -> None:
    activity = make_activity(district.admin, district.A, capacity=5)
    url = f"/api/activities/{activity.pk}/registrations"
    for body in ("", "{}", '{"child_name": "", "child_birth_date": null}'):
        _, client = _worker(district)
        response = client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 201, (body, response.content)
    _, client = _worker(district)
    assert client.generic("POST", url, "", content_type="text/plain").status_code == 201
    assert Registration.objects.filter(activity=activity).count() == 4


def test_the_schema_describes_the_registration_body_as_an_optional_object() -> None:
    from gonghui.api.api import api

    operation = api.get_openapi_schema()["paths"]["/api/activities/{activity_id}/registrations"]
    body = operation["post"]["requestBody"]
    assert body["required"] is False
    assert list(body["content"]) == ["application/json"]
    schema = body["content"]["application/json"]["schema"]
    assert schema in (
        {"$ref": "#/components/schemas/RegistrationIn"},
        {"allOf": [{"$ref": "#/components/schemas/RegistrationIn"}]},
    )  # an object, never null
    fields = api.get_openapi_schema()["components"]["schemas"]["RegistrationIn"]
    assert fields["type"] == "object"
    assert fields["additionalProperties"] is False


def test_register_for_a_child_checks_the_childs_age(district: Any) -> None:
    day = timezone.localdate() + dt.timedelta(days=10)
    camp = make_activity(
        district.admin, district.A, starts_on=day, child_min_age=6, child_max_age=12
    )
    _, client = _worker(district)

    too_young = _register(client, camp, child_name="小明", child_birth_date=str(day))
    assert too_young.status_code == 400
    assert too_young.json()["code"] == "not_eligible"

    born = day.replace(year=day.year - 8) - dt.timedelta(days=1)
    ok = _register(client, camp, child_name="小明", child_birth_date=born.isoformat())
    assert ok.status_code == 201
    assert ok.json()["child_name"] == "小明"


def test_cancel_frees_the_place_for_the_first_on_the_waitlist(district: Any) -> None:
    activity = make_activity(district.admin, district.A, capacity=1)
    _, first = _worker(district)
    _, second = _worker(district)
    reg_id = _register(first, activity).json()["id"]
    _register(second, activity)

    cancelled = first.post(f"/api/registrations/{reg_id}/cancel")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == S.CANCELLED
    [promoted] = second.get("/api/me/registrations").json()
    assert promoted["status"] == S.REGISTERED
    again = first.post(f"/api/registrations/{reg_id}/cancel")
    assert again.status_code == 400
    assert again.json()["code"] == "bad_state"


def test_worker_cannot_cancel_someone_elses_registration(district: Any) -> None:
    activity = make_activity(district.admin, district.A)
    _, owner = _worker(district)
    _, other = _worker(district)
    reg_id = _register(owner, activity).json()["id"]

    response = other.post(f"/api/registrations/{reg_id}/cancel")

    assert response.status_code == 404
    assert Registration.objects.get(pk=reg_id).status == S.REGISTERED


def test_my_registrations_and_card(district: Any) -> None:
    activity = make_activity(district.admin, district.A)
    p, client = _worker(district)
    _register(client, activity)

    [reg] = client.get("/api/me/registrations").json()
    assert reg["activity_id"] == activity.pk

    token = client.get("/api/me/card").json()["token"]
    assert person_id_from_token(token) == p.pk


def test_an_account_without_a_person_has_no_worker_endpoints(district: Any) -> None:
    client = _as(district, district.cadre_a)
    for path in ("/api/activities", "/api/me/registrations", "/api/me/card"):
        assert client.get(path).status_code == 404, path


def test_every_endpoint_needs_a_token(district: Any) -> None:
    activity = make_activity(district.admin, district.A)
    anonymous = Client()
    for method, path in [
        ("get", "/api/activities"),
        ("get", f"/api/activities/{activity.pk}"),
        ("post", f"/api/activities/{activity.pk}/registrations"),
        ("get", f"/api/activities/{activity.pk}/registrations"),
        ("post", f"/api/activities/{activity.pk}/checkins"),
        ("get", "/api/me/registrations"),
        ("get", "/api/me/card"),
        ("post", "/api/registrations/1/cancel"),
    ]:
        assert getattr(anonymous, method)(path).status_code == 401, path
        assert getattr(_client("bad"), method)(path).status_code == 401, path


# --- the cadre at the door ---------------------------------------------------------------------


def test_checkin_by_card_then_a_second_scan_is_refused(district: Any) -> None:
    start = timezone.localdate() + dt.timedelta(days=1)
    activity = make_activity(district.admin, district.A, starts_on=start, capacity=5)
    p, worker = _worker(district)
    _register(worker, activity)
    cadre = _as(district, district.cadre_a)

    early = _checkin(cadre, activity, token=card_token(p))
    assert early.status_code == 400
    assert early.json()["code"] == "too_early"

    with time_machine.travel(start):
        scanned = _checkin(cadre, activity, token=card_token(p))
        assert scanned.status_code == 200
        [row] = scanned.json()
        assert row["status"] == S.ATTENDED
        assert row["person_name"] == p.name

        again = _checkin(cadre, activity, token=card_token(p))
        assert again.status_code == 400
        assert again.json()["code"] == "already_checked_in"
        assert p.name in again.json()["detail"]

        forged = _checkin(cadre, activity, token="forged")
        assert forged.json()["code"] == "bad_card"


def test_checkin_by_registration_from_the_door_list(district: Any) -> None:
    start = timezone.localdate() + dt.timedelta(days=1)
    activity = make_activity(district.admin, district.A, starts_on=start)
    elsewhere = make_activity(district.admin, district.A, starts_on=start)
    p, worker = _worker(district)
    _register(worker, activity)
    stray = _register(worker, elsewhere).json()["id"]
    cadre = _as(district, district.cadre_a)

    door = cadre.get(f"/api/activities/{activity.pk}/registrations")
    assert door.status_code == 200
    [row] = door.json()["items"]
    assert row["person_name"] == p.name
    assert p.ric_masked not in door.content.decode()
    assert set(row) == {
        "id",
        "person_name",
        "child_name",
        "status",
        "status_label",
        "priority",
        "created_at",
        "attended_at",
    }

    with time_machine.travel(start):
        assert _checkin(cadre, activity, registration_id=stray).status_code == 404
        done = _checkin(cadre, activity, registration_id=row["id"])
    assert done.status_code == 200
    assert done.json()[0]["status"] == S.ATTENDED


def test_checkin_needs_exactly_one_of_card_or_registration(district: Any) -> None:
    activity = make_activity(district.admin, district.A)
    cadre = _as(district, district.cadre_a)
    assert _checkin(cadre, activity).status_code == 422
    assert _checkin(cadre, activity, token="x", registration_id=1).status_code == 422
    assert _checkin(cadre, activity, token="").status_code == 422
    as_text = cadre.generic(
        "POST",
        f"/api/activities/{activity.pk}/checkins",
        '{"registration_id": 1}',
        content_type="text/plain",
    )
    assert as_text.status_code == 422


def test_cadre_of_another_street_gets_not_found_at_the_door(district: Any) -> None:
    start = timezone.localdate() + dt.timedelta(days=1)
    activity = make_activity(district.admin, district.A, starts_on=start)
    p, worker = _worker(district)
    reg_id = _register(worker, activity).json()["id"]
    cadre_b = _as(district, district.cadre_b)

    assert cadre_b.get(f"/api/activities/{activity.pk}/registrations").status_code == 404
    with time_machine.travel(start):
        assert _checkin(cadre_b, activity, token=card_token(p)).status_code == 404
        assert _checkin(cadre_b, activity, registration_id=reg_id).status_code == 404
    assert Registration.objects.get(pk=reg_id).status == S.REGISTERED
