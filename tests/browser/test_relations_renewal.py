"""Recording a renewal from the expiring list in a real browser: a street cadre opens the
contracts expiring in 60 days, starts the renewal of one, lands on the offer it sent (with its
20-day answer deadline) and finds the list now pointing at that offer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gonghui.relations.models import BargainingOffer
from tests import factories as f
from tests.relations.factories import in_force

SCREENSHOT = "/tmp/gonghui-relations-expiring.png"  # noqa: S108 - a fixed place to look at it

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_renewal_from_the_expiring_list(live_server: Any, district: Any, page: Page) -> None:
    contract = in_force(
        district.root,
        district.EA,
        [district.ent_a],
        kind="wage",
        signed_on=dt.date(2015, 1, 5),
        expires_on=dt.date(2015, 12, 31),
        title="甲企业2015年度工资专项集体合同",
    )
    base = live_server.url
    # Beijing time, 2 November 2015: the agreement expires within 60 days.
    with time_machine.travel(dt.datetime(2015, 11, 2, 1, tzinfo=dt.UTC), tick=True):
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "cadre_a")
        page.fill("#id_password", f.PASSWORD)
        page.locator("#login-form button[type=submit]").click()
        expect(page).to_have_url(f"{base}/admin/")

        page.goto(f"{base}/admin/relations/expiring/")
        table = page.get_by_test_id("expiring")
        row = table.locator(f"tr[data-contract='{contract.pk}']")
        expect(row).to_contain_text("甲企业2015年度工资专项集体合同")
        expect(row).to_contain_text("2015-12-31")
        page.screenshot(path=SCREENSHOT, full_page=True)
        row.get_by_role("button", name="发起续签").click()

        offer = BargainingOffer.objects.get()
        expect(page).to_have_url(
            re.compile(rf"/admin/relations/bargainingoffer/{offer.pk}/change/")
        )
        body = page.locator("body")
        expect(body).to_contain_text("已向甲企业有限公司发出续签要约")
        expect(body).to_contain_text("2015-11-23")  # the written answer is due in 20 days
        expect(body).to_contain_text("甲企业2015年度工资专项集体合同")  # the contract it renews
        assert (offer.renews, offer.kind, offer.offered_on) == (
            contract,
            "wage",
            dt.date(2015, 11, 2),
        )

        page.goto(f"{base}/admin/relations/expiring/")
        expect(
            page.get_by_test_id("expiring").locator(f"tr[data-contract='{contract.pk}']")
        ).to_contain_text("已发出续签要约")
