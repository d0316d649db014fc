"""Scope and sensitive data: street B sees nothing of street A; documents and medical details
open only to the handling union's cadres with the reveal permission, and every view is
logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.assistance import selectors, services
from gonghui.core.models import PiiAccessLog
from tests import factories as f
from tests.assistance.factories import hardship, pdf, person, programme

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def a_records(district: Any) -> dict[str, Any]:
    """A street-A family on file with a document, and a proposed medical disbursement."""
    head = person(district.root, district.A1, name="甲困难户主")
    file = hardship(district.admin, district.A, head, situation="户主患尿毒症")
    doc = services.hardship_document_add(
        actor=district.cadre_a, file=file, kind="medical", upload=pdf("诊断证明.pdf")
    )
    prog = programme(district.admin, district.F, kind="dialysis", name="爱心透析")
    d = services.disbursement_propose(
        actor=district.cadre_a,
        programme=prog,
        person=head,
        amount=Decimal("3500.00"),
        reason="透析救助",
        medical_details="尿毒症，每周透析三次",
        payee_account="6222 0212 3456 7890 123",
    )
    return {"file": file, "doc": doc, "d": d, "prog": prog, "head": head}


@pytest.fixture
def revealer(district: Any) -> Any:
    return f.make_user(
        district.root, f.ROLE.UNION_CADRE, district.A, username="cadre_a_pii", can_reveal_pii=True
    )


def test_street_b_cadre_sees_no_street_a_aid_in_lists_pages_and_exports(district, a_records):
    client = _client(district.cadre_b)
    for name in ("hardshipfile", "disbursement"):
        response = client.get(reverse(f"admin:assistance_{name}_changelist"))
        assert response.status_code == 200
        assert "甲困难户主" not in response.content.decode()
    obj_pages = [
        reverse("admin:assistance_hardshipfile_change", args=[a_records["file"].pk]),
        reverse("admin:assistance_disbursement_change", args=[a_records["d"].pk]),
        reverse("admin:assistance_disbursement_approve", args=[a_records["d"].pk]),
    ]
    for url in obj_pages:
        assert client.get(url).status_code in (302, 404)
    export = client.post(
        reverse("admin:assistance_disbursement_changelist"),
        {"action": "export_xlsx", "_selected_action": [a_records["d"].pk]},
    )
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1:] == []
    benefits = reverse("admin:assistance_benefits")
    assert client.get(benefits, {"file": a_records["file"].pk}).status_code == 404
    assert client.get(benefits, {"person": a_records["head"].pk}).status_code == 404
    assert not selectors.disbursement_list(actor=district.cadre_b).exists()
    assert not selectors.hardship_file_list(actor=district.cadre_b).exists()


def test_lists_hide_hardship_and_medical_details(district, a_records):
    client = _client(district.admin)
    for name in ("hardshipfile", "disbursement"):
        html = client.get(reverse(f"admin:assistance_{name}_changelist")).content.decode()
        assert "甲困难户主" in html
        assert "尿毒症" not in html
        assert "7890123" not in html  # the account number, masked
    page = client.get(reverse("admin:assistance_disbursement_change", args=[a_records["d"].pk]))
    assert "尿毒症" not in page.content.decode()
    assert "6222****0123" in page.content.decode()


def test_document_view_refused_without_the_reveal_permission(district, a_records):
    url = reverse("admin:assistance_document", args=[a_records["doc"].pk])
    assert _client(district.cadre_a).get(url).status_code == 403  # in scope, no permission
    assert _client(district.cadre_b).get(url).status_code == 404  # out of scope: not found
    assert _client(district.leader).get(url).status_code == 403
    assert not PiiAccessLog.objects.exists()


def test_every_document_view_is_logged(district, a_records, revealer):
    url = reverse("admin:assistance_document", args=[a_records["doc"].pk])
    client = _client(revealer)
    for _ in range(2):
        response = client.post(url, {"reason": "审核透析救助"})
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "no-store" in response["Cache-Control"]
    logs = PiiAccessLog.objects.filter(field="aid_document")
    assert logs.count() == 2
    assert {(log.actor, log.person) for log in logs} == {(revealer, a_records["head"])}


def test_documents_are_stored_privately_under_random_names(district, a_records, settings):
    name = a_records["doc"].file.name
    assert name.startswith("assistance/")
    assert "诊断" not in name
    assert a_records["doc"].file.path.startswith(str(settings.MEDIA_ROOT))
    assert Client().get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ" + b"\0" * 10, "只能上传 PDF、JPG 或 PNG"),
        ("fake.pdf", b"not a pdf at all", "内容与扩展名不符"),
        ("big.pdf", b"%PDF-" + b"\0" * (10 * 1024 * 1024), "不能超过 10 MB"),
    ],
)
def test_upload_type_and_size_are_limited(district, name, content, message):
    from gonghui.core.errors import DomainError

    file = hardship(district.admin, district.A, person(district.root, district.A1))
    with pytest.raises(DomainError) as err:
        services.hardship_document_add(
            actor=district.cadre_a, file=file, kind="other", upload=pdf(name, content)
        )
    assert message in str(err.value.message)
    assert not file.documents.exists()


def test_medical_details_reveal_needs_permission_and_is_logged(district, a_records, revealer):
    url = reverse("admin:assistance_disbursement_medical", args=[a_records["d"].pk])
    refused = _client(district.cadre_a).post(url, {"reason": "审核"})
    assert "尿毒症" not in refused.content.decode()
    shown = _client(revealer).post(url, {"reason": "审核"})
    assert "尿毒症，每周透析三次" in shown.content.decode()
    assert PiiAccessLog.objects.filter(field="medical_details", actor=revealer).count() == 1


def test_bank_list_needs_permission_and_logs_each_account(district, a_records, revealer):
    d = a_records["d"]
    services.disbursement_approve(actor=district.admin, disbursement=d)
    url = reverse("admin:assistance_disbursement_changelist")
    data = {"action": "export_bank_list", "_selected_action": [d.pk]}
    refused = _client(district.cadre_a).post(url, data, follow=True)
    assert "需要查看完整银行账号的权限" in refused.content.decode()
    response = _client(revealer).post(url, {**data, "reason": "六月代发"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1:5] == (
        "甲困难户主",
        a_records["head"].ric_masked,
        "6222021234567890123",
        "3500.00",
    )
    assert rows[-1][1] == "合计"
    assert PiiAccessLog.objects.filter(field="bank_account").count() == 1


def test_approve_page_shows_every_benefit_of_the_person(district, a_records):
    other = programme(district.admin, district.F, name="春风助学")
    services.disbursement_propose(
        actor=district.cadre_a,
        programme=other,
        person=a_records["head"],
        amount="2000",
        reason="助学",
    )
    url = reverse("admin:assistance_disbursement_approve", args=[a_records["d"].pk])
    html = _client(district.admin).get(url).content.decode()
    assert "爱心透析" in html
    assert "春风助学" in html


def test_two_cadres_propose_approve_and_pay_through_the_admin(district, a_records):
    d = a_records["d"]
    approve = reverse("admin:assistance_disbursement_approve", args=[d.pk])
    same = _client(district.cadre_a).post(approve, {"confirm": "on"})
    assert "不能是提出人本人" in same.content.decode()
    _client(district.admin).post(approve, {"confirm": "on"})
    pay = reverse("admin:assistance_disbursement_pay", args=[d.pk])
    _client(district.admin).post(pay, {"paid_on": "2015-06-01"})
    d.refresh_from_db()
    assert d.state == "paid"
    assert d.paid_on == dt.date(2015, 6, 1)


@pytest.mark.parametrize("name", ["disbursement", "hardshipfile", "donation"])
def test_lists_make_no_query_per_row(district, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prog = programme(district.admin, district.F, budget="100000.00")
    campaign = services.campaign_create(
        actor=district.admin, union=district.F, year=2015, name="春风", receipt_prefix="CF15"
    )

    def add(n: int) -> None:
        for i in range(n):
            who = person(district.root, district.A1, name=f"甲{i}")
            hardship(district.admin, district.A, who)
            services.disbursement_propose(
                actor=district.cadre_a, programme=prog, person=who, amount="100", reason="x"
            )
            services.donation_record(
                actor=district.cadre_a,
                campaign=campaign,
                union=district.A1,
                donor_kind="person",
                donor_name=f"甲{i}",
                amount="50",
                donated_on=dt.date(2015, 5, 1),
            )

    client = _client(district.cadre_a)
    url = reverse(f"admin:assistance_{name}_changelist")
    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 15
    assert len(many) == len(few), "the list makes a query per row"


def test_a_documents_file_name_is_not_shown_on_the_family_page(district, a_records):
    page = _client(district.cadre_a).get(
        reverse("admin:assistance_hardshipfile_change", args=[a_records["file"].pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert f"第 {a_records['doc'].pk} 号材料" in html
    assert "诊断证明.pdf" not in html
