"""A disbursement in a real browser: a street cadre proposes, a second cadre approves
(seeing every benefit of the person, and the medical details once the reason is given),
exports the bank payment list (the reason asked first), then pays; the programme's figures
follow and every reveal is in the access log with its reason."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gonghui.assistance.models import Disbursement, Programme
from gonghui.core.models import PiiAccessLog
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
    live_server: Any, district: Any, page: Page, tmp_path: Path
) -> None:
    f.make_person(district.root, district.A1, name="李助学", joined=dt.date(2012, 1, 1))
    prog = programme(district.admin, district.F, name="2015年春风助学", budget="10000.00")
    second = f.make_user(
        district.root, f.ROLE.UNION_CADRE, district.A, username="cadre_a2", can_reveal_pii=True
    )
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
    page.fill("textarea[name=medical_details]", "子女患哮喘，长期用药")
    page.fill("input[name=payee_account]", "6222 0212 3456 7890 123")
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

    # The medical details show once the reason is given.
    page.goto(f"{base}/admin/assistance/disbursement/{d.pk}/medical/")
    page.fill("input[name=reason]", "审批后核对病情")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("revealed-medical")).to_contain_text("子女患哮喘")

    # The bank payment list asks the reason, then downloads with the full account.
    page.goto(f"{base}/admin/assistance/disbursement/")
    page.check(f"input[name=_selected_action][value='{d.pk}']")
    page.select_option("select[name=action]", "export_bank_list")
    page.locator("button[name=index]").first.click()
    expect(page.locator("body")).to_contain_text("完整银行账号")
    page.fill("input[name=reason]", "九月银行代发")
    with page.expect_download() as download:
        page.get_by_role("button", name="确定导出").click()
    saved = tmp_path / "bank.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[1][1:5] == ("李助学", d.person.ric_masked, "6222021234567890123", "4000.00")
    assert sorted(PiiAccessLog.objects.values_list("field", "reason")) == [
        ("bank_account", "九月银行代发"),
        ("medical_details", "审批后核对病情"),
    ]

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
    expect(row).to_contain_text("4,000.00")  # as an office writes it
