"""The audit trail keeps phone numbers masked, as it keeps ID numbers."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from gonghui.core.audit import history_for
from gonghui.core.models import AuditEntry
from gonghui.membership import services as ms
from gonghui.organisation import services as org
from tests import factories as f


def _trail() -> str:
    return " ".join(f"{e.message} {e.changes}" for e in AuditEntry.objects.all())


def test_a_changed_mobile_is_recorded_masked_before_and_after(district: Any) -> None:
    person = f.make_person(district.admin, district.A1, mobile="13812345678")
    ms.person_update(actor=district.cadre_a, person=person, mobile="139 0000 1111")

    entry = history_for(person).first()
    assert entry.action == "person.update"
    assert entry.changes == {"手机号码": ["138****5678", "139****1111"]}
    for number in ("13812345678", "13900001111", "12345678", "00001111"):
        assert number not in _trail()


def test_a_change_of_the_hidden_digits_is_still_recorded(district: Any) -> None:
    person = f.make_person(district.admin, district.A1, mobile="13812345678")
    ms.person_update(actor=district.cadre_a, person=person, mobile="13899995678")

    entry = history_for(person).first()
    assert entry.changes == {"手机号码": ["138****5678", "138****5678"]}


def test_a_mobile_set_where_there_was_none_is_masked(district: Any) -> None:
    person = f.make_person(district.admin, district.A1)
    ms.person_update(actor=district.cadre_a, person=person, mobile="13900001111")
    assert history_for(person).first().changes == {"手机号码": ["", "139****1111"]}


def test_union_and_enterprise_phones_are_masked_in_the_trail(district: Any) -> None:
    union = org.union_create(
        actor=district.admin,
        parent=district.A1,
        name="丙企业工会",
        code="EN-C",
        kind=f.KIND.ENTERPRISE,
        phone="13700002222",
    )
    assert history_for(union).first().changes["联系电话"] == [None, "137****2222"]
    org.union_update(actor=district.admin, union=union, phone="0571-87654321")
    assert history_for(union).first().changes == {"联系电话": ["137****2222", "057*****4321"]}

    org.enterprise_update(
        actor=district.admin, enterprise=district.ent_a, contact_phone="13600003333"
    )
    assert history_for(district.ent_a).first().changes == {"联系电话": ["", "136****3333"]}
    for number in ("13700002222", "87654321", "13600003333"):
        assert number not in _trail()


def test_the_history_page_shows_the_mobile_masked(district: Any) -> None:
    person = f.make_person(district.admin, district.A1, mobile="13812345678")
    ms.person_update(actor=district.cadre_a, person=person, mobile="13900001111")
    client = Client()
    client.force_login(district.admin)
    page = client.get(reverse("admin:membership_person_history", args=[person.pk]))
    html = page.content.decode()
    assert "139****1111" in html
    assert "13900001111" not in html


def test_the_audit_filter_offers_only_the_platforms_record_types_in_chinese(
    district: Any,
) -> None:
    from django.contrib.contenttypes.models import ContentType

    from gonghui.organisation.models import Union

    client = Client()
    client.force_login(district.admin)
    url = reverse("admin:core_auditentry_changelist")
    html = client.get(url).content.decode()
    for english in ("Otp_Totp", "TOTP device", "access attempt", "Task Result", "session"):
        assert english not in html
    assert ">工会<" in html or ">工会\n" in html or "工会</" in html

    # Choosing a type lists that type's entries only.
    union_type = ContentType.objects.get_for_model(Union)
    entries = client.get(url, {"content_type__id__exact": union_type.pk}).context["cl"]
    types = {e.content_type_id for e in entries.queryset}
    assert types == {union_type.pk}
