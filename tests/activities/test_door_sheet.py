"""The door list's sign-in sheet: printed (a page with a column to sign) and exported to
.xlsx, holding the people with a place and masked mobiles, read through the cadre's scope."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.activities import services
from gonghui.core.export import XLSX
from tests.activities.conftest import make_activity, person

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def door_url(activity: Any) -> str:
    return reverse("admin:activities_activity_door_list", args=[activity.pk])


@pytest.fixture
def door(district: Any) -> Any:
    """Street A's activity tomorrow with two places taken and one on the waitlist, and street
    B's activity with a person of its own."""
    start = timezone.localdate() + dt.timedelta(days=1)
    a = make_activity(
        district.cadre_a,
        district.A,
        title="甲街道职工健步走",
        starts_on=start,
        start_time=dt.time(8, 30),
        place="甲街道文体中心",
        capacity=2,
    )
    for name, mobile in (("张签到", "13900001111"), ("李扫码", "13900002222"), ("王候补", "")):
        p = person(district.root, district.A1, name=name, mobile=mobile or None)
        services.registration_create(actor=district.cadre_a, activity=a, person=p)
    b = make_activity(district.cadre_b, district.B, title="乙街道职工健步走", starts_on=start)
    services.registration_create(
        actor=district.cadre_b, activity=b, person=person(district.root, district.B1, name="赵乙")
    )
    return a, b


def test_the_sheet_exports_to_xlsx_with_the_people_holding_a_place(
    district: Any, door: Any
) -> None:
    a, _b = door
    client = client_for(district.cadre_a)
    # No query per row: a sheet of five people costs what a sheet of two does.
    bigger = make_activity(
        district.cadre_a, district.A, title="甲街道职工登山", starts_on=a.starts_on, capacity=9
    )
    for i in range(5):
        p = person(district.root, district.A1, name=f"登山{i}", mobile=f"1390000300{i}")
        services.registration_create(actor=district.cadre_a, activity=bigger, person=p)
    client.get(door_url(a), {"sheet": "xlsx"})  # the session and the sidebar's caches warm up
    with CaptureQueriesContext(connection) as five:
        assert client.get(door_url(bigger), {"sheet": "xlsx"}).status_code == 200
    with CaptureQueriesContext(connection) as two:
        response = client.get(door_url(a), {"sheet": "xlsx"})
    assert len(five) == len(two) <= 12
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["序号", "姓名", "子女姓名", "手机号码", "状态", "签到时间"]
    assert [r[:2] for r in rows[1:]] == [[1, "张签到"], [2, "李扫码"]]  # 王候补 holds no place
    mobiles = [r[3] for r in rows[1:]]
    assert "13900001111" not in mobiles
    assert all("****" in m for m in mobiles)
    assert {r[4] for r in rows[1:]} == {"已报名"}
    assert "赵乙" not in str(rows)


def test_the_sheet_prints_with_a_column_to_sign(district: Any, door: Any) -> None:
    a, _b = door
    response = client_for(district.cadre_a).get(door_url(a), {"sheet": "print"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲街道职工健步走 签到表" in html
    assert "08:30" in html
    assert "甲街道文体中心" in html
    assert "本人签名" in html
    assert "@media print" in html
    assert html.index("张签到") < html.index("李扫码")
    assert "王候补" not in html
    assert "赵乙" not in html
    assert "13900001111" not in html
    assert "共 2 人，打印时已签到 0 人" in html


def test_another_streets_cadre_cannot_print_or_export_the_sheet(district: Any, door: Any) -> None:
    a, b = door
    client = client_for(district.cadre_b)
    for sheet in ("xlsx", "print"):
        response = client.get(door_url(a), {"sheet": sheet})
        assert response.status_code == 302  # the admin's "not found" for a record out of scope
        assert response["Location"] == reverse("admin:index")
        assert "张签到" not in response.content.decode()
    own = client.get(door_url(b), {"sheet": "xlsx"})
    names = [row[1].value for row in load_workbook(BytesIO(own.content)).active.iter_rows()]
    assert names == ["姓名", "赵乙"]


def test_the_door_list_links_to_the_sheet_and_loads_the_qr_decoder(
    district: Any, door: Any
) -> None:
    a, _b = door
    html = client_for(district.cadre_a).get(door_url(a)).content.decode()
    assert "?sheet=print" in html
    assert "?sheet=xlsx" in html
    assert "activities/vendor/jsqr/jsQR" in html  # a camera without BarcodeDetector decodes
    assert 'id="camera"' in html
