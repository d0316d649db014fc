"""Every back-office list: no link nested in another (the outer one would have no name for a
screen reader: axe found 50 on the member list), and every link named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests import factories as f
from tests.activities.conftest import make_activity
from tests.assistance import factories as af
from tests.membership.test_member_list import _Links

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_no_list_nests_a_link_in_a_link(district: Any) -> None:
    d = district
    person = f.make_person(d.root, d.EA, name="赵一", joined=dt.date(2012, 1, 1))
    make_activity(d.root, d.A)
    af.paid(d.cadre_a, d.admin, af.programme(d.admin, d.F), person)
    client = Client()
    client.force_login(d.root)
    checked, problems = 0, []
    for model in admin.site._registry:
        opts = model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        unnamed = [
            link["attrs"].get("href")
            for link in parser.links
            if not link["text"].strip()
            and not link["attrs"].get("aria-label")
            and not link["attrs"].get("title")
        ]
        if parser.nested or unnamed:
            problems.append((url, parser.nested, unnamed[:3]))
        checked += 1
    assert checked > 30
    assert problems == []
