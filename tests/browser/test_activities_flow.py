"""The two main activity flows in a real browser: a worker registers and cancels on a phone;
a cadre checks people in at the door."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.activities import services
from gonghui.activities.models import Registration, RegistrationStatus
from tests import factories as f
from tests.activities.conftest import make_activity, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")  # noqa: S108 - outside the repository, to look at afterwards
PHONE = {"width": 375, "height": 812}
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """Like the conftest's ``page``, on a 375 px wide phone screen."""
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    tab: Any = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"
    empty = page.evaluate(
        "[...document.querySelectorAll('.card')].filter(c => !c.innerText.trim()).length"
    )
    assert empty == 0, f"{page.url} shows {empty} empty box(es)"


def test_worker_registers_and_cancels_on_a_phone(
    live_server: Any, district: Any, phone: Page
) -> None:
    activity = make_activity(
        district.cadre_a,
        district.A,
        title="甲街道职工免费体检（空腹）",
        place="甲街道社区卫生服务中心三楼体检科",
        description="请携带身份证，体检当天早晨空腹。",
        capacity=30,
    )
    me = person(district.root, district.EA, name="陈小燕", mobile="13900001111")
    user_create(
        actor=district.root,
        username="+8613900001111",
        password=f.PASSWORD,
        role=RoleGrant.Role.WORKER,
        union=None,
        person=me,
    )
    base = live_server.url

    phone.goto(f"{base}/login/")
    shot(phone, "portal-1-login")
    phone.fill("#id_username", "139 0000 1111")
    phone.fill("#id_password", f.PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone).to_have_url(f"{base}/me/")

    tabs = phone.get_by_role("navigation", name="栏目")
    tabs.get_by_role("link", name="活动报名").click()
    expect(phone).to_have_url(f"{base}/activities/")
    expect(phone.locator("main")).to_contain_text("剩余 30 个名额")
    assert_fits_the_screen(phone)
    shot(phone, "portal-2-activities")

    phone.get_by_role("link", name=re.compile("甲街道职工免费体检")).click()
    expect(phone).to_have_url(f"{base}/activities/{activity.pk}/")
    phone.get_by_role("button", name="报名", exact=True).click()
    expect(phone.locator(".tag.ok")).to_have_text("已报名")
    assert_fits_the_screen(phone)
    shot(phone, "portal-3-registered")

    phone.get_by_role("button", name="取消报名").click()
    expect(phone.locator(".tag.off")).to_have_text("已取消")
    expect(phone.get_by_role("button", name="报名", exact=True)).to_be_visible()
    assert_fits_the_screen(phone)
    shot(phone, "portal-4-cancelled")

    tabs.get_by_role("link", name="我的报名").click()
    expect(phone.locator("main")).to_contain_text("已取消")
    assert_fits_the_screen(phone)
    shot(phone, "portal-5-registrations")
    tabs.get_by_role("link", name="消息").click()
    assert_fits_the_screen(phone)
    shot(phone, "portal-6-messages")

    reg = Registration.objects.get(person=me)
    assert reg.status == RegistrationStatus.CANCELLED


def test_cadre_checks_people_in_from_the_door_list(
    live_server: Any, district: Any, page: Page
) -> None:
    start = timezone.localdate() + dt.timedelta(days=1)
    activity = make_activity(  # held tomorrow: registration is open until it starts
        district.cadre_a,
        district.A,
        title="“五一”职工趣味运动会",
        place="甲街道文体中心",
        starts_on=start,
        capacity=5,
    )
    for name in ("张三", "李四"):
        p = person(district.root, district.A1, name=name)
        services.registration_create(actor=district.cadre_a, activity=activity, person=p)
    base = live_server.url

    # On the day: the back office's sessions end after 30 idle minutes, so sign in then.
    with time_machine.travel(dt.datetime.combine(start, dt.time(8, 30), tzinfo=SHANGHAI)):
        page.goto(f"{base}/admin/")  # sends the visitor to the login page and back
        page.fill("#id_username", "cadre_a")
        page.fill("#id_password", f.PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page).to_have_url(f"{base}/admin/")

        page.goto(f"{base}/admin/activities/activity/{activity.pk}/change/")
        shot(page, "admin-1-activity")
        page.get_by_role("link", name=re.compile("签到名单")).click()
        expect(page).to_have_url(f"{base}/admin/activities/activity/{activity.pk}/door/")
        counts = page.get_by_test_id("door-counts")
        expect(counts).to_contain_text("0 / 2")
        shot(page, "admin-2-door-list")

        page.get_by_role("button", name="张三 签到").click()
        expect(counts).to_contain_text("1 / 2")
        row = page.get_by_test_id("door-list").locator("tr", has_text="张三")
        expect(row).to_contain_text("已签到")
        expect(row).to_contain_text("08:3")
        expect(page.get_by_role("button", name="张三 签到")).to_have_count(0)
        expect(page.get_by_role("button", name="李四 签到")).to_be_visible()
        expect(page.locator("body")).to_contain_text("张三 签到成功。")
        shot(page, "admin-3-checked-in")

    statuses = dict(
        Registration.objects.filter(activity=activity).values_list("person__name", "status")
    )
    assert statuses == {"张三": RegistrationStatus.ATTENDED, "李四": RegistrationStatus.REGISTERED}
