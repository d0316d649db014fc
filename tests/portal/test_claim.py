"""A worker claims their record with ID number + mobile and an SMS code, then signs in with
the mobile number."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gonghui.accounts.models import ClaimAttempt, RoleGrant, User
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
    attempt = ClaimAttempt.objects.get()  # recorded as a match is, but with no one to verify
    assert attempt.person is None


def test_attempts_keep_keyed_hashes_never_the_numbers(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _start(Client(), member.plain_ric, "13812345678", django_capture_on_commit_callbacks)
    _start(Client(), f.make_ric(), "13900000000", django_capture_on_commit_callbacks)
    stored = " ".join(str(value) for row in ClaimAttempt.objects.values_list() for value in row)
    assert ClaimAttempt.objects.count() == 2
    for secret in (member.plain_ric, member.plain_ric[-8:], "13812345678", "13900000000"):
        assert secret not in stored


# --- the claim form says nothing about who is on record ---------------------------------------
def _answer(response: Any, *posted: str) -> tuple[int, str, str]:
    """The response as an onlooker compares it: status, redirect and page, with what differs
    by construction (the CSRF token, the values the page echoes back) blanked out."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    for value in posted:
        body = body.replace(value, "…")
    return response.status_code, response.get("Location", ""), body


def _series(client: Client, pair: tuple[str, str], n: int, capture: Any) -> list[Any]:
    answers = []
    for _ in range(n):
        with capture(execute=True):
            response = client.post("/claim/", {"ric": pair[0], "mobile": pair[1]})
        answers.append(_answer(response, *pair))
    return answers


def _stranger_pair(member: Any) -> tuple[str, str]:
    return f.make_ric(born=dt.date(1985, 1, 2)), "13987654321"


@pytest.mark.parametrize(
    "mismatch",
    ["unknown ID and mobile", "ID on record, other mobile", "mobile on record, other ID"],
)
def test_match_and_mismatch_get_the_same_answers_and_are_limited_at_the_same_count(
    member: Any, django_capture_on_commit_callbacks: Any, mismatch: str
) -> None:
    from gonghui.membership.claim import MAX_CODES_PER_HOUR

    capture = django_capture_on_commit_callbacks

    if mismatch == "unknown ID and mobile":
        other = _stranger_pair(member)
    elif mismatch == "ID on record, other mobile":
        other = (member.plain_ric, "13987654321")
    else:
        other = (f.make_ric(born=dt.date(1985, 1, 2)), "13812345678")
    matching = (member.plain_ric, "13812345678")
    n = MAX_CODES_PER_HOUR + 2
    # Each series from its own address and two hours apart, so that neither counts against
    # the other (some share a number): only the per-number limits are at play.
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for_match = _series(Client(REMOTE_ADDR="10.0.0.1"), matching, n, capture)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        for_other = _series(Client(REMOTE_ADDR="10.0.0.2"), other, n, capture)
    assert for_match == for_other
    assert [status for status, _url, _page in for_match] == [302] * MAX_CODES_PER_HOUR + [
        200,
        200,
    ]
    assert "验证码发送过于频繁" in for_match[-1][2]
    assert [to for to, _text in ConsoleBackend.outbox] == ["+8613812345678"] * MAX_CODES_PER_HOUR


def test_the_limit_per_client_address_holds_across_id_numbers(
    member: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.BEHIND_PROXY = True  # the address is the proxy's X-Real-IP (core.http.client_ip)
    settings.PORTAL_CLAIMS_PER_ADDRESS_HOUR = 5
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    for i in range(5):  # five different people, none on record
        ric, mobile = f.make_ric(born=dt.date(1980 + i, 1, 2)), f"1398765432{i}"
        assert _start(client, ric, mobile, django_capture_on_commit_callbacks).status_code == 302
    page = _start(client, member.plain_ric, "13812345678", django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert "验证码发送过于频繁" in page.content.decode()
    assert ConsoleBackend.outbox == []
    # Another address behind the same proxy is not held back.
    elsewhere = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.8")
    response = _start(
        elsewhere, member.plain_ric, "13812345678", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert [to for to, _text in ConsoleBackend.outbox] == ["+8613812345678"]


def test_the_limit_per_mobile_holds_across_id_numbers(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gonghui.membership.claim import MAX_CODES_PER_HOUR

    for i in range(MAX_CODES_PER_HOUR):  # other ID numbers with the member's mobile
        client = Client(REMOTE_ADDR=f"10.0.1.{i}")
        ric = f.make_ric(born=dt.date(1980 + i, 1, 2))
        _start(client, ric, "13812345678", django_capture_on_commit_callbacks)
    page = _start(
        Client(REMOTE_ADDR="10.0.2.1"),
        member.plain_ric,
        "13812345678",
        django_capture_on_commit_callbacks,
    )
    assert "验证码发送过于频繁" in page.content.decode()
    assert ConsoleBackend.outbox == []


def test_attempts_older_than_an_hour_do_not_count(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gonghui.membership.claim import MAX_CODES_PER_HOUR

    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        for _ in range(MAX_CODES_PER_HOUR + 1):
            _start(client, member.plain_ric, "13812345678", django_capture_on_commit_callbacks)
    assert len(ConsoleBackend.outbox) == MAX_CODES_PER_HOUR
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        response = _start(
            client, member.plain_ric, "13812345678", django_capture_on_commit_callbacks
        )
    assert response.status_code == 302
    assert len(ConsoleBackend.outbox) == MAX_CODES_PER_HOUR + 1


def _statements(queries: list[dict[str, str]]) -> list[str]:
    """The SQL run, with the values taken out: what the database is asked to do."""
    shapes = []
    for q in queries:
        sql = re.sub(r"'[^']*'", "?", q["sql"])
        shapes.append(re.sub(r"\d+|\bNULL\b", "?", sql))
    return shapes


def test_match_and_mismatch_do_the_same_database_work(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.membership.claim import portal_claim_start

    runs = []
    for ric, mobile, address in [
        (member.plain_ric, "13812345678", "10.0.0.1"),
        (*_stranger_pair(member), "10.0.0.2"),
        (member.plain_ric, "13987654321", "10.0.0.3"),
    ]:
        with (
            CaptureQueriesContext(connection) as ctx,
            django_capture_on_commit_callbacks(execute=True),
        ):
            portal_claim_start(ric=ric, mobile=mobile, address=address)
        runs.append(_statements(ctx.captured_queries))
    assert runs[0] == runs[1] == runs[2]
    assert any(s.startswith("INSERT") for s in runs[0])  # the attempt is written both ways
    assert len(ConsoleBackend.outbox) == 1  # and only the match is sent a code


def test_a_code_for_a_mismatch_is_refused_as_a_wrong_code_is(
    member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    password = {"password1": "Sunny-Day-2015", "password2": "Sunny-Day-2015"}
    stranger = Client(REMOTE_ADDR="10.0.0.2")
    _start(stranger, *_stranger_pair(member), django_capture_on_commit_callbacks)
    refused = stranger.post("/claim/verify/", {"code": "123456", **password})
    matched = Client(REMOTE_ADDR="10.0.0.1")
    _start(matched, member.plain_ric, "13812345678", django_capture_on_commit_callbacks)
    wrong = "000000" if _code() != "000000" else "111111"
    wrong_code = matched.post("/claim/verify/", {"code": wrong, **password})
    assert _answer(refused) == _answer(wrong_code)
    assert "验证码不正确或已失效" in refused.content.decode()
    assert not User.objects.filter(person__isnull=False).exists()


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
