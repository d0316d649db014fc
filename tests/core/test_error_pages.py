"""With DEBUG off, the 403, 404 and 500 pages are Chinese pages of the platform, for the back
office and the portal alike, with the right status; the 500 page needs no database."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Forbidden", "Server Error", "requested resource", "403 Forbidden")


@pytest.fixture(autouse=True)
def _production_like(settings: Any) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = "tests.core.error_urls"


def chinese_page(response: Any, status: int, heading: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert '<html lang="zh-hans">' in html
    for word in ENGLISH:
        assert word not in html
    return html


def test_a_missing_portal_page_answers_a_chinese_404() -> None:
    html = chinese_page(Client().get("/no-such-page/"), 404, "页面不存在")
    assert "返回网上职工之家" in html


def test_a_missing_back_office_record_answers_a_chinese_404(district: Any) -> None:
    client = Client()
    client.force_login(district.admin)
    response = client.get("/admin/organisation/union/999999999/change/", follow=True)
    # The admin sends a missing record back to its list with a message; an unknown admin
    # page is a plain 404 of ours.
    assert response.status_code == 200
    chinese_page(client.get("/admin/organisation/no-such-model/"), 404, "页面不存在")


def test_a_cadre_opening_a_user_link_gets_the_chinese_403(district: Any) -> None:
    client = Client()
    client.force_login(district.cadre_a)
    url = reverse("admin:accounts_user_change", args=[district.cadre_b.pk])
    html = chinese_page(client.get(url), 403, "没有权限")
    assert "联系上级工会或系统管理员" in html


def test_a_failing_page_answers_the_chinese_500() -> None:
    client = Client(raise_request_exception=False)
    html = chinese_page(client.get("/boom/"), 500, "系统出错了")
    assert "错误已被记录" in html


def test_the_500_page_needs_no_database_and_no_context_processor(
    django_assert_num_queries: Any,
) -> None:
    request = RequestFactory().get("/boom/")  # no session, no user: nothing to process
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert re.search(r"<h1>系统出错了</h1>", response.content.decode())


def test_a_form_posted_without_its_token_answers_a_chinese_403(district: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(district.admin)
    response = client.post("/admin/logout/")
    html = chinese_page(response, 403, "页面已过期，请重新提交")
    assert "CSRF" not in html
