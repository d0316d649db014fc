"""A cadre's morning in a real browser: the workbench lists what waits, a to-do opens the list
of exactly those records; the union tree folds, unfolds (loading children on demand) and
finds a union by name with the path to it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gonghui.assistance import services as aid
from tests import factories as f
from tests.assistance.factories import programme


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_workbench_to_do_opens_the_filtered_list_and_the_tree_folds_and_finds(
    live_server: Any, district: Any, page: Page, tmp_path: Path
) -> None:
    d = district
    prog = programme(d.admin, d.A, name="甲街道慰问", year=timezone.localdate().year, budget="9000")
    for name in ("王甲", "李甲"):
        who = f.make_person(d.admin, d.A1, name=name, joined=dt.date(2014, 1, 1))
        aid.disbursement_propose(
            actor=d.cadre_a, programme=prog, person=who, amount=Decimal("200"), reason="慰问"
        )
    f.make_union(d.admin, d.A1, f.KIND.JOINT, "甲一社区联合工会", code="JT-A-1", joint_kind="trade")
    base = live_server.url

    _sign_in(page, base, "cadre_a")
    todos = page.get_by_test_id("dashboard-todos")
    todo = todos.locator("a", has_text="待审批的帮扶发放")
    expect(todo.get_by_test_id("todo-count")).to_have_text("2")
    expect(page.get_by_test_id("dashboard-charts").locator("svg").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "workbench.png"), full_page=True)

    todo.click()
    expect(page).to_have_url(re.compile(r"/admin/assistance/disbursement/\?state=proposed"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("王甲")
    page.screenshot(path=str(tmp_path / "todo-list.png"), full_page=True)

    # The tree: the street and its community at first; unfolding loads the level below.
    page.goto(f"{base}/admin/tree/")
    tree = page.get_by_test_id("union-tree")
    community = tree.locator("tr", has_text="甲一社区工会")
    expect(community).to_be_visible()
    expect(tree).not_to_contain_text("甲企业工会")
    community.locator("[data-toggle]").click()
    enterprise = tree.locator("tr", has_text="甲企业工会")
    joint = tree.locator("tr", has_text="甲一社区联合工会")
    expect(enterprise).to_be_visible()
    expect(joint).to_be_visible()
    # Folding the community hides what is below it; unfolding shows it again, not reloaded.
    community.locator("[data-toggle]").click()
    expect(enterprise).to_be_hidden()
    expect(joint).to_be_hidden()
    community.locator("[data-toggle]").click()
    expect(joint).to_be_visible()
    expect(tree.locator("tr", has_text="甲企业工会")).to_have_count(1)
    # Folding the street hides both levels below it.
    tree.locator("tr", has_text="甲街道总工会").locator("[data-toggle]").click()
    expect(community).to_be_hidden()
    expect(joint).to_be_hidden()
    tree.locator("tr", has_text="甲街道总工会").locator("[data-toggle]").click()
    expect(joint).to_be_visible()
    page.screenshot(path=str(tmp_path / "tree.png"), full_page=True)

    # Searching by name shows the path to each match, within the cadre's street only.
    search = page.get_by_test_id("tree-search").locator("input[name=q]")
    search.fill("联合")
    search.press("Enter")
    match = page.get_by_test_id("tree-match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("甲街道总工会 › 甲一社区工会 › 甲一社区联合工会")
    page.screenshot(path=str(tmp_path / "tree-search.png"), full_page=True)
    search = page.get_by_test_id("tree-search").locator("input[name=q]")
    search.fill("乙")
    search.press("Enter")
    expect(page.get_by_test_id("tree-matches")).to_contain_text("没有名称或代码相符的工会组织")
