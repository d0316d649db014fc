"""The honours back office: scoped list, export, add through the service, revoke."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.errors import DomainError
from gonghui.core.export import XLSX
from gonghui.honours import services
from gonghui.honours.models import Honour, HonourKind, HonourLevel
from tests import factories as f

from .factories import make_honour

K, L = HonourKind, HonourLevel
CHANGELIST = reverse("admin:honours_honour_changelist")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pks(response: Any) -> set[int]:
    assert response.status_code == 200
    return {o.pk for o in response.context["cl"].result_list}


def test_street_b_cadre_does_not_see_street_a_honours(district: Any) -> None:
    a = make_honour(district.root, district.A, enterprise=district.ent_a)
    b = make_honour(district.root, district.B, enterprise=district.ent_b)
    assert pks(client_for(district.cadre_b).get(CHANGELIST)) == {b.pk}
    response = client_for(district.cadre_b).get(reverse("admin:honours_honour_change", args=[a.pk]))
    assert response.status_code == 302  # "does not exist"
    assert pks(client_for(district.admin).get(CHANGELIST)) == {a.pk, b.pk}


def test_changelist_shows_chinese_columns_and_filters(
    district: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(district.admin)
    for i in range(12):
        person = f.make_person(district.root, district.EA, name=f"甲劳模{i:02d}")
        make_honour(district.root, district.A, kind=K.MODEL_WORKER, person=person)
    client.get(CHANGELIST)  # warm the caches
    with django_assert_max_num_queries(18):
        response = client.get(CHANGELIST)
    html = response.content.decode()
    for column in ("年度", "类别", "级别", "获得者", "保管工会", "撤销"):
        assert column in html
    assert "甲劳模07" in html
    assert "劳动模范" in html
    found = client.get(CHANGELIST, {"q": "劳模07"})
    assert len(pks(found)) == 1
    filtered = client.get(CHANGELIST, {"kind__exact": K.WORKER_PIONEER})
    assert pks(filtered) == set()


def test_export_writes_the_selected_honours(district: Any) -> None:
    honour = make_honour(
        district.root, district.A, enterprise=district.ent_a, title="2015年度杭州市工人先锋号"
    )
    response = client_for(district.cadre_a).post(
        CHANGELIST, {"action": "export_xlsx", "index": "0", "_selected_action": [str(honour.pk)]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("年度", "类别", "级别", "称号全称", "获得者")
    assert rows[1][:5] == (2015, "工人先锋号", "市级", "2015年度杭州市工人先锋号", "甲企业有限公司")


def test_add_form_awards_through_the_service(district: Any) -> None:
    client = client_for(district.cadre_a)
    data = {
        "union": district.A.pk,
        "kind": K.ADVANCED_WORKERS_HOME,
        "level": L.DISTRICT,
        "year": 2015,
        "awarded_on": "2015-12-18",
        "recipient_union": district.EA.pk,
        "_save": "保存",
    }
    response = client.post(reverse("admin:honours_honour_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    honour = Honour.objects.get()
    assert honour.recipient_union == district.EA
    assert honour.union == district.A

    again = client.post(reverse("admin:honours_honour_add"), data)
    assert again.status_code == 200
    errors = again.context["adminform"].form.errors
    assert "不能重复登记" in str(errors["recipient_union"])
    assert Honour.objects.count() == 1


def test_add_form_refuses_a_recipient_of_another_street(district: Any) -> None:
    client = client_for(district.cadre_a)
    response = client.post(
        reverse("admin:honours_honour_add"),
        {
            "union": district.A.pk,
            "kind": K.WORKER_PIONEER,
            "level": L.MUNICIPAL,
            "year": 2015,
            "enterprise": district.ent_b.pk,
            "_save": "保存",
        },
    )
    assert response.status_code == 200
    assert "enterprise" in response.context["adminform"].form.errors
    assert not Honour.objects.exists()


def test_revoke_action_revokes_and_read_only_roles_cannot(district: Any) -> None:
    honour = make_honour(district.root, district.A, enterprise=district.ent_a)
    url = reverse("admin:honours_honour_revoke", args=[honour.pk])
    data = {"on": "2015-10-01", "reason": "发生安全生产责任事故"}
    assert client_for(district.leader).post(url, data).status_code == 403
    client = client_for(district.cadre_a)
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    honour.refresh_from_db()
    assert honour.revoked_on == dt.date(2015, 10, 1)
    # A revoked honour no longer offers 撤销; its address returns to the record (0017).
    page = reverse("admin:honours_honour_change", args=[honour.pk])
    assert url not in client.get(page).content.decode()
    again = client.post(url, data)
    assert (again.status_code, again["Location"]) == (302, page)
    with pytest.raises(DomainError, match="已于 2015-10-01 撤销"):
        services.honour_revoke(
            actor=district.cadre_a, honour=honour, on=dt.date(2015, 11, 1), reason="再次"
        )


def test_enterprise_page_shows_the_enterprise_honours_the_reader_may_see(district: Any) -> None:
    kept_by_a = make_honour(district.root, district.A, enterprise=district.ent_a)
    url = reverse("admin:organisation_enterprise_change", args=[district.ent_a.pk])
    html = client_for(district.cadre_a).get(url).content.decode()
    assert "查看全部荣誉" in html
    assert reverse("admin:honours_honour_change", args=[kept_by_a.pk]) in html
    # The list it links to opens, filtered to the enterprise.
    more = f"{CHANGELIST}?enterprise__id__exact={district.ent_a.pk}"
    assert pks(client_for(district.cadre_a).get(more)) == {kept_by_a.pk}
    # An enterprise without honours shows no honours panel.
    other = f.make_enterprise(district.root, district.A1)
    html = (
        client_for(district.cadre_a)
        .get(reverse("admin:organisation_enterprise_change", args=[other.pk]))
        .content.decode()
    )
    assert "查看全部荣誉" not in html
