"""Every main page at 1440 px and 375 px in real Chromium: no sideways scrolling on a phone, no
input without a border, no English in a Chinese page, no serious or critical axe-core
violation (tests/browser/pagechecks.py); then every add and change form of the back office.

The district and its records are built once for the module, committed, and served by a live
server of the module's own (pytest-django's session live server would flush them after the
first test); the module empties the database when it is done, as a transactional test does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests import factories as f
from tests.activities.conftest import make_activity
from tests.browser.pagechecks import check_page
from tests.conftest import make_district

# django_db: the tests themselves read nothing, but it has the test database set up.
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.xdist_group("pagechecks")]

H13B = "portal pages and the door list are owned by h13b"
H13C = "the person form and the report are owned by h13c"


@dataclass
class Site:
    url: str
    ids: dict[str, int]


@pytest.fixture(scope="module")
def site(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    # What tests/conftest.py's function-scoped fixtures set, for the module's build too.
    settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        MEDIA_ROOT=str(tmp_path_factory.mktemp("pagechecks-media")),
    )
    settings.enable()
    with django_db_blocker.unblock():
        try:
            ids = _build()
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            try:
                yield Site(url=server.url, ids=ids)
            finally:
                server._live_server_modified_settings.disable()
                server.stop()
        finally:
            call_command("flush", interactive=False, verbosity=0)
            settings.disable()
            # Playwright's greenlets give this fixture a connection of its own (Django's
            # connections are context-local): close it, or the test database cannot be dropped.
            connections.close_all()


def _build() -> dict[str, int]:
    """A street with people, an activity with registrations, aid paid and applied for, an
    honour, a cadre and a collective contract: each page and form has something to show."""
    from gonghui.accounts.models import RoleGrant
    from gonghui.accounts.services import user_create
    from gonghui.activities import services as activities
    from gonghui.assistance import services as assistance
    from gonghui.organisation.services import cadre_appoint
    from tests.assistance.factories import hardship, paid, programme
    from tests.honours.factories import make_honour
    from tests.relations.factories import draft

    root = get_user_model().objects.create_superuser("root", password=f.PASSWORD)
    this_year = timezone.localdate().year
    d = make_district(root)
    joined = dt.date(2012, 3, 1)
    worker = f.make_person(
        root, d.EA, name="陈小燕", mobile="13900001111", joined=joined, employer=d.ent_a
    )
    user_create(
        actor=root,
        username="+8613900001111",
        password=f.PASSWORD,
        role=RoleGrant.Role.WORKER,
        union=None,
        person=worker,
    )
    people = [
        f.make_person(root, d.A1, name=name, joined=joined, ric=f.make_ric(born=born))
        for name, born in [
            ("张三", dt.date(1975, 2, 3)),
            ("李四", dt.date(1982, 7, 9)),
            ("王芳", dt.date(1990, 11, 21)),
        ]
    ]
    cadre_appoint(
        actor=root, union=d.A, person=people[0], position="chair", appointed_on=dt.date(2013, 1, 1)
    )
    activity = make_activity(
        d.cadre_a,
        d.A,
        title="甲街道职工免费体检",
        place="甲街道社区卫生服务中心",
        description="请携带身份证，体检当天早晨空腹。",
        starts_on=timezone.localdate() + dt.timedelta(days=7),
        capacity=30,
    )
    for p in [*people[:2], worker]:
        activities.registration_create(actor=d.cadre_a, activity=activity, person=p)
    aid = programme(
        d.admin, d.F, name="春风助学", budget="20000.00", year=this_year, portal_open=True
    )
    disbursement = paid(d.cadre_a, d.admin, aid, people[1], amount="1500.00")
    application = assistance.application_submit(
        actor=get_user_model().objects.get(username="+8613900001111"),
        programme=aid,
        amount_requested=Decimal("2000.00"),
        statement="孩子考上大学，学费有困难。",
        child_name="王小红",
        child_school="浙江大学",
        child_grade="大一",
    )
    hardship(d.cadre_a, d.A1, people[2])
    make_honour(d.admin, d.F, kind="model_worker", person=people[0])
    draft(d.admin, d.EA, [d.ent_a], title="甲企业2015年集体合同")
    return {
        "union": d.A.pk,
        "person": worker.pk,
        "activity": activity.pk,
        "programme": aid.pk,
        "disbursement": disbursement.pk,
        "application": application.pk,
    }


def _context_page(browser: Browser, base: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1440, "height": 900},
    )
    context.set_default_timeout(15_000)
    tab: Any = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="module")
def backoffice(browser: Browser, site: Site) -> Iterator[Page]:
    """The federation administrator, signed in once for the module."""
    for tab in _context_page(browser, site.url):
        tab.goto("/admin/login/")
        tab.fill("#id_username", "fedadmin")
        tab.fill("#id_password", f.PASSWORD)
        tab.locator("#login-form button[type=submit]").click()
        expect(tab).to_have_url(f"{site.url}/admin/")
        yield tab


@pytest.fixture(scope="module")
def worker(browser: Browser, site: Site) -> Iterator[Page]:
    """The worker 陈小燕 on the portal, signed in once for the module."""
    for tab in _context_page(browser, site.url):
        tab.goto("/login/")
        tab.fill("#id_username", "13900001111")
        tab.fill("#id_password", f.PASSWORD)
        tab.get_by_role("button", name="登录").click()
        expect(tab).to_have_url(f"{site.url}/me/")
        yield tab


@pytest.fixture(scope="module")
def visitor(browser: Browser, site: Site) -> Iterator[Page]:
    """Someone not signed in."""
    yield from _context_page(browser, site.url)


BACKOFFICE = [
    pytest.param("/admin/", id="dashboard"),
    pytest.param("/admin/organisation/union/{union}/change/", id="union"),
    pytest.param("/admin/tree/", id="tree"),
    pytest.param("/admin/membership/person/add/", id="person-add"),
    pytest.param("/admin/membership/person/{person}/change/", id="person-change"),
    pytest.param("/admin/membership/person/", id="member-list"),
    pytest.param("/admin/report/?year=2015", id="report"),
    pytest.param("/admin/report/dashboard/?year=2015", id="leaders-dashboard"),
    pytest.param("/admin/organisation/enterprise/", id="enterprise-list"),
    pytest.param("/admin/activities/activity/{activity}/door/", id="door-list"),
    pytest.param("/admin/core/auditentry/", id="audit-log"),
    pytest.param("/admin/core/importbatch/add/", id="import-upload"),
]

PORTAL = [
    pytest.param("/me/", id="me"),
    pytest.param("/card/", id="card"),
    pytest.param("/activities/", id="activities"),
    pytest.param("/activities/{activity}/", id="activity"),
    pytest.param("/registrations/", id="registrations"),
    pytest.param("/messages/", id="messages"),
    pytest.param("/aid/", id="aid"),
    pytest.param("/aid/apply/{programme}/", id="aid-apply"),
    pytest.param("/aid/{application}/", id="aid-application"),
]

PUBLIC = [
    pytest.param("/", id="home"),
    pytest.param("/login/", id="login"),
    pytest.param("/claim/", id="claim"),
    pytest.param("/admin/login/", id="admin-login"),
]


@pytest.mark.parametrize("path", BACKOFFICE)
def test_backoffice_page_passes_the_checks(
    backoffice: Page, site: Site, path: str, tmp_path: Path
) -> None:
    check_page(backoffice, path.format(**site.ids), out=tmp_path)


@pytest.mark.parametrize("path", PORTAL)
def test_portal_page_passes_the_checks(worker: Page, site: Site, path: str, tmp_path: Path) -> None:
    check_page(worker, path.format(**site.ids), out=tmp_path)


@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_passes_the_checks(
    visitor: Page, site: Site, path: str, tmp_path: Path
) -> None:
    check_page(visitor, path.format(**site.ids), out=tmp_path)


def _forms_of_the_back_office(username: str) -> list[str]:
    """The add form of every registered model the user may add, and one change form of each
    the user may change where a record in its scope exists."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import NoReverseMatch, reverse

    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username=username)
    paths = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        name = f"admin:{meta.app_label}_{meta.model_name}"
        try:
            if model_admin.has_add_permission(request):
                paths.append(reverse(f"{name}_add"))
            record = model_admin.get_queryset(request).order_by("pk").first()
            if record is not None and model_admin.has_change_permission(request, record):
                paths.append(reverse(f"{name}_change", args=[record.pk]))
        except NoReverseMatch:  # a model shown without the add or change page
            continue
    return paths


