"""Sign-in and personal-data protection: hashing, password rules, lockout, two-factor,
session lifetime, production settings, and the ID number that is shown only masked."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import argon2
import pytest
from axes.utils import reset as axes_reset
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.core.models import PiiAccessLog
from tests import factories as f

REPO = Path(__file__).resolve().parents[2]
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


@pytest.fixture(autouse=True)
def _fresh_axes(db: Any) -> Any:
    axes_reset()
    yield
    axes_reset()


def _sign_in(client: Client, username: str, password: str, token: str | None = None) -> Any:
    data = {"username": username, "password": password, "next": INDEX}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- passwords -------------------------------------------------------------------------------
def _argon2_params(encoded: str) -> tuple[int, int, int]:
    """(memory KiB, time cost, parallelism) of a stored Argon2 hash."""
    params = argon2.extract_parameters("$" + encoded.split("$", 1)[1])
    return params.memory_cost, params.time_cost, params.parallelism


OWASP_MINIMUM = (19456, 2, 1)  # argon2id, 19 MiB, 2 passes, 1 lane


def test_new_passwords_are_hashed_with_argon2id_at_owasps_minimum(district: Any) -> None:
    district.cadre_a.refresh_from_db()
    assert identify_hasher(district.cadre_a.password).algorithm == "argon2"
    assert district.cadre_a.password.startswith("argon2$argon2id$")
    assert _argon2_params(district.cadre_a.password) == OWASP_MINIMUM
    assert district.cadre_a.check_password(f.PASSWORD)


def _with_djangos_default_argon2(user: Any) -> None:
    """Give ``user`` the hash Django's own Argon2 hasher made before (100 MiB, 8 lanes)."""
    old = Argon2PasswordHasher()
    user.password = old.encode(f.PASSWORD, old.salt())
    user.save(update_fields=["password"])
    assert _argon2_params(user.password) == (102400, 2, 8)


def test_an_old_argon2_hash_signs_in_to_the_back_office_and_is_rehashed(district: Any) -> None:
    _with_djangos_default_argon2(district.cadre_a)
    client = Client()
    assert _sign_in(client, "cadre_a", f.PASSWORD).status_code == 302
    assert _signed_in(client)
    district.cadre_a.refresh_from_db()
    assert _argon2_params(district.cadre_a.password) == OWASP_MINIMUM
    assert district.cadre_a.check_password(f.PASSWORD)


def test_an_old_argon2_hash_signs_in_to_the_portal_and_is_rehashed(district: Any) -> None:
    from gonghui.accounts.services import user_create

    person = f.make_person(district.root, district.A1, mobile="13812345678")
    worker = user_create(
        actor=district.root,
        username="+8613812345678",
        password=f.PASSWORD,
        role="worker",
        person=person,
    )
    _with_djangos_default_argon2(worker)
    client = Client()
    response = client.post("/login/", {"username": "138 1234 5678", "password": f.PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)
    worker.refresh_from_db()
    assert _argon2_params(worker.password) == OWASP_MINIMUM


def test_a_wrong_password_leaves_an_old_hash_alone(district: Any) -> None:
    _with_djangos_default_argon2(district.cadre_a)
    before = district.cadre_a.password
    _sign_in(Client(), "cadre_a", "wrong-password-1")
    district.cadre_a.refresh_from_db()
    assert district.cadre_a.password == before


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Zq7#k", "太短"),
        ("password123", "太常见"),
        ("1234567890123", "只包含数字"),
    ],
)
def test_password_validators_reject_weak_passwords_in_chinese(
    db: Any, password: str, expected: str
) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password)
    messages = " ".join(caught.value.messages)
    assert expected in messages, messages


def test_password_validators_accept_a_strong_password(db: Any) -> None:
    validate_password("Gonghui#Strong-2015")


# --- lockout (django-axes) -------------------------------------------------------------------
def test_account_is_locked_after_the_failure_limit(district: Any) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, "cadre_a", "wrong-password-1")
        assert not _signed_in(client)
    # The sixth attempt, with the right password, is refused.
    response = _sign_in(client, "cadre_a", f.PASSWORD)
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE == 429
    assert not _signed_in(client)
    assert "账号已暂时锁定" in response.content.decode()
    # Another account from the same address is not locked (lockout is per user name).
    response = _sign_in(Client(), "cadre_b", f.PASSWORD)
    assert response.status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(district: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "cadre_a", "wrong-password-1")
    response = _sign_in(client, "cadre_a", f.PASSWORD)
    assert response.status_code == 302
    assert response.url == INDEX
    assert _signed_in(client)


@override_settings(AXES_FAILURE_LIMIT=2)
def test_lockout_follows_the_configured_limit(district: Any) -> None:
    client = Client()
    for _ in range(2):
        _sign_in(client, "cadre_a", "wrong-password-1")
    assert _sign_in(client, "cadre_a", f.PASSWORD).status_code == 429
    assert not _signed_in(client)


# --- two-factor (django-otp, TOTP) ------------------------------------------------------------
@pytest.fixture
def device(district: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=district.cadre_a, name="手机", confirmed=True)


def test_user_with_a_device_needs_a_valid_token(district: Any, device: TOTPDevice) -> None:
    client = Client()
    response = _sign_in(client, "cadre_a", f.PASSWORD)
    assert response.status_code == 200
    assert not _signed_in(client)
    assert "该账号已启用双重验证，请输入身份验证器上的6位动态验证码。" in response.content.decode()

    response = _sign_in(client, "cadre_a", f.PASSWORD, token="000000")
    assert not _signed_in(client)
    assert "动态验证码不正确" in response.content.decode()

    device.refresh_from_db()
    device.throttle_reset()  # the wrong token above started the throttle
    response = _sign_in(client, "cadre_a", f.PASSWORD, token=f"{totp(device.bin_key):06d}")
    assert response.status_code == 302
    assert response.url == INDEX
    assert client.get(INDEX).status_code == 200


