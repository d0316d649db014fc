"""Money lists show amounts as an office writes them and, under the list, the sums of what is
filtered (every page, within the reader's scope); exports keep amounts as numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.assistance import services
from tests.assistance import factories as af

pytestmark = pytest.mark.django_db
DISBURSEMENTS = reverse("admin:assistance_disbursement_changelist")
PROGRAMMES = reverse("admin:assistance_programme_changelist")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def totals(response: Any) -> dict[str, str]:
    return dict(response.context["list_totals"])


@pytest.fixture
def money(district: Any) -> dict[str, Any]:
    d = district
    prog = af.programme(d.admin, d.F, budget="2000000.00")
    a1, a2 = af.person(d.root, d.A), af.person(d.root, d.A1)
    b1 = af.person(d.root, d.B)
    paid_a = af.paid(d.cadre_a, d.admin, prog, a1, amount="12500.50")
    paid_b = af.paid(d.cadre_b, d.admin, prog, b1, amount="1000000.00")
    proposed_a = services.disbursement_propose(
        actor=d.cadre_a, programme=prog, person=a2, amount=Decimal("300.00"), reason="测试"
    )
    return {"prog": prog, "paid_a": paid_a, "paid_b": paid_b, "proposed_a": proposed_a}


def test_totals_are_of_what_is_filtered_on_every_page(
    district: Any, money: dict[str, Any], settings: Any
) -> None:
    client = client_for(district.admin)
    everything = client.get(DISBURSEMENTS)
    assert totals(everything) == {"金额（元）": "1,012,800.50", "其中已发放（元）": "1,012,500.50"}
    assert "合计（筛选结果 3 条）" in everything.content.decode()
    assert "1,012,800.50" in everything.content.decode()
    proposed = client.get(DISBURSEMENTS, {"state": "proposed"})
    assert totals(proposed) == {"金额（元）": "300.00", "其中已发放（元）": "0.00"}
    # one row a page: the sums are still of all three
    from gonghui.assistance.admin.disbursements import DisbursementAdmin

    DisbursementAdmin.list_per_page = 1
    try:
        first_page = client.get(DISBURSEMENTS)
        assert len(first_page.context["cl"].result_list) == 1
        assert totals(first_page)["金额（元）"] == "1,012,800.50"
    finally:
        DisbursementAdmin.list_per_page = 50


def test_a_street_cadre_sums_only_their_street(district: Any, money: dict[str, Any]) -> None:
    page = client_for(district.cadre_a).get(DISBURSEMENTS)
    assert totals(page) == {"金额（元）": "12,800.50", "其中已发放（元）": "12,500.50"}
    assert "1,000,000.00" not in page.content.decode()


def test_amount_columns_are_formatted_and_exports_keep_numbers(
    district: Any, money: dict[str, Any]
) -> None:
    client = client_for(district.admin)
    page = client.get(PROGRAMMES).content.decode()
    assert "2,000,000.00" in page  # the budget
    assert "987,499.50" in page  # remaining: 2,000,000 − 1,012,500.50 committed
    assert "2000000.00" not in page
    response = client.post(
        PROGRAMMES,
        {"action": "export_xlsx", "_selected_action": [money["prog"].pk]},
    )
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["预算（元）"].value == 2000000
    assert row["预算（元）"].number_format == "#,##0.00"
    assert row["剩余（元）"].value == pytest.approx(987499.5)
    assert isinstance(row["剩余（元）"].value, int | float)
    assert row["剩余（元）"].number_format == "#,##0.00"


def test_reversal_donation_and_application_lists_show_totals(
    district: Any, money: dict[str, Any]
) -> None:
    d = district
    services.disbursement_reverse(
        actor=d.admin, disbursement=money["paid_a"], reason="重复发放", on=dt.date(2015, 7, 1)
    )
    client = client_for(d.admin)
    reversals = client.get(reverse("admin:assistance_disbursementreversal_changelist"))
    assert totals(reversals) == {"冲正金额（元）": "12,500.50"}
    for name in ("donation", "aidapplication", "campaign", "donorcommendation"):
        page = client.get(reverse(f"admin:assistance_{name}_changelist"))
        assert page.status_code == 200
        assert all(v == "0.00" for v in totals(page).values())
