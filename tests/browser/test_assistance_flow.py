"""A disbursement in a real browser: a street cadre proposes, a second cadre approves
(seeing every benefit of the person), then pays; the programme's figures follow."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gonghui.assistance.models import Disbursement, Programme
from tests import factories as f
from tests.assistance.factories import programme

SCREENSHOT = "/tmp/gonghui-aid-approve.png"  # noqa: S108 - a fixed place to look at it afterwards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")


def test_propose_approve_by_a_second_cadre_and_pay(
    live_server: Any, district: Any, page: Page
) -> None:
    f.make_person(district.root, district.A1, name="李助学", joined=dt.date(2012, 1, 1))
    prog = programme(district.admin, district.F, name="2015年春风助学", budget="10000.00")
    second = f.make_user(district.root, f.ROLE.UNION_CADRE, district.A, username="cadre_a2")
    base = live_server.url

    # The street cadre proposes 4,000 yuan.
    _sign_in(page, base, "cadre_a")
    page.goto(f"{base}/admin/assistance/disbursement/add/")
    page.select_option("select[name=programme]", label="2015年春风助学")
    page.locator(".field-person .select2-selection").click()
    page.locator(".select2-search__field").fill("李助")
    page.locator(".select2-results__option", has_text="李助学").click()
    page.fill("input[name=amount]", "4000")
    page.fill("input[name=reason]", "资助子女就读大学")
    page.locator("button[name=_save]").first.click()
    expect(page.locator("body")).to_contain_text("李助学")
    d = Disbursement.objects.get()
    assert d.state == "proposed"

    # The proposer cannot approve it.
    page.goto(f"{base}/admin/assistance/disbursement/{d.pk}/approve/")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="确定").click()
    expect(page.locator("body")).to_contain_text("不能是提出人本人")

    # A second cadre approves, after reading the person's benefits, then pays.
    _sign_in(page, base, second.username)
    page.goto(f"{base}/admin/assistance/disbursement/{d.pk}/change/")
    page.get_by_role("link", name="审批").first.click()
    expect(page.get_by_test_id("benefits")).to_contain_text("2015年春风助学")
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.check("input[name=confirm]")
    page.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(rf"/disbursement/{d.pk}/change/"))
    expect(page.locator("body")).to_contain_text("已审批")

    page.goto(f"{base}/admin/assistance/disbursement/{d.pk}/pay/")
    page.fill("input[name=paid_on]", "2015-09-01")
    page.get_by_role("button", name="确定").click()
    expect(page.locator("body")).to_contain_text("已登记发放")

    d.refresh_from_db()
    assert (d.state, d.proposed_by.username, d.approved_by, d.paid_on) == (
        "paid",
        "cadre_a",
        second,
        dt.date(2015, 9, 1),
    )
    prog = Programme.objects.get(pk=prog.pk)
    assert (prog.committed, prog.paid) == (Decimal("4000.00"), Decimal("4000.00"))
    page.goto(f"{base}/admin/assistance/disbursement/")
    row = page.locator("#result_list tr", has_text="李助学")
    expect(row).to_contain_text("已发放")
    expect(row).to_contain_text("4000.00")
