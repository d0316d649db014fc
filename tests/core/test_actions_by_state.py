"""Decision 0017: a record offers only the one-object actions its state allows, on its page
and at the action's own address; the table of every admin names only actions it has."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib import admin as django_admin
from django.test import Client
from django.urls import reverse

from gonghui.activities import services as activity_services
from gonghui.activities.models import ActivityStatus
from gonghui.assistance import services as aid_services
from gonghui.assistance.models import DisbursementState
from gonghui.core.admin_base import ScopedModelAdmin
from tests.activities.conftest import make_activity
from tests.assistance import factories as af

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offered(client: Client, url: str, *action_urls: str) -> set[str]:
    """Which of ``action_urls`` the page at ``url`` links to."""
    page = client.get(url).content.decode()
    return {a for a in action_urls if f'href="{a}"' in page}


def every_scoped_admin() -> list[ScopedModelAdmin]:
    return [a for a in django_admin.site._registry.values() if isinstance(a, ScopedModelAdmin)]


def test_every_state_table_names_only_actions_the_admin_has() -> None:
    checked = 0
    for model_admin in every_scoped_admin():
        if not model_admin.actions_by_state:
            continue
        names = set(model_admin._extract_action_names(model_admin.actions_detail)) | set(
            model_admin._extract_action_names(model_admin.actions_submit_line)
        )
        unknown = model_admin.state_bound_actions() - names
        assert not unknown, f"{type(model_admin).__name__} names {unknown}"
        checked += 1
    assert checked >= 12  # activities, registrations, disbursements, contracts, ...


def test_past_activity_offers_neither_publish_nor_close_nor_register(district: Any) -> None:
    d = district
    with time_machine.travel(dt.datetime(2015, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        published = make_activity(d.cadre_a, d.A, starts_on=dt.date(2015, 5, 10))
        draft = make_activity(d.cadre_a, d.A, publish=False, starts_on=dt.date(2015, 5, 11))
    client = client_for(d.cadre_a)

    def urls(a: Any) -> dict[str, str]:
        names = ("publish", "close", "register_someone", "door_list", "no_shows", "copy")
        return {n: reverse(f"admin:activities_activity_{n}", args=[a.pk]) for n in names}

    page = lambda a: reverse("admin:activities_activity_change", args=[a.pk])  # noqa: E731
    with time_machine.travel(dt.datetime(2015, 5, 2, 9, tzinfo=dt.UTC), tick=False):
        now_published = offered(client, page(published), *urls(published).values())
        now_draft = offered(client, page(draft), *urls(draft).values())
    assert now_published == {
        urls(published)[n] for n in ("close", "register_someone", "door_list", "copy")
    }
    assert now_draft == {urls(draft)[n] for n in ("publish", "copy")}

    # Years later the same records offer what a past activity may still need.
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        client = client_for(d.cadre_a)  # a session of 2015 has long expired
        later = offered(client, page(published), *urls(published).values())
        assert later == {urls(published)[n] for n in ("door_list", "no_shows", "copy")}
        # An old link to a refused action returns to the record with why; nothing changes.
        response = client.post(urls(draft)["publish"])
        assert response.status_code == 302
        assert response["Location"] == page(draft)
        follow = client.get(page(draft)).content.decode()
        assert "当前的状态不能“发布”" in follow
    draft.refresh_from_db()
    assert draft.status == ActivityStatus.DRAFT


def test_cancelled_activity_offers_only_copy(district: Any) -> None:
    d = district
    activity = make_activity(d.cadre_a, d.A)
    activity_services.activity_cancel(actor=d.cadre_a, activity=activity, reason="天气")
    model_admin = next(a for a in every_scoped_admin() if a.model is type(activity))
    activity.refresh_from_db()
    assert model_admin.allowed_actions(activity) == ["copy"]


def test_disbursement_offers_the_actions_of_its_state(district: Any) -> None:
    d = district
    prog = af.programme(d.admin, d.F)
    who = af.person(d.root, d.A)
    paid = af.paid(d.cadre_a, d.admin, prog, who)
    proposed = aid_services.disbursement_propose(
        actor=d.cadre_a,
        programme=prog,
        person=who,
        amount=Decimal("100.00"),
        reason="测试",
        period="2015-夏",
    )
    names = ("approve", "pay", "reject", "cancel", "reverse_", "benefits")

    def urls(x: Any) -> dict[str, str]:
        return {n: reverse(f"admin:assistance_disbursement_{n}", args=[x.pk]) for n in names}

    page = lambda x: reverse("admin:assistance_disbursement_change", args=[x.pk])  # noqa: E731
    client = client_for(d.admin)
    assert paid.state == DisbursementState.PAID
    assert offered(client, page(paid), *urls(paid).values()) == {
        urls(paid)["reverse_"],
        urls(paid)["benefits"],
    }
    assert offered(client, page(proposed), *urls(proposed).values()) == {
        urls(proposed)[n] for n in ("approve", "reject", "cancel", "benefits")
    }
    # Paying a paid disbursement by its address is refused before its form is shown.
    response = client.get(urls(paid)["pay"])
    assert response.status_code == 302
    # ... and the service still refuses it on its own.
    with pytest.raises(aid_services.DomainError):
        aid_services.disbursement_pay(actor=d.admin, disbursement=paid, paid_on=dt.date(2015, 7, 1))