def test_session_without_the_second_factor_does_not_open_the_back_office(
    district: Any, device: TOTPDevice
) -> None:
    # E.g. a password-only session from the worker portal: the device binds every session.
    client = Client()
    client.force_login(district.cadre_a)
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_unconfirmed_device_does_not_ask_for_a_token(district: Any) -> None:
    TOTPDevice.objects.create(user=district.cadre_a, name="未完成绑定", confirmed=False)
    client = Client()
    assert _sign_in(client, "cadre_a", f.PASSWORD).status_code == 302
    assert client.get(INDEX).status_code == 200


def test_user_without_a_device_signs_in_with_password_only(district: Any) -> None:
    client = Client()
    response = _sign_in(client, "cadre_b", f.PASSWORD)
    assert response.status_code == 302
    assert response.url == INDEX
    assert client.get(INDEX).status_code == 200


def test_worker_cannot_sign_in_to_the_back_office(district: Any) -> None:
    from gonghui.accounts.services import user_create

    user_create(
        actor=district.root, username="worker1", password=f.PASSWORD, role="worker", union=None
    )
    client = Client()
    response = _sign_in(client, "worker1", f.PASSWORD)
    assert response.status_code == 200
    assert not _signed_in(client)
    assert "该账号没有后台管理权限" in response.content.decode()


# --- sessions and production settings ---------------------------------------------------------
@pytest.mark.django_db
def test_sessions_expire_after_thirty_idle_minutes_and_use_keeps_them(district: Any) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE <= 1800
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(district.cadre_a)
    for minutes in (20, 40, 60):  # used every 20 minutes: still signed in an hour later
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=60 + 31), tick=False):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # 31 idle minutes: signed out
    assert "/login/" in response["Location"]


def test_check_deploy_passes_with_production_environment(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48)[:50],
        "GONGHUI_PII_KEY": Fernet.generate_key().decode(),
        "GONGHUI_PII_HASH_KEY": "x" * 32,
        "ALLOWED_HOSTS": "gonghui.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by tests/conftest.py for Playwright only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output
    assert "no issues" in output


def test_production_refuses_to_start_without_its_keys(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_ENV": "production"}
    for name in ["SECRET_KEY", "GONGHUI_PII_KEY", "GONGHUI_PII_HASH_KEY", "ALLOWED_HOSTS"]:
        env.pop(name, None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr


# --- the ID number is shown masked, revealed only on purpose, and every reveal is logged ------
@pytest.fixture
def ric() -> str:
    return f.make_ric(region="420102")


@pytest.fixture
def person(district: Any, ric: str) -> Any:
    return f.make_person(district.root, district.A1, name="甲敏感", ric=ric, joined=None)


def _html(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("who", ["admin", "cadre_a"])
def test_full_id_number_is_not_in_person_pages(
    district: Any, person: Any, ric: str, who: str
) -> None:
    client = Client()
    client.force_login(getattr(district, who))
    masked = ric[:6] + "********" + ric[-4:]
    assert person.ric_masked == masked
    for url in [
        reverse("admin:membership_person_change", args=[person.pk]),
        reverse("admin:membership_person_changelist"),
        reverse("admin:membership_person_history", args=[person.pk]),
        reverse("admin:membership_person_reveal_ric", args=[person.pk]),
    ]:
        html = _html(client, url)
        assert ric not in html, url
        assert ric[6:14] + ric[14:] not in html, url  # not even the hidden part
    assert masked in _html(client, reverse("admin:membership_person_changelist"))
    assert masked in _html(client, reverse("admin:membership_person_change", args=[person.pk]))


def test_reveal_shows_the_number_after_a_reason_and_logs_it(
    district: Any, person: Any, ric: str
) -> None:
    client = Client()
    client.force_login(district.admin)
    url = reverse("admin:membership_person_reveal_ric", args=[person.pk])

    response = client.post(url, {"reason": ""})  # no reason: nothing shown, nothing logged
    assert ric not in response.content.decode()
    assert not PiiAccessLog.objects.exists()

    response = client.post(url, {"reason": "核对困难职工帮扶申请"})
    assert response.status_code == 200
    assert ric in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    log = PiiAccessLog.objects.get()
    assert (log.actor, log.person, log.field) == (district.admin, person, "ric")
    assert log.reason == "核对困难职工帮扶申请"
    assert log.union_path == district.A1.path


def test_cadre_without_reveal_right_is_refused(district: Any, person: Any, ric: str) -> None:
    client = Client()
    client.force_login(district.cadre_a)
    url = reverse("admin:membership_person_reveal_ric", args=[person.pk])
    response = client.get(url)  # the page says so at once (it used to fail with a 500)
    assert response.status_code == 200
    assert "您没有查看完整身份证号的权限。" in response.content.decode()
    response = client.post(url, {"reason": "想看看"})
    html = response.content.decode()
    assert ric not in html
    assert "您没有查看完整身份证号的权限。" in html
    assert not PiiAccessLog.objects.exists()


def test_cadre_granted_the_reveal_right_may_reveal(district: Any, person: Any, ric: str) -> None:
    trusted = f.make_user(
        district.root, f.ROLE.UNION_CADRE, district.A, username="cadre_a_pii", can_reveal_pii=True
    )
    client = Client()
    client.force_login(trusted)
    url = reverse("admin:membership_person_reveal_ric", args=[person.pk])
    response = client.post(url, {"reason": "办理会员卡"})
    assert ric in response.content.decode()
    assert PiiAccessLog.objects.get().actor == trusted
