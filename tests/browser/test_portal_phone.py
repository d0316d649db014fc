"""Every portal page on a 375 px phone (and a 1440 px screen) in Chromium: nothing wider than
the screen, no English words, all five tabs inside it on every signed-in page (the aid pages
too), the confirmation after registering, and a screenshot of each page under the test's own
directory."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.assistance import services as aid
from tests import factories as f
from tests.activities.conftest import make_activity
from tests.assistance.factories import programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PHONE = {"width": 375, "height": 812}
TABS = ["活动报名", "我的报名", "会员证", "消息", "我的会籍"]
#: Latin words a Chinese page may show: file formats and units, not sentences
ALLOWED_LATIN = {"PDF", "JPG", "PNG", "MB", "Python", "random", "Random", "shuffle"}


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=[375, 1440], ids=["phone", "desktop"])
def phone(browser: Browser, request: Any) -> Iterator[Page]:
    """A 375 px phone, then a 1440 px desktop screen."""
    small = request.param == PHONE["width"]
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE if small else {"width": request.param, "height": 900},
        is_mobile=small,
        has_touch=small,
    )
    context.set_default_timeout(15_000)
    tab: Any = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def check(page: Page, shots: Path, name: str, *, tabs: bool = True) -> None:
    """The page fits the phone, its five tabs (if signed in) are whole inside the screen, and
    a full-page screenshot is saved."""
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{name}: {width}px wide on a {inner}px phone"
    words = set(re.findall(r"[A-Za-z]{2,}", page.locator("body").inner_text()))
    assert not words - ALLOWED_LATIN, f"{name}: English on a Chinese page: {words}"
    nav = page.get_by_role("navigation", name="栏目")
    if not tabs:
        expect(nav).to_have_count(0)
        return
    links = nav.get_by_role("link")
    expect(links).to_have_text(TABS)
    for i in range(len(TABS)):
        box = links.nth(i).bounding_box()
        assert box is not None
        assert box["x"] >= 0, f"{name}: tab {TABS[i]} starts off screen"
        assert box["x"] + box["width"] <= inner, f"{name}: tab {TABS[i]} is cut off"
        assert box["height"] >= 30, f"{name}: tab {TABS[i]} is too small to tap"
        clipped = links.nth(i).evaluate("a => a.scrollWidth > a.clientWidth")
        assert not clipped, f"{name}: the text of tab {TABS[i]} does not fit in it"


def test_every_portal_page_fits_a_phone_with_its_tabs(
    live_server: Any, district: Any, phone: Page, tmp_path: Path
) -> None:
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    base = live_server.url
    with time_machine.travel(now):
        activity = make_activity(
            district.cadre_a,
            district.A,
            title="甲街道职工免费体检（空腹）",
            starts_on=dt.date(2026, 3, 20),
            start_time=dt.time(8, 30),
            place="甲街道社区卫生服务中心三楼体检科",
            description="请携带身份证，体检当天早晨空腹。",
            capacity=30,
        )
        education = programme(
            district.admin, district.F, name="2026年春风助学", portal_open=True, year=2026
        )
        programme(district.admin, district.F, name="2015年春风助学", portal_open=True)
        me = f.make_person(
            district.root, district.A1, name="陈小燕", mobile="13900001111", ric=f.make_ric()
        )
        user = user_create(
            actor=district.root,
            username="+8613900001111",
            password=f.PASSWORD,
            role=RoleGrant.Role.WORKER,
            union=None,
            person=me,
        )
        application = aid.application_submit(
            actor=user,
            programme=education,
            amount_requested="3000",
            statement="女儿考上大学",
            child_name="陈小红",
            child_school="浙江大学",
            child_grade="大一",
        )

        for path, name in (("/", "home"), ("/login/", "login"), ("/claim/", "claim")):
            phone.goto(f"{base}{path}")
            check(phone, tmp_path, f"out-{name}", tabs=False)

        phone.goto(f"{base}/login/")
        phone.fill("#id_username", "139 0000 1111")
        phone.fill("#id_password", "not-the-password")
        phone.get_by_role("button", name="登录").click()
        expect(phone.get_by_role("alert")).to_contain_text("手机号码或密码不正确")
        check(phone, tmp_path, "login-wrong-password", tabs=False)
        phone.fill("#id_username", "139 0000 1111")
        phone.fill("#id_password", f.PASSWORD)
        phone.get_by_role("button", name="登录").click()
        expect(phone).to_have_url(f"{base}/me/")
        expect(phone.get_by_role("link", name="申请入会")).to_be_visible()  # not a member
        check(phone, tmp_path, "me")

        phone.get_by_role("navigation", name="栏目").get_by_role("link", name="活动报名").click()
        expect(phone.locator("main")).to_contain_text("2026-03-20 08:30")
        check(phone, tmp_path, "activities")
        phone.get_by_role("link", name=re.compile("甲街道职工免费体检")).click()
        expect(phone.get_by_test_id("activity-when")).to_contain_text("2026-03-20 08:30")
        expect(phone.get_by_test_id("activity-description")).to_contain_text("空腹")
        check(phone, tmp_path, "activity")
        phone.get_by_role("button", name="报名", exact=True).click()
        expect(phone.get_by_role("status")).to_contain_text("报名成功")
        check(phone, tmp_path, "activity-registered")
        phone.get_by_role("button", name="取消报名").click()
        expect(phone.get_by_role("status")).to_contain_text("已取消")
        check(phone, tmp_path, "activity-cancelled")

        pages = {
            "registrations": "/registrations/",
            "card": "/card/",
            "messages": "/messages/",
            "apply": "/apply/",
            "aid": "/aid/",
            "aid-apply": f"/aid/apply/{education.pk}/",
            "aid-detail": f"/aid/{application.pk}/",
        }
        for name, path in pages.items():
            phone.goto(f"{base}{path}")
            check(phone, tmp_path, name)
        phone.goto(f"{base}/aid/")
        expect(phone.locator("main")).to_contain_text("2026年春风助学")
        expect(phone.locator("main")).not_to_contain_text("2015年春风助学")
        phone.goto(f"{base}/aid/apply/{education.pk}/")
        expect(phone.get_by_label("就读学校")).to_be_visible()
    assert activity.pk
