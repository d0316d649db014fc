"""The three reveals of assistance (a supporting document, medical details, payee accounts) go
through ``core.reveal``: read scope (else "not found"), the reveal permission, a reason of at
least two characters, one access-log row naming the person, the reason and the record. A
refusal reveals nothing and logs nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.accounts.services import user_create
from gonghui.assistance import services
from gonghui.assistance.models import AidDocument, Disbursement
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.models import PiiAccessLog
from gonghui.core.reveal import REASON_REQUIRED
from tests import factories as f
from tests.assistance.factories import hardship, pdf, person, programme

pytestmark = pytest.mark.django_db

ACCOUNT = "6222021234567890123"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def r(district: Any) -> dict[str, Any]:
    """A street-A family on file with a document, and an approved medical disbursement paid
    by bank transfer."""
    head = person(district.root, district.A1, name="甲困难户主")
    file = hardship(district.admin, district.A, head)
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
    services.disbursement_approve(actor=district.admin, disbursement=d)
    return {"head": head, "file": file, "doc": doc, "prog": prog, "d": d}


@pytest.fixture
def revealer(district: Any) -> Any:
    """A cadre of street A who may reveal personal data there."""
    return f.make_user(
        district.root, f.ROLE.UNION_CADRE, district.A, username="cadre_a_pii", can_reveal_pii=True
    )


@pytest.fixture
def outsider(district: Any) -> Any:
    """A cadre of street B who may reveal personal data — of street B only."""
    return f.make_user(
        district.root, f.ROLE.UNION_CADRE, district.B, username="cadre_b_pii", can_reveal_pii=True
    )


def _document(actor: Any, r: dict[str, Any], reason: str) -> Any:
    handle = services.document_open(actor=actor, document=r["doc"], reason=reason)
    return handle.read(5)


def _medical(actor: Any, r: dict[str, Any], reason: str) -> Any:
    return services.medical_details_reveal(actor=actor, obj=r["d"], reason=reason)


def _payee(actor: Any, r: dict[str, Any], reason: str) -> Any:
    return services.payee_account_reveal(actor=actor, disbursement=r["d"], reason=reason)


# field logged: (the reveal, the record it reads, the value it gives)
REVEALS: dict[str, tuple[Callable[..., Any], str, Any]] = {
    "aid_document": (_document, "doc", b"%PDF-"),
    "medical_details": (_medical, "d", "尿毒症，每周透析三次"),
    "bank_account": (_payee, "d", ACCOUNT),
}


@pytest.mark.parametrize("field", REVEALS)
def test_a_reveal_out_of_read_scope_is_not_found_and_logs_nothing(r, outsider, field):
    run, _record, _value = REVEALS[field]
    with pytest.raises(DomainError) as refused:
        run(outsider, r, "核对材料")
    assert refused.value.code == CoreError.NOT_FOUND
    assert not PiiAccessLog.objects.exists()


@pytest.mark.parametrize("field", REVEALS)
def test_a_reveal_without_the_permission_is_forbidden_and_logs_nothing(district, r, field):
    run, _record, _value = REVEALS[field]
    with pytest.raises(DomainError) as refused:
        run(district.cadre_a, r, "核对材料")
    assert refused.value.code == CoreError.PII_FORBIDDEN
    assert not PiiAccessLog.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "查"])
@pytest.mark.parametrize("field", REVEALS)
def test_a_reveal_needs_a_reason_of_two_characters(r, revealer, field, reason):
    run, _record, _value = REVEALS[field]
    with pytest.raises(DomainError) as refused:
        run(revealer, r, reason)
    assert refused.value.code == REASON_REQUIRED
    assert not PiiAccessLog.objects.exists()


@pytest.mark.parametrize("field", REVEALS)
def test_a_reveal_logs_the_person_the_reason_and_the_record(r, revealer, field):
    run, record, value = REVEALS[field]

    assert run(revealer, r, " 审核透析救助 ") == value

    log = PiiAccessLog.objects.get()
    obj = r[record]
    assert (log.actor, log.person, log.field, log.reason) == (
        revealer,
        r["head"],
        field,
        "审核透析救助",
    )
    assert (log.content_type, log.object_id) == (
        ContentType.objects.get_for_model(type(obj)),
        str(obj.pk),
    )
    assert log.union_path == obj.union.path


def test_medical_details_of_an_application_are_a_logged_reveal(district, r, revealer):
    prog = programme(
        district.admin,
        district.F,
        kind="mutual_aid",
        name="医疗互助",
        portal_open=True,
        year=timezone.localdate().year,
    )
    worker = user_create(
        actor=district.root, username="w1", password=None, role="worker", person=r["head"]
    )
    application = services.application_submit(
        actor=worker,
        programme=prog,
        amount_requested="800",
        statement="住院自付费用",
        medical_details="术后康复",
    )
    shown = services.medical_details_reveal(actor=revealer, obj=application, reason="审核申请")
    assert shown == "术后康复"
    log = PiiAccessLog.objects.get()
    assert (log.field, log.object_id, log.content_type.model) == (
        "medical_details",
        str(application.pk),
        "aidapplication",
    )


# --- the bank payment list: every payee one logged reveal, all or none ---------------------
def _second_payee(district: Any, r: dict[str, Any], union: Any, proposer: Any) -> Disbursement:
    other = person(district.root, union, name="第二收款人")
    d = services.disbursement_propose(
        actor=proposer,
        programme=r["prog"],
        person=other,
        amount=Decimal("1200.00"),
        reason="透析救助",
        payee_account="6217 0000 1111 2222",
    )
    return services.disbursement_approve(actor=district.admin, disbursement=d)


def test_payee_accounts_of_the_bank_list_are_one_logged_reveal_each(district, r, revealer):
    second = _second_payee(district, r, district.EA, district.cadre_a)
    rows = Disbursement.objects.filter(pk__in=[r["d"].pk, second.pk]).select_related("union")

    accounts = services.payee_accounts_reveal(actor=revealer, disbursements=rows, reason="代发")

    assert accounts == {r["d"].pk: ACCOUNT, second.pk: "6217000011112222"}
    logs = PiiAccessLog.objects.filter(field="bank_account")
    assert {(log.person_id, log.object_id, log.reason) for log in logs} == {
        (r["head"].pk, str(r["d"].pk), "代发"),
        (second.person_id, str(second.pk), "代发"),
    }
    assert {log.content_type.model for log in logs} == {"disbursement"}


def test_a_bank_list_with_a_payee_out_of_scope_is_refused_whole(district, r, revealer):
    elsewhere = _second_payee(district, r, district.B1, district.cadre_b)
    rows = Disbursement.objects.filter(pk__in=[r["d"].pk, elsewhere.pk]).order_by("pk")

    with pytest.raises(DomainError) as refused:
        services.payee_accounts_reveal(actor=revealer, disbursements=rows, reason="代发")

    assert refused.value.code == CoreError.NOT_FOUND
    assert not PiiAccessLog.objects.exists()


# --- the pages ---------------------------------------------------------------------------
def test_the_document_link_asks_the_reason_before_opening_the_file(r, revealer):
    url = reverse("admin:assistance_document", args=[r["doc"].pk])
    client = _client(revealer)

    page = client.get(url)
    assert page.status_code == 200
    assert "查看事由" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert not PiiAccessLog.objects.exists()

    short = client.post(url, {"reason": "看"})
    assert short.status_code == 200
    assert "至少两个字" in short.content.decode()
    assert not PiiAccessLog.objects.exists()

    opened = client.post(url, {"reason": "审核透析救助"})
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content).startswith(b"%PDF")
    assert opened["Content-Disposition"] == "inline"
    assert "no-store" in opened["Cache-Control"]
    assert opened["X-Content-Type-Options"] == "nosniff"
    log = PiiAccessLog.objects.get()
    assert (log.field, log.reason, log.object_id) == (
        "aid_document",
        "审核透析救助",
        str(r["doc"].pk),
    )
    assert log.content_type == ContentType.objects.get_for_model(AidDocument)


def test_the_document_page_refuses_before_asking(district, r, outsider):
    url = reverse("admin:assistance_document", args=[r["doc"].pk])
    for method in ("get", "post"):
        no_permission = getattr(_client(district.cadre_a), method)(url, {"reason": "审核"})
        assert no_permission.status_code == 403
        out_of_scope = getattr(_client(outsider), method)(url, {"reason": "审核"})
        assert out_of_scope.status_code == 404
    assert not PiiAccessLog.objects.exists()


def test_the_medical_details_page_asks_the_reason(r, revealer):
    url = reverse("admin:assistance_disbursement_medical", args=[r["d"].pk])
    client = _client(revealer)

    confirmed_only = client.post(url, {"confirm": "on"})  # the old checkbox reveals nothing
    assert "尿毒症" not in confirmed_only.content.decode()
    short = client.post(url, {"reason": "看"})
    assert "尿毒症" not in short.content.decode()
    assert "至少两个字" in short.content.decode()
    assert not PiiAccessLog.objects.exists()

    shown = client.post(url, {"reason": "审批前核对病情"})
    assert "尿毒症，每周透析三次" in shown.content.decode()
    log = PiiAccessLog.objects.get()
    assert (log.field, log.reason, log.object_id) == (
        "medical_details",
        "审批前核对病情",
        str(r["d"].pk),
    )


def test_the_bank_list_export_asks_the_reason_first(r, revealer):
    url = reverse("admin:assistance_disbursement_changelist")
    selection = {"action": "export_bank_list", "_selected_action": [r["d"].pk]}
    client = _client(revealer)

    asked = client.post(url, selection)
    assert asked.status_code == 200
    assert "html" in asked["Content-Type"]
    assert "查看事由" in asked.content.decode()
    assert not PiiAccessLog.objects.exists()

    short = client.post(url, {**selection, "reason": "导"})
    assert "至少两个字" in short.content.decode()
    assert not PiiAccessLog.objects.exists()

    exported = client.post(url, {**selection, "reason": "六月代发"})
    rows = list(load_workbook(BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[1][1:5] == ("甲困难户主", r["head"].ric_masked, ACCOUNT, "3500.00")
    log = PiiAccessLog.objects.get()
    assert (log.field, log.reason, log.object_id) == ("bank_account", "六月代发", str(r["d"].pk))
