"""The report in a real browser: a leader opens the year's report and clicks a figure to see
the records it counted, then a rate's records it did not count."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.sampledomain.models import Loan
from tests.sampledomain.services import loan_create

SCREENSHOT = "/tmp/gonghui-report.png"  # noqa: S108 - a fixed place to look at it afterwards


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_opens_a_figure_and_its_records(live_server: Any, district: Any, page: Page) -> None:
    root = district.root
    for i, union in enumerate([district.A1, district.A1, district.B1]):
        f.make_person(root, union, name=f"新会员{i}", joined=dt.date(2015, 3 + i, 1))
    for i in range(2):
        loan_create(
            actor=root,
            union=district.A1,
            title=f"借阅{i}",
            borrower="张三",
            lent_on=dt.date(2015, 5, 1),
            due_on=dt.date(2015, 6, 1),
        )
    Loan.objects.filter(title="借阅0").update(returned_on=dt.date(2015, 5, 20))
    base = live_server.url

    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", f.PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")

    page.goto(f"{base}/admin/report/?year=2015")
    report = page.get_by_test_id("annual-report")
    expect(report).to_contain_text("组织建设")
    row = report.locator('tr[data-metric="org.members_joined"]')
    expect(row.locator("td").nth(1)).to_have_text(re.compile(r"^\s*3\s*$"))
    page.screenshot(path=SCREENSHOT, full_page=True)

    row.locator("td").nth(1).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/admin/report/org\.members_joined/\?union=\d+"))
    expect(page.get_by_test_id("metric-value")).to_contain_text("3")
    records = page.get_by_test_id("drilldown")
    for i in range(3):
        expect(records).to_contain_text(f"新会员{i}")
    expect(records.locator("tbody tr")).to_have_count(3)

    # A rate opens to the records it counted, and to those it left out.
    page.goto(f"{base}/admin/report/?year=2015")
    rate = page.locator('tr[data-metric="sample.return_rate"]')
    expect(rate).to_contain_text("50%")
    rate.get_by_role("link", name="未计入的记录").click()
    expect(page.get_by_test_id("drilldown")).to_contain_text("借阅1")
    expect(page.get_by_test_id("drilldown")).not_to_contain_text("借阅0")
