"""What a worker needs to trust the portal: the tab bar on every page, a confirmation after
each step, the activity's time, place and description, aid offered only while a programme
takes applications, an education-aid form that names the child, no join form for members and
a wrong password told in the form's own words."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.activities.models import Registration
from gonghui.assistance import services as aid
from gonghui.assistance.models import AidApplication
from gonghui.core.errors import DomainError
from tests import factories as f
from tests.activities.conftest import make_activity
from tests.assistance.factories import programme

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
IN_2026 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
TABS = ("活动报名", "我的报名", "会员证", "消息", "我的会籍")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(district: Any, *, member: bool = True, **kw: Any) -> tuple[Any, Any, Client]:
    """A worker of street A's community union, a member since 2012 unless told otherwise."""
    joined = dt.date(2012, 1, 1) if member else None
    p = f.make_person(district.root, district.A1, joined=joined, ric=f.make_ric(), **kw)
    user = user_create(
        actor=district.root,
        username=f"w{p.pk}",
        password=f.PASSWORD,
        role=RoleGrant.Role.WORKER,
        union=None,
        person=p,
    )
    client = Client()
    client.force_login(user)
    return p, user, client


def html_of(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def tab_bar(html: str) -> list[str]:
    nav = re.search(r'<nav class="tabs".*?</nav>', html, re.S)
    assert nav, "no tab bar"
    return re.findall(r">([^<>]+)</a>", nav.group(0))


# --- the tab bar and confirmations -------------------------------------------------------------


def test_every_signed_in_portal_page_has_the_same_five_tabs(district: Any) -> None:
    with time_machine.travel(IN_2026, tick=False):
        _p, _u, client = signed_in(district, member=False)
        education = programme(
            district.admin, district.F, name="2026年春风助学", portal_open=True, year=2026
        )
        pages = [
            reverse("portal:me"),
            reverse("portal:card"),
            reverse("portal:activities"),
            reverse("portal:registrations"),
            reverse("portal:notifications"),
            reverse("portal:apply"),
            reverse("assistance_portal:index"),
            reverse("assistance_portal:apply", args=[education.pk]),
        ]
        for url in pages:
            assert tab_bar(html_of(client.get(url))) == list(TABS), url


def test_registering_and_cancelling_are_confirmed_on_the_page(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A, title="职工健步走", capacity=1)
    p, _u, client = signed_in(district)
    url = reverse("portal:activity", args=[a.pk])
    html = html_of(client.post(url, follow=True))
    assert "报名成功：“职工健步走”已为您保留名额。" in html
    _other, _u2, late = signed_in(district)
    assert "您已加入“职工健步走”的候补，目前排第 1 位" in html_of(late.post(url, follow=True))
    reg = Registration.objects.get(person=p)
    cancel = reverse("portal:registration_cancel", args=[reg.pk])
    html = html_of(client.post(cancel, follow=True))
    assert "已取消“职工健步走”的报名。" in html
    assert "已取消" in html


def test_the_activity_shows_its_start_time_place_and_description(district: Any) -> None:
    a = make_activity(
        district.cadre_a,
        district.A,
        title="职工免费体检",
        start_time=dt.time(8, 30),
        place="甲街道社区卫生服务中心",
        description="请空腹，携带身份证。",
    )
    _p, _u, client = signed_in(district)
    page = html_of(client.get(reverse("portal:activity", args=[a.pk])))
    day = a.starts_on.strftime("%Y-%m-%d")
    assert f"{day} 08:30开始" in page
    assert "甲街道社区卫生服务中心" in page
    assert "请空腹，携带身份证。" in page
    assert f"{day} 08:30" in html_of(client.get(reverse("portal:activities")))
    bare = make_activity(district.cadre_a, district.A, title="职工座谈会")
    page = html_of(client.get(reverse("portal:activity", args=[bare.pk])))
    assert "待通知" in page  # no place yet is said, not left blank
    assert "主办工会暂未填写活动内容" in page


# --- joining and signing in ---------------------------------------------------------------------


def test_a_member_is_not_offered_the_join_form_and_is_turned_back(district: Any) -> None:
    _p, _u, client = signed_in(district)
    apply_url = reverse("portal:apply")
    assert apply_url not in html_of(client.get(reverse("portal:me")))
    response = client.get(apply_url, follow=True)
    assert response.redirect_chain == [(reverse("portal:me"), 302)]
    assert "您已是工会会员，无需申请入会" in html_of(response)
    posted = client.post(apply_url, {"union": district.A1.code}, follow=True)
    assert "您已是工会会员，无需申请入会" in html_of(posted)
    assert not _p.applications.exists()


def test_a_worker_not_yet_a_member_applies_and_is_told_so(district: Any) -> None:
    p, _u, client = signed_in(district, member=False)
    apply_url = reverse("portal:apply")
    assert apply_url in html_of(client.get(reverse("portal:me")))
    response = client.post(apply_url, {"union": district.A1.code, "statement": ""}, follow=True)
    assert "入会申请已提交，请等待工会审核。" in html_of(response)
    assert p.applications.get().union == district.A1


def test_a_wrong_password_is_told_in_the_forms_words(district: Any) -> None:
    signed_in(district, mobile="13900003333")
    response = Client().post(
        reverse("portal:login"), {"username": "139 0000 3333", "password": "wrong-one"}
    )
    html = html_of(response)
    assert "手机号码或密码不正确" in html
    assert "用户名" not in html


# --- aid: what is open now, and the child of an education aid -----------------------------------


def test_only_programmes_taking_applications_now_are_offered(district: Any) -> None:
    old = programme(district.admin, district.F, name="2015年春风助学", portal_open=True)
    this_year = programme(
        district.admin, district.F, name="2026年春风助学", portal_open=True, year=2026
    )
    late_window = programme(  # last year's, with applications until the end of March
        district.admin,
        district.F,
        kind="mutual_aid",
        name="2025年医疗互助补申请",
        portal_open=True,
        year=2025,
        applications_close_on=dt.date(2026, 3, 31),
    )
    not_yet = programme(
        district.admin,
        district.F,
        kind="summer_cooling",
        name="2026年高温送清凉",
        portal_open=True,
        year=2026,
        applications_open_on=dt.date(2026, 6, 1),
    )
    unticked = programme(district.admin, district.F, name="2026年金秋助学", year=2026)
    with time_machine.travel(IN_2026, tick=False):
        _p, user, client = signed_in(district)
        html = html_of(client.get(reverse("assistance_portal:index")))
        assert "2026年春风助学" in html
        assert "2025年医疗互助补申请" in html
        for closed in (old, not_yet, unticked):
            assert closed.name not in html
            url = reverse("assistance_portal:apply", args=[closed.pk])
            assert client.get(url).status_code == 404
        with pytest.raises(DomainError) as err:
            aid.application_submit(
                actor=user, programme=old, amount_requested="100", statement="学费"
            )
        assert str(err.value.message) == "该项目当前不在网上申请时间内。"
        assert this_year.pk
        assert late_window.pk
    assert not AidApplication.objects.exists()


def test_an_application_window_cannot_close_before_it_opens(district: Any) -> None:
    with pytest.raises(Exception, match="网上申请截止日期不能早于开始日期"):
        programme(
            district.admin,
            district.F,
            year=2026,
            applications_open_on=dt.date(2026, 5, 1),
            applications_close_on=dt.date(2026, 4, 1),
        )


def test_the_education_aid_form_records_the_childs_name_school_and_grade(district: Any) -> None:
    with time_machine.travel(IN_2026, tick=False):
        education = programme(
            district.admin,
            district.F,
            name="2026年春风助学",
            portal_open=True,
            year=2026,
            max_amount=Decimal("5000"),
        )
        _p, _u, client = signed_in(district)
        url = reverse("assistance_portal:apply", args=[education.pk])
        form = html_of(client.get(url))
        for label in ("子女姓名", "就读学校", "就读年级"):
            assert label in form
        base = {"amount_requested": "3000", "statement": "女儿考上大学", "kind1": "enrolment"}
        base["kind2"] = "other"
        missing_school = html_of(
            client.post(url, {**base, "child_name": "王小红", "child_grade": "大一"})
        )
        assert "助学申请请填写子女就读的学校。" in missing_school
        assert not AidApplication.objects.exists()
        done = client.post(
            url,
            {**base, "child_name": "王小红", "child_school": "浙江大学", "child_grade": "大一"},
            follow=True,
        )
        assert "申请已提交，请留意审核进度。" in html_of(done)
        application = AidApplication.objects.get()
        assert (
            application.child_name,
            application.child_school,
            application.child_grade,
        ) == ("王小红", "浙江大学", "大一")

        cadre = Client()
        cadre.force_login(district.cadre_a)
        admin_url = reverse("admin:assistance_aidapplication_change", args=[application.pk])
        page = html_of(cadre.get(admin_url))
        for shown in ("王小红", "浙江大学", "大一", "就读学校"):
            assert shown in page


def test_other_aid_asks_nothing_about_a_child(district: Any) -> None:
    with time_machine.travel(IN_2026, tick=False):
        mutual = programme(
            district.admin,
            district.F,
            kind="mutual_aid",
            name="2026年医疗互助",
            portal_open=True,
            year=2026,
        )
        _p, user, client = signed_in(district)
        form = html_of(client.get(reverse("assistance_portal:apply", args=[mutual.pk])))
        assert "子女姓名" not in form
        application = aid.application_submit(
            actor=user,
            programme=mutual,
            amount_requested="800",
            statement="住院",
            child_name="不该记录",
        )
        assert application.child_name == ""
