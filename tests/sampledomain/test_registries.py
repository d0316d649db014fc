"""A domain the platform has never heard of (this package, installed only by the test
settings) registers a figure, a page, navigation, a workbench card and to-dos, and the
platform shows them: no line of ``core``, another domain or the report names it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.core.metrics import catalogue, figure
from gonghui.core.scope import SYSTEM

from .models import Loan, Renewal
from .services import loan_create

D = dt.date


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def loans(district: Any) -> Any:
    a = loan_create(
        actor=district.cadre_a,
        union=district.A1,
        title="平凡的世界",
        borrower="张三",
        lent_on=D(2015, 3, 1),
        due_on=D(2015, 4, 1),
    )
    b = loan_create(
        actor=district.cadre_b,
        union=district.B1,
        title="乙隐之书",
        borrower="李四",
        lent_on=D(2015, 5, 1),
        due_on=D(2015, 6, 1),
    )
    return district, a, b


def test_its_figure_joins_the_catalogue_and_is_computed_per_subtree(loans: Any) -> None:
    d, _a, _b = loans
    assert "sample.loans" in {e.id for e in catalogue()}
    assert figure("sample.loans", actor=SYSTEM, union=d.F, year=2015).value == 2
    assert figure("sample.loans", actor=SYSTEM, union=d.A, year=2015).value == 1
    assert figure("sample.loans", actor=SYSTEM, union=d.F, year=2016).value == 0
    # The figure reads through scope: street A's cadre counts only street A's loans.
    assert figure("sample.loans", actor=d.cadre_a, union=d.F, year=2015).value == 1


def test_its_figure_is_in_the_report_and_opens_to_its_records(loans: Any) -> None:
    d, a, _b = loans
    client = client_for(d.admin)
    report = client.get(reverse("admin:annual_report"), {"union": d.F.pk, "year": 2015})
    assert report.status_code == 200
    assert "职工书屋借阅" in report.content.decode()
    drill = client.get(
        reverse("admin:metric_drilldown", args=["sample.loans"]),
        {"union": d.A.pk, "year": 2015},
    )
    assert drill.status_code == 200
    assert a.title in drill.content.decode()
    assert "乙隐之书" not in drill.content.decode()


def test_its_page_and_navigation_are_served_and_scoped(loans: Any) -> None:
    d, a, b = loans
    client = client_for(d.cadre_a)
    page = client.get(reverse("admin:sampledomain_overdue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert a.title in text
    assert b.title not in text
    assert "逾期未还" in client.get(reverse("admin:index")).content.decode()
    # The page is behind the back office's sign-in.
    assert Client().get(reverse("admin:sampledomain_overdue")).status_code == 302


def test_its_todos_and_cards_are_on_the_workbench_of_the_right_scope(loans: Any) -> None:
    d, _a, _b = loans
    page = client_for(d.cadre_a).get(reverse("admin:index")).content.decode()
    assert "逾期未还的图书" in page
    assert reverse("admin:sampledomain_overdue") in page
    Loan.objects.filter(union=d.A1).update(returned_on=D(2015, 3, 20))
    page = client_for(d.cadre_a).get(reverse("admin:index")).content.decode()
    assert "逾期未还的图书" not in page  # nothing waits for street A any more
    assert "逾期未还的图书" in client_for(d.cadre_b).get(reverse("admin:index")).content.decode()


def _add_form(d: Any, **extra: str) -> dict[str, str]:
    data = {
        "union": str(d.A1.pk),
        "title": "人生",
        "borrower": "王五",
        "lent_on": "2015-07-01",
        "due_on": "2015-08-01",
        "renewals-TOTAL_FORMS": "1",
        "renewals-INITIAL_FORMS": "0",
        "renewals-MIN_NUM_FORMS": "0",
        "renewals-MAX_NUM_FORMS": "1000",
        "renewals-0-until": "",
    }
    data.update(extra)
    return data


def test_a_service_form_writes_once_the_whole_page_is_valid(district: Any) -> None:
    client = client_for(district.cadre_a)
    url = reverse("admin:sampledomain_loan_add")
    # A bad inline row: the page is shown again and the service's write is not kept.
    response = client.post(url, _add_form(district, **{"renewals-0-until": "not a date"}))
    assert response.status_code == 200
    assert not Loan.objects.exists()
    # The whole page valid: one loan, with its renewal.
    response = client.post(url, _add_form(district, **{"renewals-0-until": "2015-09-01"}))
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert Renewal.objects.get().loan == loan


def test_a_service_refusal_is_shown_beside_its_field_and_nothing_is_written(district: Any) -> None:
    client = client_for(district.cadre_a)
    response = client.post(
        reverse("admin:sampledomain_loan_add"),
        _add_form(district, due_on="2015-06-01", **{"renewals-0-until": "2015-09-01"}),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["due_on"] == ["应还日期不能早于借出日期。"]
    assert not Loan.objects.exists()
    assert not Renewal.objects.exists()