def test_every_backoffice_form_has_usable_inputs(backoffice: Page, site: Site) -> None:
    """Every add and change form: each visible input bordered, at least 28 px tall and named;
    and no English among the labels and help texts."""
    from tests.browser.pagechecks import english_problems, input_problems

    paths = _forms_of_the_back_office("fedadmin")
    assert len(paths) > 30, paths  # the walk reaches the domains' forms, not just a few
    found = []
    for path in paths:
        response = backoffice.goto(path)
        assert response is not None
        if response.url.rstrip("/").endswith("/admin"):  # sent back: the page refused
            found.append(f"{path}: redirected to the dashboard")
            continue
        problems = input_problems(backoffice, form=True) + english_problems(backoffice)
        found += [f"{path}: {p}" for p in problems]
    assert not found, "\n".join(found)


def test_widgets_drawn_by_scripts_have_chinese_names(backoffice: Page, site: Site) -> None:
    backoffice.set_viewport_size({"width": 1440, "height": 900})
    backoffice.goto("/admin/membership/person/add/")
    scroll_areas = backoffice.locator(".simplebar-content-wrapper[aria-label]")
    expect(scroll_areas.first).to_have_attribute("aria-label", "可滚动区域")
    # The employer picker (select2) is named by its label while nothing is chosen.
    picker = backoffice.locator(".field-employer .select2-selection--single")
    labelled_by = picker.get_attribute("aria-labelledby") or ""
    label = backoffice.locator(f"#{labelled_by.split()[0]}")
    expect(label).to_contain_text("工作单位")


@pytest.mark.parametrize(
    ("who", "path"),
    [("backoffice", "/admin/no-such-page/"), ("worker", "/no-such-page/")],
    ids=["backoffice-404", "portal-404"],
)
def test_not_found_pages_pass_the_checks(
    backoffice: Page, worker: Page, who: str, path: str, tmp_path: Path
) -> None:
    from tests.browser.pagechecks import page_problems, shot_name

    # Module fixtures as arguments: set up before the test's own database transaction opens.
    page = {"backoffice": backoffice, "worker": worker}[who]
    found = []
    for width in (1440, 375):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(path)
        assert response is not None
        assert response.status == 404
        page.screenshot(path=str(tmp_path / shot_name(path, width)), full_page=True)
        found += [f"{width}px: {p}" for p in page_problems(page, width)]
    assert not found, f"{path}:\n  " + "\n  ".join(found)
