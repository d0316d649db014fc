"""The leaders' dashboard (管理可视化) and the chart providers the domains register: members
and unions over time, activities by month, aid paid against budget, per union one level down."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.activities import services as activity_services
from gonghui.core.backoffice import charts_for
from gonghui.core.metrics import Period
from gonghui.core.scope import SYSTEM
from gonghui.reports.leaders import leaders_dashboard
from tests.assistance import factories as af

from .conftest import client_for

D = dt.date
DASHBOARD = reverse("admin:leaders_dashboard")


@pytest.fixture
def busy(year):
    d = year.d
    for month, union in ((3, d.A1), (3, d.B1), (7, d.A1)):
        a = activity_services.activity_create(
            actor=d.root,
            union=union,
            kind="cultural",
            title=f"{union.name}{month}月读书会",
            starts_on=D(2015, month, 10),
            capacity=None,
        )
        activity_services.activity_publish(actor=d.root, activity=a)
    prog = af.programme(d.root, d.A, budget="20000.00", name="甲助学")
    af.paid(d.cadre_a, d.admin, prog, af.person(d.root, d.A1, name="受助学生"), "3000.00")
    return year


def test_each_domain_registers_its_charts(busy):
    charts = {c.key: c for c in charts_for(SYSTEM, busy.d.F, 2015)}

    assert {
        "organisation.unions",
        "organisation.unions_per_child",
        "membership.members",
        "membership.members_per_child",
        "activities.by_month",
        "assistance.budget",
    } <= set(charts)
    for chart in charts.values():
        assert chart.svg.startswith("<svg")
        assert "<script" not in chart.svg
        assert "http://" not in re.sub(r'xmlns(:\w+)?="http://[^"]+"', "", chart.svg)
    assert "甲街道总工会" in charts["membership.members_per_child"].svg
    assert "乙街道总工会" in charts["membership.members_per_child"].svg
    assert "文化活动" in charts["activities.by_month"].svg
    assert "甲助学" in charts["assistance.budget"].svg


def test_street_charts_name_only_the_streets_own_unions(busy):
    for chart in charts_for(busy.d.cadre_a, busy.d.A, 2015):
        assert "乙" not in chart.svg, chart.key


def test_dashboard_counts_per_union_one_level_down(busy):
    d = busy.d
    board = leaders_dashboard(actor=SYSTEM, union=d.F, period=Period.of(2015))

    assert [c.union for c in board.children] == [d.A, d.B]
    members = board.counter_labels.index("会员")
    # On 31 December 2015: street A has its three 2015 members, the 2014 one and the student
    # (a member since 2012); street B one.
    assert board.counters[members] == 6
    assert [c.counters[members] for c in board.children] == [5, 1]
    headline = {r.entry.id: r for r in board.headline}
    assert headline["org.members_joined"].value == 4
    a_row = {r.entry.id: r for r in board.children[0].figures}
    assert a_row["org.members_joined"].value == 3
    assert a_row["org.unions_founded"].value == 2


def test_dashboard_page_shows_cards_streets_and_charts(busy):
    d = busy.d
    response = client_for(d.leader).get(DASHBOARD, {"year": 2015})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="leaders-children"' in html
    children = html.split('data-testid="leaders-children"')[1].split("</table>")[0]
    assert "甲街道总工会" in children
    assert "乙街道总工会" in children
    assert html.count('class="gh-chart gh-panel"') >= 6
    assert "<script" not in html.split('data-testid="leaders-charts"')[1].split("</div>")[0]
    # pygal's element ids are kept apart between charts on one page.
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_street_cadre_dashboard_is_its_own_street(busy):
    client = client_for(busy.d.cadre_a)
    assert client.get(DASHBOARD, {"union": busy.d.F.pk, "year": 2015}).status_code == 404
    response = client.get(DASHBOARD, {"year": 2015})
    assert response.context["dashboard"].union == busy.d.A
    html = response.content.decode()
    assert "乙街道总工会" not in html
    assert "乙二社区工会" not in html


def test_aid_budget_chart_draws_budget_against_paid_in_wan_yuan(busy):
    (chart,) = [c for c in charts_for(SYSTEM, busy.d.F, 2015) if c.key == "assistance.budget"]
    assert "万元" in chart.svg
    programme = busy.d.A.aid_programmes.get(name="甲助学")
    assert programme.paid == Decimal("3000.00")
