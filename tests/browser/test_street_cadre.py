"""The main flow of a street cadre in a real browser: sign in, the tree, the person list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f

SCREENSHOT = "/tmp/gonghui-tree.png"  # noqa: S108 - a fixed place to look at it afterwards


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_street_cadre_sees_only_its_own_street(live_server: Any, district: Any, page: Page) -> None:
    root = district.root
    joined = dt.date(2014, 3, 1)
    f.make_person(root, district.A1, name="张甲一", joined=joined)
    f.make_person(root, district.EA, name="张甲二", joined=joined)
    street_b_person = f.make_person(root, district.B1, name="张乙一", joined=joined)
    base = live_server.url

    # Signing in: /admin/ sends an anonymous visitor to the login page.
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", "cadre_a")
    page.fill("#id_password", f.PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")

    # The union tree lists street A's unions and nothing of street B; the enterprise union,
    # two levels below the street, shows once its community is unfolded.
    page.goto(f"{base}/admin/tree/")
    tree = page.get_by_test_id("union-tree")
    expect(tree).not_to_contain_text("甲企业工会")
    tree.locator("tr", has_text="甲一社区工会").locator("[data-toggle]").click()
    for name in ["甲街道总工会", "甲一社区工会", "甲企业工会"]:
        expect(tree).to_contain_text(name)
    for name in ["乙街道总工会", "乙一社区工会", "乙企业工会", "测试区总工会"]:
        expect(tree).not_to_contain_text(name)
    # Street A counts its two members (one in A1, one in the enterprise union below it).
    headers = tree.locator("thead th").all_inner_texts()
    with_subunions = headers.index("含下级会员")
    street_a = tree.locator("tr", has_text="甲街道总工会")
    expect(street_a.locator("td").nth(with_subunions)).to_have_text("2")
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Searching the person list by name finds street A's people only.
    page.goto(f"{base}/admin/membership/person/")
    search = page.locator("input[name=q]")
    search.fill("张")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    results = page.locator("#result_list")
    expect(results).to_contain_text("张甲一")
    expect(results).to_contain_text("张甲二")
    expect(results).not_to_contain_text("张乙一")

    # Opening a street-B person by its address shows no record.
    page.goto(f"{base}/admin/membership/person/{street_b_person.pk}/change/")
    expect(page).to_have_url(f"{base}/admin/")
    expect(page.locator("body")).to_contain_text("不存在")
    expect(page.locator("body")).not_to_contain_text("张乙一")
