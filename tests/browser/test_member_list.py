"""The member list and the person form in Chromium: filters by street, union subtree, age band
and status; every visible input of the person form with a border, a usable height and a
name. Screenshots go to the test's tmp_path."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gonghui.membership import services
from gonghui.membership.models import EndReason
from tests import factories as f

#: each visible input, select and textarea: its border, height and accessible name
INPUT_CHECK = """() => [...document.querySelectorAll(
  '#content-main input, #content-main select, #content-main textarea')].filter(el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && el.type !== 'hidden'
      && el.type !== 'checkbox' && el.type !== 'radio' && el.type !== 'submit'
      && !el.classList.contains('select2-hidden-accessible');  // shown by its select2 box
  }).map(el => {
    const s = getComputedStyle(el);
    const label = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.getAttribute('title');
    return {name: el.name, border: parseFloat(s.borderTopWidth) > 0 && s.borderTopStyle !== 'none',
            height: el.getBoundingClientRect().height, labelled: !!label};
  })"""


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")


def names_in(page: Page) -> set[str]:
    return set(page.locator("#result_list tbody tr td.field-person_link").all_inner_texts())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_list_filters_and_person_form_inputs(
    live_server: Any, district: Any, page: Page, tmp_path: Any
) -> None:
    r, d = district.root, district
    today = timezone.localdate()
    young = f.make_ric(born=today.replace(year=today.year - 30, day=1))
    older = f.make_ric(born=today.replace(year=today.year - 45, day=1))
    f.make_person(r, d.EA, name="赵青年", joined=dt.date(2014, 3, 1), ric=young)
    f.make_person(r, d.A1, name="钱中年", joined=dt.date(2014, 3, 1), ric=older)
    f.make_person(r, d.EB, name="孙乙街", joined=dt.date(2014, 3, 1))
    left = f.make_person(r, d.EA, name="李已退", joined=dt.date(2014, 3, 1))
    services.membership_leave(
        actor=r, membership=left.memberships.get(), on=dt.date(2020, 1, 1), reason=EndReason.LEFT
    )
    base = live_server.url
    sign_in(page, base, "fedadmin")

    # Current members by default: the leaver is not listed until "已终止" is chosen.
    page.goto(f"{base}/admin/membership/membership/")
    expect(page.locator("#result_list")).to_contain_text("赵青年")
    assert names_in(page) == {"赵青年", "钱中年", "孙乙街"}
    page.goto(f"{base}/admin/membership/membership/?status=ended")
    assert names_in(page) == {"李已退"}

    # A street, then an age band within it, through the filter panel's links.
    page.goto(f"{base}/admin/membership/membership/?street={d.A.pk}")
    assert names_in(page) == {"赵青年", "钱中年"}
    page.goto(f"{base}/admin/membership/membership/?street={d.A.pk}&age=lt35")
    assert names_in(page) == {"赵青年"}
    # Any union's subtree: the enterprise union below community A1.
    page.goto(f"{base}/admin/membership/membership/?union__id__exact={d.EA.pk}")
    assert names_in(page) == {"赵青年"}
    # The same through the filter panel, as a cadre does it.
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{base}/admin/membership/membership/")
    page.locator("a", has_text="筛选").first.click()
    page.screenshot(path=str(tmp_path / "member-filters.png"), full_page=True)
    page.get_by_role("link", name="甲街道总工会").click()
    expect(page).to_have_url(re.compile(rf"street={d.A.pk}"))
    assert names_in(page) == {"赵青年", "钱中年"}
    page.screenshot(path=str(tmp_path / "member-list.png"), full_page=True)
    # no link of the list lacks a name
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('#result_list a')].filter(
            a => !a.innerText.trim() && !a.getAttribute('aria-label')).length"""
    )
    assert unnamed == 0

    # The person form: every visible input has a border, a usable height and a name.
    page.goto(f"{base}/admin/membership/person/add/")
    expect(page.locator("#id_ric")).to_be_visible()
    inputs = page.evaluate(INPUT_CHECK)
    by_name = {i["name"]: i for i in inputs}
    assert {"ric", "joined_on", "name"} <= set(by_name)
    bad = [i for i in inputs if not i["border"] or i["height"] < 30 or not i["labelled"]]
    assert bad == []
    page.screenshot(path=str(tmp_path / "person-form.png"), full_page=True)
    assert re.search(r"身份证号码", page.content())
