"""Shared fixtures: a small district built through the services, and its users.

F 区总工会
├── A 街道总工会 ── A1 社区工会 ── EA 企业工会 (covers enterprise ent_a)
└── B 街道总工会 ── B1 社区工会 ── EB 企业工会 (covers enterprise ent_b)
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import pytest

from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in browser tests


@dataclass
class District:
    root: Any
    F: Any
    A: Any
    A1: Any
    EA: Any
    B: Any
    B1: Any
    EB: Any
    ent_a: Any
    ent_b: Any
    admin: Any
    cadre_a: Any
    cadre_b: Any
    leader: Any
    evaluator: Any


@pytest.fixture
def root_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("root", password=f.PASSWORD)


@pytest.fixture
def district(db: Any, root_user: Any) -> District:
    return make_district(root_user)


def make_district(r: Any) -> District:
    """The district above, built by the superuser ``r`` (also usable outside a fixture, for a
    module's data built once)."""
    F = f.make_union(
        r, None, f.KIND.FEDERATION, "测试区总工会", code="FED", founded_on=dt.date(1990, 1, 1)
    )
    A = f.make_union(r, F, f.KIND.STREET_FEDERATION, "甲街道总工会", code="ST-A")
    A1 = f.make_union(r, A, f.KIND.COMMUNITY, "甲一社区工会", code="CM-A1")
    EA = f.make_union(r, A1, f.KIND.ENTERPRISE, "甲企业工会", code="EN-A")
    B = f.make_union(r, F, f.KIND.STREET_FEDERATION, "乙街道总工会", code="ST-B")
    B1 = f.make_union(r, B, f.KIND.COMMUNITY, "乙一社区工会", code="CM-B1")
    EB = f.make_union(r, B1, f.KIND.ENTERPRISE, "乙企业工会", code="EN-B")
    ent_a = f.make_enterprise(r, A1, name="甲企业有限公司")
    ent_b = f.make_enterprise(r, B1, name="乙企业有限公司")
    from gonghui.organisation.services import coverage_start

    coverage_start(actor=r, union=EA, enterprise=ent_a, on=dt.date(2010, 1, 1))
    coverage_start(actor=r, union=EB, enterprise=ent_b, on=dt.date(2010, 1, 1))
    return District(
        root=r,
        F=F,
        A=A,
        A1=A1,
        EA=EA,
        B=B,
        B1=B1,
        EB=EB,
        ent_a=ent_a,
        ent_b=ent_b,
        admin=f.make_user(r, f.ROLE.FEDERATION_ADMIN, F, username="fedadmin"),
        cadre_a=f.make_user(r, f.ROLE.UNION_CADRE, A, username="cadre_a"),
        cadre_b=f.make_user(r, f.ROLE.UNION_CADRE, B, username="cadre_b"),
        leader=f.make_user(r, f.ROLE.LEADER, F, username="leader"),
        evaluator=f.make_user(r, f.ROLE.EVALUATOR, A, username="evaluator"),
    )


@pytest.fixture(autouse=True)
def _chinese_unless_a_test_says_otherwise() -> Any:
    """Each test starts in the platform's language: a request with another language cookie
    leaves that language active in the thread (LocaleMiddleware does not reset it), which
    would otherwise decide the language of whichever test runs next on this worker."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings: Any, tmp_path_factory: Any) -> None:
    """Background tasks run at commit, in the test's process; progress goes to local memory;
    stored files go to a directory of the test's own (parallel workers have databases of their
    own whose ids coincide, so a shared directory would mix ``roster-5.csv`` of two workers)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
