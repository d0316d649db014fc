"""The back-office pages of the domain: contracts expiring with "start renewal", deadlines,
the rates with drill-down and export, the enterprise page and its panel, the to-dos."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.backoffice import todos_for
from gonghui.relations import services
from gonghui.relations.models import BargainingOffer

from .factories import draft, in_force, signed

D = dt.date
TODAY = D(2015, 11, 2)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2015, 11, 2, 2, tzinfo=dt.UTC), tick=False):
        yield


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def expiring(district: Any) -> Any:
    """A wage agreement of each street expiring on 31 December 2015."""
    root = district.root
    district.a_wage = in_force(
        root,
        district.EA,
        [district.ent_a],
        kind="wage",
        signed_on=D(2015, 1, 5),
        expires_on=D(2015, 12, 31),
        title="甲企业2015年工资协议",
    )
    district.b_wage = in_force(
        root,
        district.EB,
        [district.ent_b],
        kind="wage",
        signed_on=D(2015, 1, 5),
        expires_on=D(2015, 12, 31),
        title="乙企业2015年工资协议",
    )
    return district


def test_expiring_page_lists_the_streets_contracts_expiring_within_sixty_days(
    expiring: Any,
) -> None:
    in_force(  # expires in 2017: not listed
        expiring.root,
        expiring.EA,
        [expiring.ent_a],
        signed_on=D(2015, 1, 5),
        expires_on=D(2017, 12, 31),
        title="甲企业综合性集体合同",
    )
    response = _client(expiring.cadre_a).get(reverse("admin:relations_expiring"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲企业2015年工资协议" in html
    assert "乙企业2015年工资协议" not in html
    assert "甲企业综合性集体合同" not in html
    assert [c.pk for c in response.context["rows"]] == [expiring.a_wage.pk]


def test_start_renewal_from_the_expiring_list_sends_the_offer_and_opens_it(expiring: Any) -> None:
    client = _client(expiring.cadre_a)
    response = client.post(
        reverse("admin:relations_expiring"),
        {"contract": expiring.a_wage.pk, "offered_on": "2015-11-02"},
    )
    offer = BargainingOffer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:relations_bargainingoffer_change", args=[offer.pk])
    assert (offer.renews, offer.kind, offer.answer_due_on) == (
        expiring.a_wage,
        "wage",
        D(2015, 11, 23),
    )
    # The list now links the offer instead of the button.
    html = client.get(reverse("admin:relations_expiring")).content.decode()
    assert "已发出续签要约" in html


def test_street_a_cannot_start_the_renewal_of_a_street_b_contract(expiring: Any) -> None:
    response = _client(expiring.cadre_a).post(
        reverse("admin:relations_expiring"),
        {"contract": expiring.b_wage.pk, "offered_on": "2015-11-02"},
    )
    assert response.status_code == 302
    assert not BargainingOffer.objects.exists()


def test_read_only_role_cannot_start_a_renewal(expiring: Any) -> None:
    client = _client(expiring.leader)
    html = client.get(reverse("admin:relations_expiring")).content.decode()
    assert "发起续签" not in html
    client.post(
        reverse("admin:relations_expiring"),
        {"contract": expiring.a_wage.pk, "offered_on": "2015-11-02"},
    )
    assert not BargainingOffer.objects.exists()


def test_todos_count_what_waits_in_the_users_scope(expiring: Any) -> None:
    root = expiring.root
    c = signed(root, draft(root, expiring.EA, [expiring.ent_a], kind="women"), D(2015, 10, 8))
    assert c.filing_due_on == D(2015, 10, 19)  # overdue on 2 November
    services.offer_create(
        actor=root,
        union=expiring.EA,
        kind="general",
        enterprise=expiring.ent_a,
        offered_on=D(2015, 10, 1),
    )
    todos = {t.label: t for t in todos_for(expiring.cadre_a)}
    assert todos["逾期未书面回应的要约"].count == 1
    assert todos["待报送审查的集体合同"].count == 1
    assert todos["待报送审查的集体合同"].urgent
    assert todos["60日内到期的集体合同"].count == 1
    todos_b = {t.label: t.count for t in todos_for(expiring.cadre_b)}
    assert todos_b == {"60日内到期的集体合同": 1}
    # Each links to a list that shows exactly those records.
    client = _client(expiring.cadre_a)
    listed = client.get(todos["待报送审查的集体合同"].url).context["cl"].result_list
    assert list(listed) == [c]
    assert len(client.get(todos["逾期未书面回应的要约"].url).context["cl"].result_list) == 1


def test_deadlines_page_lists_overdue_filings(expiring: Any) -> None:
    root = expiring.root
    c = signed(root, draft(root, expiring.EA, [expiring.ent_a], kind="women"), D(2015, 10, 8))
    response = _client(expiring.cadre_a).get(reverse("admin:relations_deadlines"))
    assert response.status_code == 200
    (overdue,) = [s for s in response.context["sections"] if s["title"] == "逾期未报送审查的合同"]
    assert overdue["count"] == 1
    assert overdue["rows"] == [(c, D(2015, 10, 19))]


def test_rates_page_shows_the_three_rates_and_drills_down(expiring: Any) -> None:
    client = _client(expiring.cadre_a)
    url = reverse("admin:relations_rates")
    response = client.get(url, {"on": "2015-11-02"})
    assert response.status_code == 200
    cards = {c["key"]: c for c in response.context["cards"]}
    assert cards["establishment"]["value"] == "100%"
    assert [row[1][0] for row in response.context["table"]] == ["甲企业有限公司"]
    response = client.get(url, {"on": "2015-11-02", "list": "not_counted"})
    assert response.context["table"] == []
    response = client.get(url, {"on": "2015-11-02", "format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "甲企业有限公司"
    # Another street's union is not found.
    assert client.get(url, {"union": expiring.B.pk}).status_code == 404


def test_enterprise_page_shows_what_the_domain_knows(expiring: Any) -> None:
    client = _client(expiring.cadre_a)
    response = client.get(reverse("admin:relations_enterprise", args=[expiring.ent_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲企业2015年工资协议" in html
    assert "甲企业工会" in html  # the union covering it
    assert (
        client.get(reverse("admin:relations_enterprise", args=[expiring.ent_b.pk])).status_code
        == 404
    )


def test_enterprise_record_page_shows_the_relations_panel(expiring: Any) -> None:
    response = _client(expiring.cadre_a).get(
        reverse("admin:organisation_enterprise_change", args=[expiring.ent_a.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "劳动关系" in html
    assert "甲企业2015年工资协议" in html
    assert reverse("admin:relations_enterprise", args=[expiring.ent_a.pk]) in html


@pytest.mark.parametrize(
    "name",
    [
        "collectivecontract",
        "bargainingoffer",
        "offercampaign",
        "indicatorset",
        "assessment",
        "demosite",
        "csrparticipation",
        "csrrating",
        "tripartitemeeting",
    ],
)
def test_every_list_and_add_page_opens(expiring: Any, name: str) -> None:
    client = _client(expiring.admin)
    assert client.get(reverse(f"admin:relations_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:relations_{name}_add")).status_code == 200


def test_contract_list_query_count_does_not_grow_per_row(
    expiring: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(expiring.admin)
    url = reverse("admin:relations_collectivecontract_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for _ in range(5):
        draft(expiring.root, expiring.EA, [expiring.ent_a], kind="women")
    with CaptureQueriesContext(connection) as seven:
        client.get(url)
    assert len(seven) == len(two)


def test_contract_added_through_the_back_office_form_runs_the_service(expiring: Any) -> None:
    client = _client(expiring.cadre_a)
    response = client.post(
        reverse("admin:relations_collectivecontract_add"),
        {
            "union": expiring.EA.pk,
            "kind": "women",
            "level": "enterprise",
            "title": "甲企业女职工权益保护专项集体合同",
            "enterprises": [expiring.ent_a.pk],
            "expires_on": "2018-10-31",
            "_save": "保存",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from gonghui.relations.models import CollectiveContract

    c = CollectiveContract.objects.get(kind="women")
    assert c.coverages.get().enterprise == expiring.ent_a
    # The enterprise of another union: refused beside the field.
    response = client.post(
        reverse("admin:relations_collectivecontract_add"),
        {
            "union": expiring.EA.pk,
            "kind": "women",
            "level": "enterprise",
            "title": "错误合同",
            "enterprises": [expiring.ent_b.pk],
            "expires_on": "2018-10-31",
            "_save": "保存",
        },
    )
    assert response.status_code == 200
    assert "enterprises" in response.context["adminform"].form.errors


def test_vote_action_shows_a_refused_vote_beside_its_field(expiring: Any) -> None:
    c = draft(expiring.root, expiring.EA, [expiring.ent_a], kind="women")
    client = _client(expiring.cadre_a)
    url = reverse("admin:relations_collectivecontract_vote", args=[c.pk])
    response = client.post(
        url, {"voted_on": "2015-10-30", "delegates": 60, "present": 30, "votes_for": 30}
    )
    assert response.status_code == 200
    assert "三分之二" in str(response.context["form"].errors["present"])
    response = client.post(
        url, {"voted_on": "2015-10-30", "delegates": 60, "present": 50, "votes_for": 40}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "adopted"


def _set_form(weights: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": "2016",
        "name": "2016年度和谐劳动关系指数测评指标",
        "aggregation": "mean",
        "indicators-TOTAL_FORMS": str(len(weights)),
        "indicators-INITIAL_FORMS": "0",
        "_save": "保存",
    }
    for i, w in enumerate(weights):
        data |= {
            f"indicators-{i}-order": str(i + 1),
            f"indicators-{i}-code": f"A{i + 1}",
            f"indicators-{i}-name": f"指标{i + 1}",
            f"indicators-{i}-weight": w,
        }
    return data


def test_indicator_set_page_refuses_weights_not_summing_to_a_hundred(expiring: Any) -> None:
    from gonghui.relations.models import IndicatorSet

    client = _client(expiring.admin)
    url = reverse("admin:relations_indicatorset_add")
    response = client.post(url, {"federation": expiring.F.pk, **_set_form(["40", "59.5"])})
    assert response.status_code == 200
    assert "99.5" in response.content.decode()
    assert not IndicatorSet.objects.exists()
    response = client.post(url, {"federation": expiring.F.pk, **_set_form(["40", "60"])})
    assert response.status_code == 302
    s = IndicatorSet.objects.get()
    assert [(i.code, i.weight) for i in s.indicators.all()] == [("A1", 40), ("A2", 60)]
    # A street cadre reads the set but cannot change it.
    client_a = _client(expiring.cadre_a)
    assert client_a.get(reverse("admin:relations_indicatorset_changelist")).status_code == 200
    change = client_a.get(reverse("admin:relations_indicatorset_change", args=[s.pk]))
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False


def test_chart_of_contracts_by_status_per_street(expiring: Any) -> None:
    from gonghui.core.backoffice import charts_for

    (chart,) = [c for c in charts_for(expiring.root, expiring.F, 2015) if c.area == "relations"]
    assert chart.key == "relations.contracts_by_status"
    assert "<svg" in chart.svg
    assert "<script" not in chart.svg
    assert "甲街道总工会" in chart.svg
    assert "乙街道总工会" in chart.svg
