"""A union's page in the back office: its members, sub-unions, cadres, covered enterprises,
activities, aid and its annual report, each domain's panel registered in core; no internal
tree path, no "view on site" leading back to the page itself."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.organisation.models import CadrePosition
from gonghui.organisation.services import cadre_appoint
from tests import factories as f
from tests.activities.conftest import make_activity

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _page(user: Any, union: Any) -> Any:
    return _client(user).get(reverse("admin:organisation_union_change", args=[union.pk]))


@pytest.fixture
def lively(district: Any) -> Any:
    d = district
    for _n in range(3):
        f.make_person(d.admin, d.A1, joined=dt.date(2014, 1, 1))
    f.make_person(d.admin, d.EA, joined=dt.date(2014, 1, 1))
    chair = f.make_person(d.admin, d.A1, joined=dt.date(2014, 1, 1), name="张主席")
    cadre_appoint(
        actor=d.admin,
        union=d.A1,
        person=chair,
        position=CadrePosition.values[0],
        full_time=True,
        appointed_on=dt.date(2014, 1, 1),
        recruited_by_exam=False,
    )
    make_activity(d.admin, d.A1, title="社区体检")
    return d


def test_union_page_shows_every_domains_panel(lively: Any) -> None:
    response = _page(lively.admin, lively.A1)
    html = response.content.decode()
    titles = [p.title for p in response.context_data["panels"]]
    assert titles == ["组织与干部", "会员", "活动", "帮扶救助", "年度工作报告"]
    assert "张主席" in html
    assert f"/admin/report/?union={lively.A1.pk}" in html
    assert "树路径" not in html
    assert lively.A1.path not in html
    assert "在站点上查看" not in html
    assert "View on site" not in html


def test_each_panel_link_lists_exactly_what_it_counts(lively: Any) -> None:
    client = _client(lively.cadre_a)
    panels = _page(lively.cadre_a, lively.A1).context_data["panels"]
    checked = 0
    for panel in panels:
        for label, value, link in panel.rows:
            number = re.match(r"^([\d,]+) ", value)
            if not link or number is None:
                continue
            listed = client.get(link)
            assert listed.status_code == 200, link
            assert listed.context_data["cl"].result_count == int(number[1].replace(",", "")), label
            checked += 1
    assert checked >= 6
    rows = {label: value for p in panels for label, value, _link in p.rows}
    assert rows["本级在册会员"] == "4 人"  # three and the chair
    assert rows["含下级工会会员"] == "5 人"
    assert rows["下级工会"] == "1 个"
    assert rows["在任工会干部"] == "1 人"
    assert rows["覆盖企业"] == "0 家"
    assert rows["本级主办的活动"] == "1 场"


def test_a_cadre_of_another_street_cannot_open_the_union_page(lively: Any) -> None:
    response = _page(lively.cadre_b, lively.A1)
    assert response.status_code in (302, 404)
    assert "张主席" not in response.content.decode()
