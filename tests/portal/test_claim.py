"""A worker claims their record with ID number + mobile and an SMS code, then signs in with
the mobile number."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from gonghui.accounts.models import PhoneVerification, RoleGrant, User
from gonghui.core.sms import ConsoleBackend
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ConsoleBackend.outbox.clear()


@pytest.fixture
def member(district: Any) -> Any:
    ric = f.make_ric(born=dt.date(1990, 5, 6))
    person = f.make_person(
        district.admin, district.EA, ric=ric, mobile="13812345678", joined=dt.date(2015, 3, 1)
    )
    person.plain_ric = ric
    return person


def _start(client: Client, ric: str, mobile: str, django_capture_on_commit_callbacks: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/claim/", {"ric": ric, "mobile": mobile})


def _code() -> str:
    _mobile, text = ConsoleBackend.outbox[-1]
    return re.search(r"\d{6}", text).group(0)


def test_worker_claims_record_and_signs_in_with_the_mobile(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    response = _start(
        client, member.plain_ric.lower(), "138 1234 5678", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert ConsoleBackend.outbox[-1][0] == "+8613812345678"

    response = client.post(
        "/claim/verify/",
        {"code": _code(), "password1": "Sunny-Day-2015", "password2": "Sunny-Day-2015"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="+8613812345678")
    assert user.person == member
    assert RoleGrant.objects.filter(user=user, role="worker").exists()
    assert member.name in client.get("/me/").content.decode()

    other = Client()
    other.post("/login/", {"username": "138-1234-5678", "password": "Sunny-Day-2015"})
    assert member.name in other.get("/me/").content.decode()


def test_a_mismatch_sends_nothing_and_says_the_same(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = _start(Client(), member.plain_ric, "13900000000", django_capture_on_commit_callbacks)
    assert response.status_code == 302  # the same answer as a match
    assert ConsoleBackend.outbox == []
    assert not PhoneVerification.objects.exists()


def test_five_wrong_codes_end_the_verification(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    _start(client, member.plain_ric, "13812345678", django_capture_on_commit_callbacks)
    good = _code()
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        page = client.post(
            "/claim/verify/",
            {"code": wrong, "password1": "Sunny-Day-2015", "password2": "Sunny-Day-2015"},
        )
        assert "验证码不正确" in page.content.decode()
    client.post(
        "/claim/verify/",
        {"code": good, "password1": "Sunny-Day-2015", "password2": "Sunny-Day-2015"},
    )
    assert not User.objects.filter(username="+8613812345678").exists()


def test_a_weak_password_is_refused_in_chinese_and_the_code_still_works(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    _start(client, member.plain_ric, "13812345678", django_capture_on_commit_callbacks)
    code = _code()
    page = client.post("/claim/verify/", {"code": code, "password1": "123", "password2": "123"})
    assert "密码" in page.content.decode()
    assert not User.objects.filter(username="+8613812345678").exists()
    client.post(
        "/claim/verify/",
        {"code": code, "password1": "Sunny-Day-2015", "password2": "Sunny-Day-2015"},
    )
    assert User.objects.filter(username="+8613812345678").exists()


def test_a_bad_id_number_gets_a_message_on_its_field(member: Any) -> None:
    page = Client().post("/claim/", {"ric": "123", "mobile": "13812345678"})
    assert page.status_code == 200
    assert "身份证" in page.content.decode()


def test_membership_card_shows_a_signed_qr_and_no_id_number(member: Any) -> None:
    from gonghui.accounts.services import user_create
    from gonghui.membership.cards import card_token, person_id_from_token

    user = user_create(actor=None, username="w-card", password=None, role="worker", person=member)
    client = Client()
    client.force_login(user)
    page = client.get("/card/").content.decode()

    assert "<svg" in page
    assert member.name in page
    assert member.plain_ric not in page
    assert person_id_from_token(card_token(member)) == member.pk
    assert person_id_from_token(card_token(member)[:-2] + "xx") is None


def test_worker_applies_and_the_unions_cadre_approves_into_a_membership(district: Any) -> None:
    from gonghui.accounts.services import user_create
    from gonghui.core.errors import DomainError
    from gonghui.membership.models import MembershipApplication
    from gonghui.membership.services import application_decide

    person = f.make_person(district.admin, district.A1)  # registered, not a member
    worker = user_create(
        actor=None, username="w-apply", password=None, role="worker", person=person
    )
    client = Client()
    client.force_login(worker)

    missing = client.post("/apply/", {"union": "NO-SUCH", "statement": ""})
    assert "找不到该工会" in missing.content.decode()
    assert client.post("/apply/", {"union": "en-a", "statement": "在甲企业工作"}).status_code == 302
    again = client.post("/apply/", {"union": "EN-A", "statement": ""})
    assert "待审核" in again.content.decode()
    application = MembershipApplication.objects.get(person=person)

    with pytest.raises(DomainError):  # another street's cadre: not theirs to decide
        application_decide(actor=district.cadre_b, application=application, approve=True)
    with pytest.raises(DomainError):  # a refusal needs its reason
        application_decide(actor=district.cadre_a, application=application, approve=False)

    decided = application_decide(
        actor=district.cadre_a, application=application, approve=True, on=dt.date(2020, 5, 1)
    )
    assert decided.status == "approved"
    assert decided.membership.union == district.EA
    assert decided.membership.started_on == dt.date(2020, 5, 1)
    assert decided.membership.start_reason == "joined"
    assert "已批准" in client.get("/me/").content.decode()
