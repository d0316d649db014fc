"""Activities in the worker portal (网上职工之家): what is open to me, register, the waitlist,
cancel, my registrations and my messages, with plain HTML forms that work on a small phone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.activities import services
from gonghui.activities.models import ActivityKind, Registration, RegistrationStatus
from tests import factories as f
from tests.activities.conftest import make_activity, person

pytestmark = pytest.mark.django_db
S = RegistrationStatus
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
LIST = reverse("portal:activities")
MINE = reverse("portal:registrations")
MESSAGES = reverse("portal:notifications")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def worker(district: Any, union: Any = None, **kw: Any) -> tuple[Any, Client]:
    """A person of ``union`` (street A's enterprise union by default) with a worker account,
    signed in to the portal."""
    p = person(district.root, union or district.EA, **kw)
    user = user_create(
        actor=district.root,
        username=f"w{p.pk}",
        password=f.PASSWORD,
        role=RoleGrant.Role.WORKER,
        union=None,
        person=p,
    )
    p.account = user
    client = Client()
    client.force_login(user)
    return p, client


def detail(activity: Any) -> str:
    return reverse("portal:activity", args=[activity.pk])


def cancel_url(registration: Registration) -> str:
    return reverse("portal:registration_cancel", args=[registration.pk])


def text(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_what_is_open_to_the_worker(district: Any) -> None:
    make_activity(district.cadre_a, district.A, title="甲街道职工体检", capacity=3)
    make_activity(district.admin, district.F, title="全区职工运动会", kind=ActivityKind.SPORTS_MEET)
    make_activity(district.cadre_b, district.B, title="乙街道职工体检")
    make_activity(district.cadre_a, district.A, title="女职工素质讲堂", women_only=True)
    make_activity(district.cadre_a, district.A, title="尚未发布的草稿", publish=False)
    _man, client = worker(district)
    html = text(client.get(LIST))
    assert "甲街道职工体检" in html
    assert "剩余 3 个名额" in html
    assert "全区职工运动会" in html
    for hidden in ("乙街道职工体检", "女职工素质讲堂", "尚未发布的草稿"):
        assert hidden not in html
    _woman, client = worker(district, female=True)
    assert "女职工素质讲堂" in text(client.get(LIST))


def test_activities_not_open_to_the_worker_are_not_found(district: Any) -> None:
    b = make_activity(district.cadre_b, district.B, title="乙街道职工体检")
    women = make_activity(district.cadre_a, district.A, title="女职工素质讲堂", women_only=True)
    draft = make_activity(district.cadre_a, district.A, publish=False)
    _man, client = worker(district)
    for activity in (b, women, draft):
        assert client.get(detail(activity)).status_code == 404
        assert client.post(detail(activity)).status_code == 404
    assert not Registration.objects.exists()


def test_register_then_the_waitlist_with_its_position(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A, title="职工免费体检", capacity=1)
    _first, first = worker(district)
    assert "报名" in text(first.get(detail(a)))
    response = first.post(detail(a))
    assert response.status_code == 302
    assert response["Location"] == detail(a)
    page = text(first.get(detail(a)))
    assert "已报名" in page
    assert "取消报名" in page
    assert not re.search(r'<div class="card">\s*</div>', page)  # no empty box under it
    assert "已报名" in text(first.get(MINE))
    assert "已报名" in text(first.get(LIST))

    _second, second = worker(district)
    assert "名额已满，加入候补" in text(second.get(detail(a)))
    assert "名额已满，可候补" in text(second.get(LIST))
    second.post(detail(a))
    assert "候补 第 1 位" in text(second.get(detail(a)))
    _third, third = worker(district)
    third.post(detail(a))
    assert "候补 第 2 位" in text(third.get(detail(a)))
    assert "候补 第 2 位" in text(third.get(MINE))

    again = first.post(detail(a))  # a second registration of the same person is refused
    assert again.status_code == 200
    assert "您已报名该活动，不能重复报名。" in again.content.decode()
    assert Registration.objects.filter(activity=a).count() == 3


def test_cancelling_gives_the_place_to_the_waitlisted_who_gets_a_message(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A, title="职工免费体检", capacity=1)
    _first, first = worker(district)
    _second, second = worker(district)
    first.post(detail(a))
    second.post(detail(a))
    mine = Registration.objects.get(activity=a, status=S.REGISTERED)
    assert "暂无消息" in text(second.get(MESSAGES))

    response = first.post(cancel_url(mine))
    assert response.status_code == 302
    assert response["Location"] == detail(a)
    page = text(first.get(detail(a)))
    assert "已取消" in page
    assert "报名" in page  # may register again while places are open
    assert "已报名" in text(second.get(detail(a)))
    messages = text(second.get(MESSAGES))
    assert "好消息：您已由候补递补获得“职工免费体检”的名额。" in messages
    assert ">新<" in messages
    assert ">新<" not in text(second.get(MESSAGES))  # read once shown
    assert f'href="/activities/{a.pk}/"' in messages


def test_a_childrens_activity_asks_for_the_child_and_explains_the_age(district: Any) -> None:
    start = timezone.localdate() + dt.timedelta(days=30)
    camp = make_activity(
        district.cadre_a,
        district.A,
        kind=ActivityKind.SUMMER_CAMP,
        title="小候鸟暑期夏令营",
        starts_on=start,
        capacity=10,
        child_min_age=6,
        child_max_age=14,
    )
    _parent, client = worker(district)
    page = text(client.get(detail(camp)))
    assert "为子女报名" in page
    assert 'name="child_name"' in page
    assert 'name="child_birth_date"' in page

    empty = text(client.post(detail(camp), {"child_name": "", "child_birth_date": ""}))
    assert empty.count('class="error"') == 2  # each field says it is missing
    toddler = start.replace(year=start.year - 3)
    too_young = text(client.post(detail(camp), {"child_name": "小明", "child_birth_date": toddler}))
    assert "活动面向 6—14 岁的子女，您的子女届时 3 岁。" in too_young
    assert not Registration.objects.exists()

    pupil = start.replace(year=start.year - 9)
    response = client.post(detail(camp), {"child_name": "小红", "child_birth_date": pupil})
    assert response.status_code == 302
    page = text(client.get(detail(camp)))
    assert "小红" in page
    assert "已报名" in page
    assert "取消报名（小红）" in page
    reg = Registration.objects.get()
    assert (reg.child_name, reg.child_birth_date) == ("小红", pupil)


def test_a_members_only_activity_explains_why_and_refuses(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A, title="会员专享观影", members_only=True)
    _p, client = worker(district)  # a person without a membership
    page = text(client.get(detail(a)))
    assert "该活动仅限工会会员参加。" in page
    assert 'type="submit"' not in page  # no register button, only the reason
    refused = text(client.post(detail(a)))
    assert "该活动仅限工会会员参加。" in refused
    assert not Registration.objects.exists()


def test_a_cancelled_activity_still_shows_to_its_registrants_with_the_reason(
    district: Any,
) -> None:
    a = make_activity(district.cadre_a, district.A, title="职工免费体检")
    _p, client = worker(district)
    client.post(detail(a), follow=True)  # the confirmation is shown on the page it leads to
    services.activity_cancel(actor=district.cadre_a, activity=a, reason="场地临时检修")
    assert "职工免费体检" not in text(client.get(LIST))
    page = text(client.get(detail(a)))
    assert "活动已取消：场地临时检修" in page
    assert "已取消" in page
    assert 'type="submit"' not in page  # nothing left to register or cancel
    assert "很抱歉，“职工免费体检”已取消：场地临时检修" in text(client.get(MESSAGES))


def test_someone_elses_registration_cannot_be_cancelled(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A)
    _me, me = worker(district)
    _other, other = worker(district)
    other.post(detail(a))
    theirs = Registration.objects.get()
    assert me.post(cancel_url(theirs)).status_code == 404
    assert me.post(reverse("portal:registration_cancel", args=[999999])).status_code == 404
    assert other.get(cancel_url(theirs)).status_code == 405  # a cancel is a POST, never a link
    theirs.refresh_from_db()
    assert theirs.status == S.REGISTERED


def test_no_online_cancel_once_the_activity_has_started(district: Any) -> None:
    start = timezone.localdate() + dt.timedelta(days=2)
    a = make_activity(district.cadre_a, district.A, starts_on=start)
    p, client = worker(district)
    client.post(detail(a))
    reg = Registration.objects.get(person=p)
    with time_machine.travel(dt.datetime.combine(start, dt.time(8, 0), tzinfo=SHANGHAI)):
        client = Client()  # sessions end after 30 idle minutes: sign in again on the day
        client.force_login(p.account)
        response = client.post(cancel_url(reg))
    assert response.status_code == 409
    assert "活动已开始，不能在线取消，请联系主办工会。" in response.content.decode()
    reg.refresh_from_db()
    assert reg.status == S.REGISTERED


def test_signed_out_visitors_and_accounts_without_a_person(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A)
    for url in (LIST, detail(a), MINE, MESSAGES):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:login"))
    cadre = Client()
    cadre.force_login(district.cadre_a)  # a back-office account has no person record
    assert cadre.get(LIST).status_code == 404


EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_pages_are_plain_html_forms_made_for_a_small_screen(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A, title="职工免费体检", capacity=1)
    _p, client = worker(district)
    client.post(detail(a))
    pages = {url: text(client.get(url)) for url in (LIST, detail(a), MINE, MESSAGES)}
    for url, html in pages.items():
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html, url
        assert not EXTERNAL.search(html), f"{url} loads something from another host"
        assert "<script" not in html, f"{url} needs no JavaScript"
        assert "portal/portal.css" in html
    forms = re.findall(r"<form[^>]*>.*?</form>", pages[detail(a)], re.S)
    assert forms
    for form in forms:
        assert 'method="post"' in form
        assert 'name="csrfmiddlewaretoken"' in form
        assert 'type="submit"' in form
