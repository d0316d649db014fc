"""A worker applies for aid from the portal with a document and follows the status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.services import user_create
from gonghui.assistance import services
from gonghui.assistance.models import AidApplication, ApplicationStatus
from tests.assistance.factories import PNG, pdf, person, programme

pytestmark = pytest.mark.django_db
#: the child an education aid (助学) is for, which its application must name
CHILD = {"child_name": "王小红", "child_school": "浙江大学", "child_grade": "大一"}


@pytest.fixture
def worker(district: Any) -> Any:
    who = person(district.root, district.A1, name="王小明")
    return user_create(actor=district.root, username="w1", password=None, role="worker", person=who)


@pytest.fixture
def education(district: Any) -> Any:
    return programme(
        district.admin,
        district.F,
        name="2015年春风助学",
        portal_open=True,
        max_amount=Decimal("5000"),
        year=timezone.localdate().year,
    )


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_worker_applies_with_a_document_and_follows_the_status(district, worker, education):
    client = _client(worker)
    index = client.get(reverse("assistance_portal:index"))
    assert "2015年春风助学" in index.content.decode()
    response = client.post(
        reverse("assistance_portal:apply", args=[education.pk]),
        {
            "amount_requested": "4000",
            "statement": "女儿考上浙江大学，家庭困难",
            "kind1": "enrolment",
            "file1": pdf("录取通知书.pdf"),
            "kind2": "income_proof",
            **CHILD,
        },
    )
    application = AidApplication.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assistance_portal:detail", args=[application.pk])
    assert application.documents.count() == 1
    detail = reverse("assistance_portal:detail", args=[application.pk])
    submitted = client.get(detail).content.decode()
    assert "等待工会审核" in submitted
    assert "4,000.00 元" in submitted  # the amount asked, as an office writes it
    assert "4,000.00" in client.get(reverse("assistance_portal:index")).content.decode()

    services.application_decide(
        actor=district.cadre_a, application=application, accept=True, reason="情况属实"
    )
    assert "等待审批" in client.get(detail).content.decode()
    d = application.disbursement
    services.disbursement_approve(actor=district.admin, disbursement=d)
    assert "等待发放" in client.get(detail).content.decode()
    services.disbursement_pay(actor=district.admin, disbursement=d)
    html = client.get(detail).content.decode()
    assert "已发放 4,000.00 元" in html
    assert "情况属实" in html


def test_rejection_needs_a_reason_and_the_worker_sees_it(district, worker, education):
    from gonghui.core.errors import DomainError

    application = services.application_submit(
        actor=worker, programme=education, amount_requested="3000", statement="学费", **CHILD
    )
    with pytest.raises(DomainError):
        services.application_decide(
            actor=district.cadre_a, application=application, accept=False, reason=""
        )
    services.application_decide(
        actor=district.cadre_a, application=application, accept=False, reason="不符合收入条件"
    )
    html = _client(worker).get(reverse("assistance_portal:detail", args=[application.pk]))
    assert "未批准" in html.content.decode()
    assert "不符合收入条件" in html.content.decode()
    assert application.__class__.objects.get().status == ApplicationStatus.REJECTED


def test_bad_document_gives_a_clear_message_and_writes_nothing(district, worker, education):
    response = _client(worker).post(
        reverse("assistance_portal:apply", args=[education.pk]),
        {
            "amount_requested": "3000",
            "statement": "学费",
            "kind1": "enrolment",
            "file1": pdf("通知书.pdf", PNG),
            "kind2": "other",
            **CHILD,
        },
    )
    assert response.status_code == 200
    assert "内容与扩展名不符" in response.content.decode()
    assert not AidApplication.objects.exists()


def test_a_worker_sees_only_own_applications(district, worker, education):
    application = services.application_submit(
        actor=worker, programme=education, amount_requested="3000", statement="学费", **CHILD
    )
    other = user_create(
        actor=district.root,
        username="w2",
        password=None,
        role="worker",
        person=person(district.root, district.A1),
    )
    client = _client(other)
    assert client.get(reverse("assistance_portal:detail", args=[application.pk])).status_code == 404
    response = client.post(reverse("assistance_portal:withdraw", args=[application.pk]))
    assert response.status_code == 404
    assert "学费" not in client.get(reverse("assistance_portal:index")).content.decode()


def test_worker_withdraws_a_pending_application(district, worker, education):
    application = services.application_submit(
        actor=worker, programme=education, amount_requested="3000", statement="学费", **CHILD
    )
    _client(worker).post(reverse("assistance_portal:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_an_application_the_programme_rules_refuse_is_refused_at_submission(district, worker):
    only_on_file = programme(
        district.admin,
        district.F,
        name="困难职工子女助学",
        portal_open=True,
        requires_hardship_file=True,
        year=timezone.localdate().year,
    )
    with pytest.raises(services.DomainError) as err:
        services.application_submit(
            actor=worker, programme=only_on_file, amount_requested="800", statement="子女上学"
        )
    assert "困难职工家庭" in str(err.value.message)
    assert not AidApplication.objects.exists()


def test_a_bad_second_file_stores_neither_file(district, worker, education, settings):
    from pathlib import Path

    fake_png = pdf("照片.png", content=b"not an image")
    with pytest.raises(services.DomainError) as err:
        services.application_submit(
            actor=worker,
            programme=education,
            amount_requested="800",
            statement="子女上学",
            documents=[("medical", pdf()), ("medical", fake_png)],
            **CHILD,
        )
    assert err.value.field == "file2"
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []
    assert not AidApplication.objects.exists()


def test_an_absurd_amount_is_a_message_not_a_server_error(worker, education):
    with pytest.raises(services.DomainError) as err:
        services.application_submit(
            actor=worker, programme=education, amount_requested="1e30", statement="学费", **CHILD
        )
    assert err.value.code == "bad_amount"
    assert err.value.field == "amount_requested"
    assert "过大" in str(err.value.message)


def test_an_application_follows_the_programme_as_it_is_now(district, worker, education):
    from gonghui.assistance.errors import AssistanceError
    from gonghui.assistance.models import Programme
    from gonghui.core.errors import DomainError

    stale = Programme.objects.get(pk=education.pk)  # open to applications when loaded
    services.programme_update(actor=district.admin, programme=education, portal_open=False)
    with pytest.raises(DomainError) as err:
        services.application_submit(
            actor=worker, programme=stale, amount_requested="3000", statement="学费", **CHILD
        )
    assert err.value.code == AssistanceError.NOT_OPEN
    assert not AidApplication.objects.exists()
