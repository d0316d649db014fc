"""How long a sign-in lasts: a worker stays signed in on their phone for PORTAL_SESSION_DAYS
without use; a back-office account keeps the 30-minute idle timeout, wherever it signs in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from axes.utils import reset as axes_reset
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gonghui.accounts.services import grant_role, user_create
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    axes_reset()
    yield
    axes_reset()


@pytest.fixture
def worker(district: Any) -> Any:
    person = f.make_person(district.root, district.A1, mobile="13812345678")
    return user_create(
        actor=district.root,
        username="+8613812345678",
        password=f.PASSWORD,
        role="worker",
        person=person,
    )


def _portal_sign_in(client: Client, username: str) -> Any:
    response = client.post("/login/", {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_worker_stays_signed_in_for_the_portal_days_and_use_keeps_it(worker: Any) -> None:
    assert settings.PORTAL_SESSION_DAYS == 30
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        response = _portal_sign_in(client, "138 1234 5678")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 30 * 24 * 3600  # kept when the phone's browser closes
    with time_machine.travel(start + 29 * DAY, tick=False):  # a month later, untouched
        assert client.get("/me/").status_code == 200
    with time_machine.travel(start + 58 * DAY, tick=False):  # the visit above refreshed it
        assert client.get("/me/").status_code == 200
    with time_machine.travel(start + 58 * DAY + 31 * DAY, tick=False):
        response = client.get("/me/")
    assert response.status_code == 302  # 31 days without use: signed out
    assert response["Location"].startswith("/login/")


def test_the_portal_days_follow_the_setting(worker: Any, settings: Any) -> None:
    settings.PORTAL_SESSION_DAYS = 7
    client = Client()
    response = _portal_sign_in(client, "13812345678")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 7 * 24 * 3600
    assert client.session.get_expiry_age() == 7 * 24 * 3600


def test_signing_out_ends_a_workers_long_session(worker: Any) -> None:
    client = Client()
    _portal_sign_in(client, "13812345678")
    client.post("/logout/")
    assert not _signed_in(client)
    assert client.get("/me/").status_code == 302


def test_a_worker_who_has_just_claimed_their_record_gets_the_long_session(
    district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import re

    from gonghui.core.sms import ConsoleBackend

    ric = f.make_ric()
    f.make_person(district.root, district.A1, ric=ric, mobile="13812345678")
    ConsoleBackend.outbox.clear()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/claim/", {"ric": ric, "mobile": "13812345678"})
    code = re.search(r"\d{6}", ConsoleBackend.outbox[-1][1]).group(0)
    response = client.post(
        "/claim/verify/",
        {"code": code, "password1": "Sunny-Day-2015", "password2": "Sunny-Day-2015"},
    )
    assert response.status_code == 302
    assert _signed_in(client)
    assert client.session.get_expiry_age() == settings.PORTAL_SESSION_DAYS * 24 * 3600


@pytest.mark.parametrize("who", ["cadre_a", "leader", "root"])
def test_a_back_office_account_signing_in_through_the_portal_keeps_the_idle_timeout(
    district: Any, who: str
) -> None:
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        response = _portal_sign_in(client, who)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 1800
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert client.get("/me/").status_code == 200  # used: refreshed
    with time_machine.travel(start + dt.timedelta(minutes=20 + 31), tick=False):
        assert client.get("/me/").status_code == 302  # 31 idle minutes: signed out


def test_a_worker_who_also_holds_a_back_office_role_keeps_the_idle_timeout(
    district: Any, worker: Any
) -> None:
    grant_role(actor=district.root, user=worker, role="union_cadre", union=district.A1)
    client = Client()
    _portal_sign_in(client, "13812345678")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.session.get_expire_at_browser_close()


def test_a_back_office_sign_in_drops_a_long_portal_session_of_the_same_account(
    district: Any, worker: Any
) -> None:
    client = Client()
    _portal_sign_in(client, "13812345678")
    assert not client.session.get_expire_at_browser_close()
    grant_role(actor=district.root, user=worker, role="union_cadre", union=district.A1)
    response = client.post(
        "/admin/login/", {"username": "+8613812345678", "password": f.PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.session.get_expire_at_browser_close()
