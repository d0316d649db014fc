"""The workbench (the back office's landing page): what waits for the user in its own scope,
each a link to a list filtered to exactly those records; the year's key figures against last
year; the domains' charts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.services import user_create
from gonghui.activities.models import Allocation
from gonghui.assistance import services as aid
from gonghui.core.backoffice import todos_for
from gonghui.core.models import ImportBatch, ImportStatus
from gonghui.membership import services as ms
from tests import factories as f
from tests.activities.conftest import make_activity
from tests.assistance.factories import hardship, programme

pytestmark = pytest.mark.django_db

ALL_TODO_AREAS = {"membership", "assistance", "activities", "imports"}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _worker(district: Any, union: Any, username: str, **kw: Any) -> Any:
    who = f.make_person(district.root, union, **kw)
    return user_create(
        actor=district.root, username=username, password=None, role="worker", person=who
    )


def _busy_street(district: Any, street: Any, community: Any, tag: str) -> None:
    """One of everything that waits for a cadre, in ``street``'s subtree."""
    admin, cadre = district.admin, (district.cadre_a if street == district.A else district.cadre_b)
    joiner = _worker(district, community, f"joiner_{tag}")
    ms.application_submit(actor=joiner, union=community, statement="申请入会")

    this_year = timezone.localdate().year
    prog = programme(
        admin, street, name=f"{tag}助学", year=this_year, portal_open=True, budget="90000"
    )
    applicant = _worker(district, community, f"applicant_{tag}", joined=dt.date(2012, 1, 1))
    aid.application_submit(
        actor=applicant,
        programme=prog,
        amount_requested="1000",
        statement="学费困难",
        child_name="王小明",
        child_school="江岸中学",
        child_grade="高二",
    )
    for _n in range(2):
        who = f.make_person(admin, community, joined=dt.date(2012, 1, 1))
        aid.disbursement_propose(
            actor=cadre, programme=prog, person=who, amount=Decimal("300"), reason="慰问"
        )
    approved = aid.disbursement_propose(
        actor=cadre,
        programme=prog,
        person=f.make_person(admin, community, joined=dt.date(2012, 1, 1)),
        amount=Decimal("500"),
        reason="慰问",
    )
    aid.disbursement_approve(actor=admin, disbursement=approved)
    # Filed in 2014: the yearly review is long overdue.
    hardship(admin, community, f.make_person(admin, community, joined=dt.date(2012, 1, 1)))

    now = timezone.now()
    make_activity(
        cadre,
        community,
        title=f"{tag}抽签活动",
        allocation=Allocation.LOTTERY,
        opens_at=now - dt.timedelta(days=5),
        closes_at=now - dt.timedelta(hours=1),
    )
    make_activity(cadre, community, title=f"{tag}已开始的活动", starts_on=timezone.localdate())
    make_activity(cadre, community, title=f"{tag}还在报名的活动")  # not due: no to-do
    ImportBatch.objects.create(
        union=street,
        actor=cadre,
        kind="roster",
        file_name=f"{tag}.xlsx",
        file_sha256="0" * 64,
        file_size=10,
        status=ImportStatus.FAILED,
    )


@pytest.fixture
def busy(district: Any) -> Any:
    _busy_street(district, district.A, district.A1, "甲")
    _busy_street(district, district.B, district.B1, "乙")
    return district


def test_every_domain_contributes_its_to_dos(busy: Any) -> None:
    todos = todos_for(busy.admin)
    assert {t.area for t in todos} >= ALL_TODO_AREAS
    counts = {t.url: t.count for t in todos}
    joins = reverse("admin:membership_membershipapplication_changelist")
    assert counts[joins + "?status__exact=pending"] == 2
    assert counts[reverse("admin:assistance_disbursement_changelist") + "?state=proposed"] == 4
    assert counts[reverse("admin:assistance_disbursement_changelist") + "?state=approved"] == 2
    assert counts[reverse("admin:activities_activity_changelist") + "?todo=draw"] == 2
    assert counts[reverse("admin:activities_activity_changelist") + "?todo=close"] == 2


@pytest.mark.parametrize("who", ["admin", "cadre_a", "cadre_b"])
def test_each_to_do_links_to_a_list_of_exactly_its_records(busy: Any, who: str) -> None:
    user = getattr(busy, who)
    client = _client(user)
    todos = todos_for(user)
    assert {t.area for t in todos} >= ALL_TODO_AREAS
    for todo in todos:
        response = client.get(todo.url)
        assert response.status_code == 200, todo.url
        assert response.context_data["cl"].result_count == todo.count, todo.label


def test_a_street_cadre_counts_only_its_own_street(busy: Any) -> None:
    mine = {t.url: t.count for t in todos_for(busy.cadre_a)}
    everyone = {t.url: t.count for t in todos_for(busy.admin)}
    assert mine.keys() == everyone.keys()
    assert all(everyone[url] == 2 * n for url, n in mine.items())
    page = _client(busy.cadre_a).get(reverse("admin:activities_activity_changelist") + "?todo=draw")
    titles = [a.title for a in page.context_data["cl"].result_list]
    assert titles == ["甲抽签活动"]


def test_a_to_do_goes_away_when_its_work_is_done(busy: Any) -> None:
    from gonghui.activities import services as acts
    from gonghui.activities.models import Activity

    def draws() -> int:
        return next(t.count for t in todos_for(busy.cadre_a) if t.url.endswith("todo=draw"))

    assert draws() == 1
    acts.activity_close(
        actor=busy.cadre_a, activity=Activity.objects.get(title="甲抽签活动"), seed=7
    )
    assert not any(t.url.endswith("todo=draw") for t in todos_for(busy.cadre_a))


def test_workbench_shows_to_dos_figures_and_charts_for_the_chosen_year(busy: Any) -> None:
    f.make_person(busy.admin, busy.A1, joined=dt.date(2014, 5, 1))
    f.make_person(busy.admin, busy.B1, joined=dt.date(2015, 5, 1))
    response = _client(busy.admin).get(reverse("admin:index") + "?year=2015")
    html = response.content.decode()
    assert response.context_data["dash_year"] == 2015
    assert 'data-testid="dashboard-todos"' in html
    assert "待审批的帮扶发放" in html
    figures = {r.entry.id: r for r in response.context_data["dash_figures"]}
    joined = figures["org.members_joined"]
    assert (joined.value, joined.last) == (1, 1)
    charts = {c.key for c in response.context_data["dash_charts"]}
    assert {"membership.members", "activities.by_month", "assistance.budget"} <= charts
    assert "membership.members_per_child" in charts  # per street, for the federation
    assert "<svg" in html
    assert "<script" not in "".join(c.svg for c in response.context_data["dash_charts"])


def test_workbench_of_a_street_cadre_is_its_street(busy: Any) -> None:
    response = _client(busy.cadre_a).get(reverse("admin:index") + "?year=2015")
    assert response.context_data["dash_root"] == busy.A
    html = response.content.decode()
    assert "乙一社区工会" not in html
