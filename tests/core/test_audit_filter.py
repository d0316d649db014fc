"""The audit log's 对象类型 filter offers the platform's own record types, by their Chinese
names, and none of the third-party apps' (TOTP devices, access attempts, task results)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from gonghui.core.admin import platform_record_types
from gonghui.organisation.models import Union

pytestmark = pytest.mark.django_db


def test_the_record_types_are_the_platforms_own_in_chinese() -> None:
    labels = dict(platform_record_types()).values()
    assert "工会组织" in labels or str(Union._meta.verbose_name) in labels
    for label in labels:
        assert not any("a" <= ch.lower() <= "z" for ch in label), label
    third_party = ContentType.objects.filter(
        app_label__in=["otp_totp", "axes", "django_tasks_database"]
    )
    assert third_party.exists()
    assert not set(third_party.values_list("pk", flat=True)) & set(dict(platform_record_types()))


def test_the_audit_list_filter_shows_chinese_types_only(district: Any) -> None:
    client = Client()
    client.force_login(district.admin)
    html = client.get(reverse("admin:core_auditentry_changelist")).content.decode()
    assert str(Union._meta.verbose_name) in html
    for english in ("Otp_Totp", "TOTP device", "access attempt", "Task Result", "Axes |"):
        assert english not in html


def test_filtering_by_a_record_type_keeps_only_its_entries(district: Any) -> None:
    client = Client()
    client.force_login(district.admin)
    union_type = ContentType.objects.get_for_model(Union)
    url = reverse("admin:core_auditentry_changelist")
    response = client.get(url, {"content_type__id__exact": union_type.pk})
    assert response.status_code == 200
    shown = response.context["cl"].queryset
    assert shown.exists()  # the district's unions were created through audited services
    assert set(shown.values_list("content_type", flat=True)) == {union_type.pk}
