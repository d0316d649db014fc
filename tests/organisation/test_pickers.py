"""Picking a union, a person or an enterprise by typing part of its name or code: the back
office's autocomplete reads through the reader's scope, so a street cadre is never offered
another street's union, person or enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _pick(user: Any, app: str, model: str, field: str, term: str) -> list[str]:
    response = _client(user).get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


# (source form, field) → the union picker on every form that names a union
UNION_PICKERS = [
    ("membership", "person", "union"),
    ("assistance", "programme", "union"),
    ("organisation", "coverage", "union"),
    ("organisation", "cadre", "union"),
    ("organisation", "enterprise", "union"),
    ("organisation", "union", "parent"),
]


@pytest.mark.parametrize(("app", "model", "field"), UNION_PICKERS)
def test_union_picker_offers_only_the_cadres_own_street(
    district: Any, app: str, model: str, field: str
) -> None:
    assert sorted(_pick(district.cadre_a, app, model, field, "工会")) == sorted(
        ["甲街道总工会", "甲一社区工会", "甲企业工会"]
    )
    assert _pick(district.cadre_a, app, model, field, "乙") == []
    # By code as well as by name.
    assert _pick(district.admin, app, model, field, "CM-B1") == ["乙一社区工会"]


def test_person_picker_finds_by_name_in_the_cadres_street_only(district: Any) -> None:
    f.make_person(district.admin, district.A1, name="张三甲", joined=dt.date(2014, 1, 1))
    f.make_person(district.admin, district.B1, name="张三乙", joined=dt.date(2014, 1, 1))
    assert _pick(district.cadre_a, "organisation", "cadre", "person", "张三") == ["张三甲"]
    assert _pick(district.cadre_b, "organisation", "cadre", "person", "张三") == ["张三乙"]
    assert len(_pick(district.admin, "organisation", "cadre", "person", "张三")) == 2


def test_enterprise_picker_finds_by_name_in_the_cadres_street_only(district: Any) -> None:
    assert _pick(district.cadre_a, "organisation", "coverage", "enterprise", "企业") == [
        "甲企业有限公司"
    ]
    assert _pick(district.cadre_a, "membership", "person", "employer", "乙企业") == []


def test_report_page_picks_a_union_with_a_search_box_served_by_the_app(district: Any) -> None:
    html = _client(district.cadre_a).get(reverse("admin:annual_report")).content.decode()
    assert 'data-testid="report-union-picker"' in html
    assert "admin-autocomplete" in html
    assert "select2" in html
    assert "甲街道总工会" in html
    assert "乙街道总工会" not in html
    assert "//cdn" not in html
