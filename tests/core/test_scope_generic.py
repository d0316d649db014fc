"""The generic scope test the architecture demands ("The spine: the union tree and scope").

It walks every model of the ``gonghui.*`` apps that belongs to a union (a ``union`` field or
a ``scope_lookup``) and proves that a cadre of street A cannot list, open, look at the history
of, export or select a record of street B, while a cadre of street B can (the positive
control). A new model that belongs to a union fails here until it declares ``scope_lookup``,
has a ScopedModelAdmin (if it is in the back office) and a builder in ``BUILDERS``.

The rest covers the other ways into a record: POSTing to a change page or a detail action,
foreign-key choices, the autocomplete endpoint, the report pages, the read-only roles, the
roles that must not enter the back office at all, and the query count of the big lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection, models
from django.forms import ModelChoiceField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.core import audit
from gonghui.core.admin_base import ScopedModelAdmin
from gonghui.core.export import XLSX
from gonghui.core.importing.engine import import_create
from gonghui.core.models import AuditEntry, ImportBatch, PiiAccessLog
from gonghui.core.scope import scope_queryset
from gonghui.membership.models import Membership, MembershipApplication, Person
from gonghui.membership.selectors import membership_list, person_list
from gonghui.membership.services import application_submit, person_reveal_ric
from gonghui.organisation.models import (
    Cadre,
    CadrePosition,
    Coverage,
    Enterprise,
    JointKind,
    Union,
)
from gonghui.organisation.selectors import cadre_list, coverage_list, enterprise_list, union_list
from gonghui.organisation.services import cadre_appoint, coverage_start
from tests import factories as f
from tests.assistance.scope_builders import ASSISTANCE_BUILDERS
from tests.relations.scope_builders import RELATIONS_BUILDERS

# Every street-B record built here carries this in its name: it must never reach street A.
MARK = "乙隐"
B_UNION_NAMES = ("乙街道总工会", "乙一社区工会", "乙企业工会")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 (tests/accounts/test_auth.py proves it is used) costs ~0.15 s per account and the
    # district makes six; nothing here is about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the models that belong to a union ---------------------------------------------------------
def _belongs_to_a_union(model: type[models.Model]) -> bool:
    own_fields = [*model._meta.fields, *model._meta.many_to_many]
    return any(fld.name == "union" for fld in own_fields) or hasattr(model, "scope_lookup")


SCOPED_MODELS = [
    m for m in apps.get_models() if m.__module__.startswith("gonghui.") and _belongs_to_a_union(m)
]
REGISTERED = [m for m in SCOPED_MODELS if m in admin.site._registry]


def _ids(models_: list[type[models.Model]]) -> list[str]:
    return [m._meta.label for m in models_]


# --- builders: one street-B record of each model, built through the services --------------------
def _b_person(d: Any, name: str, *, joined: dt.date | None = None) -> Person:
    return f.make_person(d.root, d.B1, name=name, joined=joined, mobile="13912345678")


def _build_union(d: Any) -> Union:
    return f.make_union(d.root, d.B1, f.KIND.ENTERPRISE, f"{MARK}企业工会")


def _build_enterprise(d: Any) -> Enterprise:
    return f.make_enterprise(d.root, d.B1, name=f"{MARK}科技有限公司")


def _build_coverage(d: Any) -> Coverage:
    joint = f.make_union(
        d.root, d.B1, f.KIND.JOINT, f"{MARK}联合工会", joint_kind=JointKind.ONE_STREET
    )
    ent = f.make_enterprise(d.root, d.B1, name=f"{MARK}小微商店")
    return coverage_start(actor=d.root, union=joint, enterprise=ent, on=dt.date(2012, 1, 1))


def _build_cadre(d: Any) -> Cadre:
    person = _b_person(d, f"{MARK}主席")
    return cadre_appoint(
        actor=d.root,
        union=d.B1,
        person=person,
        position=CadrePosition.CHAIR,
        appointed_on=dt.date(2012, 1, 1),
    )


def _build_person(d: Any) -> Person:
    return _b_person(d, f"{MARK}张三")


def _build_membership(d: Any) -> Membership:
    return _b_person(d, f"{MARK}李四", joined=dt.date(2014, 3, 1)).memberships.get()


def _build_audit_entry(d: Any) -> AuditEntry:
    return audit.record(actor=d.root, obj=d.B1, action="test.note", message=f"{MARK}备注")


def _build_pii_access_log(d: Any) -> PiiAccessLog:
    person = _b_person(d, f"{MARK}王五")
    person_reveal_ric(actor=d.admin, person=person, reason=f"{MARK}核查会籍")
    return PiiAccessLog.objects.get(person=person)


def _build_role_grant(d: Any) -> RoleGrant:
    user = user_create(
        actor=d.root,
        username="cadre_b1",
        password=None,
        name=f"{MARK}干部",
        role=RoleGrant.Role.UNION_CADRE,
        union=d.B1,
    )
    return RoleGrant.objects.get(user=user)


def _build_import_batch(d: Any) -> ImportBatch:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".csv") as tmp:
        tmp.write("姓名,身份证号,入会时间\n".encode())
        tmp.flush()
        return import_create(
            actor=d.root, union=d.B1, path=tmp.name, filename=f"{MARK}花名册.csv", kind="roster"
        )


def _build_application(d: Any) -> MembershipApplication:
    person = _b_person(d, f"{MARK}申请人")
    worker = user_create(
        actor=d.root, username="applicant_b", password=None, role="worker", person=person
    )
    return application_submit(actor=worker, union=d.B1, statement=f"{MARK}申请")


def _build_honour(d: Any) -> Any:
    from gonghui.honours.services import honour_award

    return honour_award(
        actor=d.root,
        union=d.B,
        kind="model_worker",
        level="municipal",
        year=2014,
        person=_b_person(d, f"{MARK}劳模"),
    )


def _b_activity(d: Any, kind: str = "health_check", capacity: int | None = 10) -> Any:
    from gonghui.activities import services as activity_services

    a = activity_services.activity_create(
        actor=d.root,
        union=d.B1,
        kind=kind,
        title=f"{MARK}体检",
        starts_on=timezone.localdate() + dt.timedelta(days=5),
        capacity=capacity,
    )
    return activity_services.activity_publish(actor=d.root, activity=a)


def _build_activity(d: Any) -> Any:
    return _b_activity(d)


def _build_registration(d: Any) -> Any:
    from gonghui.activities.services import registration_create

    return registration_create(
        actor=d.root, activity=_b_activity(d), person=_b_person(d, f"{MARK}报名人")
    )


def _build_consultation(d: Any) -> Any:
    from gonghui.activities.services import consultation_record

    day = _b_activity(d, kind="service_day", capacity=None)
    return consultation_record(actor=d.root, activity=day, topic="wages", count=12)


def _build_report_release(d: Any) -> Any:
    from gonghui.reports.services import report_finalise

    return report_finalise(actor=d.root, union=d.B, year=2010, note=f"{MARK}定稿")


def _build_paragraph_text(d: Any) -> Any:
    from gonghui.reports.services import paragraph_text_save

    return paragraph_text_save(
        actor=d.root, union=d.B, key="organisation.building", text=f"{MARK}段落"
    )


BUILDERS: dict[type[models.Model], Callable[[Any], models.Model]] = {
    apps.get_model("reports", "ReportRelease"): _build_report_release,
    apps.get_model("reports", "ParagraphText"): _build_paragraph_text,
    apps.get_model("activities", "Activity"): _build_activity,
    apps.get_model("activities", "Registration"): _build_registration,
    apps.get_model("activities", "Consultation"): _build_consultation,
    MembershipApplication: _build_application,
    ImportBatch: _build_import_batch,
    Union: _build_union,
    Enterprise: _build_enterprise,
    Coverage: _build_coverage,
    Cadre: _build_cadre,
    Person: _build_person,
    Membership: _build_membership,
    AuditEntry: _build_audit_entry,
    PiiAccessLog: _build_pii_access_log,
    RoleGrant: _build_role_grant,
    apps.get_model("honours", "Honour"): _build_honour,
    **ASSISTANCE_BUILDERS,
    **RELATIONS_BUILDERS,
}

# The domain selectors that list a model; each must agree with scope_queryset.
SELECTORS: dict[type[models.Model], Callable[..., models.QuerySet[Any]]] = {
    Union: union_list,
    Enterprise: enterprise_list,
    Coverage: coverage_list,
    Cadre: cadre_list,
    Person: person_list,
    Membership: membership_list,
}


def _build(model: type[models.Model], district: Any) -> models.Model:
    builder = BUILDERS.get(model)
    if builder is None:
        pytest.fail(
            f"{model._meta.label} belongs to a union but has no builder in "
            f"tests/core/test_scope_generic.py BUILDERS: add one that creates a street-B "
            f"record, so the scope of the new model is proved like every other's."
        )
    obj = builder(district)
    assert isinstance(obj, model), f"the builder of {model._meta.label} returned {obj!r}"
    return obj


# --- admin helpers ---------------------------------------------------------------------------
def _url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assert_not_found(response: Any, what: str) -> None:
    """The admin answers "does not exist": a redirect to the index with a message, or 404."""
    if response.status_code == 404:
        return
    assert response.status_code == 302, f"{what}: status {response.status_code}, expected 302/404"
    assert response.url == reverse("admin:index"), f"{what}: redirected to {response.url}"
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("不存在" in t for t in texts), f"{what}: no 'does not exist' message in {texts}"


def _export_rows(client: Client, model: type[models.Model], pk: Any) -> list[tuple[Any, ...]]:
    response = client.post(
        _url(model, "changelist"),
        {"action": "export_xlsx", "index": "0", "_selected_action": [str(pk)]},
    )
    assert response.status_code == 200, f"export of {model._meta.label}: {response.status_code}"
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows, "the workbook has no header row"
    return rows[1:]  # without the header


def _changelist_pks(client: Client, model: type[models.Model]) -> tuple[set[Any], str]:
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 200, f"changelist of {model._meta.label}"
    return {o.pk for o in response.context["cl"].result_list}, response.content.decode()


# --- the walk --------------------------------------------------------------------------------
def test_the_walk_finds_the_models_that_belong_to_a_union() -> None:
    # Guards the walk itself: if it found nothing, every test below would pass vacuously.
    assert {Union, Person, Membership, Enterprise, Coverage, Cadre, RoleGrant} <= set(SCOPED_MODELS)


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=_ids(SCOPED_MODELS))
def test_model_that_belongs_to_a_union_declares_a_working_scope_lookup(model: Any) -> None:
    lookup = getattr(model, "scope_lookup", None)
    assert lookup, f"{model._meta.label} has a union but declares no scope_lookup"
    # The lookup must resolve to a field (a FieldError here means a typo in scope_lookup).
    str(model._default_manager.filter(**{f"{lookup}__startswith": "0001"}).query)


@pytest.mark.parametrize("model", REGISTERED, ids=_ids(REGISTERED))
def test_admin_of_a_scoped_model_derives_from_scoped_model_admin(model: Any) -> None:
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ScopedModelAdmin), (
        f"{type(model_admin).__name__} for {model._meta.label} must derive from "
        "gonghui.core.admin_base.ScopedModelAdmin"
    )


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=_ids(SCOPED_MODELS))
def test_scoped_model_has_a_street_b_builder(model: Any) -> None:
    assert model in BUILDERS, (
        f"{model._meta.label} belongs to a union but has no builder in BUILDERS "
        "(tests/core/test_scope_generic.py); add one that creates a street-B record."
    )


def test_admins_outside_the_scoped_base_are_for_superusers_only(district: Any) -> None:
    client = _client(district.admin)  # a federation admin, not a superuser
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedModelAdmin):
            continue
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 403, f"{model._meta.label} admin is open to a non-superuser"


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=_ids(SCOPED_MODELS))
def test_street_a_cadre_cannot_see_a_street_b_record(district: Any, model: Any) -> None:
    obj = _build(model, district)
    label = model._meta.label

    selected = scope_queryset(district.cadre_a, model._default_manager.all())
    assert not selected.filter(pk=obj.pk).exists(), f"scope_queryset lets A see {label}"
    selector = SELECTORS.get(model)
    if selector is not None:
        assert not selector(actor=district.cadre_a).filter(pk=obj.pk).exists()

    if model not in admin.site._registry:
        return
    client = _client(district.cadre_a)
    pks, html = _changelist_pks(client, model)
    assert obj.pk not in pks, f"the {label} list shows a street-B record to a street-A cadre"
    assert MARK not in html, f"the {label} list shows street-B text to a street-A cadre"
    leaked = [n for n in B_UNION_NAMES if n in html]
    assert not leaked, f"the {label} list names street-B unions {leaked} (filters, columns?)"

    _assert_not_found(client.get(_url(model, "change", obj.pk)), f"{label} change page")
    _assert_not_found(client.get(_url(model, "history", obj.pk)), f"{label} history page")
    assert _export_rows(client, model, obj.pk) == [], f"the {label} export has a street-B row"


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=_ids(SCOPED_MODELS))
def test_street_b_cadre_sees_its_own_record(district: Any, model: Any) -> None:
    # The positive control: the checks above would pass on an admin that shows nothing.
    obj = _build(model, district)
    label = model._meta.label

    selected = scope_queryset(district.cadre_b, model._default_manager.all())
    assert selected.filter(pk=obj.pk).exists(), f"scope_queryset hides {label} from B"
    selector = SELECTORS.get(model)
    if selector is not None:
        assert selector(actor=district.cadre_b).filter(pk=obj.pk).exists()

    if model not in admin.site._registry:
        return
    client = _client(district.cadre_b)
    pks, html = _changelist_pks(client, model)
    assert obj.pk in pks, f"the {label} list hides a street-B record from the street-B cadre"
    assert MARK in html

    response = client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200, f"{label} change page: {response.status_code}"
    assert response.context["original"].pk == obj.pk
    assert client.get(_url(model, "history", obj.pk)).status_code == 200
    assert len(_export_rows(client, model, obj.pk)) == 1


# --- writes -------------------------------------------------------------------------------------
def _state(obj: models.Model) -> dict[str, Any]:
    return audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))


@pytest.mark.parametrize("model", REGISTERED, ids=_ids(REGISTERED))
def test_street_a_cadre_cannot_change_a_street_b_record_by_post(district: Any, model: Any) -> None:
    obj = _build(model, district)
    before, n_audit = _state(obj), AuditEntry.objects.count()
    client = _client(district.cadre_a)
    data = {
        "name": "已被篡改",
        "union": str(district.A1.pk),
        "parent": str(district.A.pk),
        "code": "HACKED-1",
        "kind": "community",
        "_save": "保存",
    }
    response = client.post(_url(model, "change", obj.pk), data)
    if response.status_code != 403:  # read-only admins refuse every POST, found or not
        _assert_not_found(response, f"POST to {model._meta.label} change")
    assert _state(obj) == before
    assert AuditEntry.objects.count() == n_audit


@pytest.mark.parametrize("model", REGISTERED, ids=_ids(REGISTERED))
def test_street_a_cadre_cannot_run_detail_actions_on_a_street_b_record(
    district: Any, model: Any
) -> None:
    """Transfer, leave, dissolve, end, reveal ...: each looks the object up in scope first."""
    obj = _build(model, district)
    before = _state(obj)
    n_audit, n_logs = AuditEntry.objects.count(), PiiAccessLog.objects.count()
    client = _client(district.cadre_a)
    model_admin = admin.site._registry[model]
    data = {
        "on": timezone.localdate().isoformat(),
        "union": str(district.A1.pk),
        "to_union": str(district.A1.pk),
        "reason": "left",
        "note": "越权操作",
    }
    for action in model_admin._get_base_actions_detail():
        url = reverse(f"admin:{action.action_name}", args=[obj.pk])
        _assert_not_found(client.post(url, data), f"detail action {action.action_name}")
    assert _state(obj) == before
    assert AuditEntry.objects.count() == n_audit
    assert PiiAccessLog.objects.count() == n_logs


def test_street_a_cadre_cannot_transfer_a_street_b_member_into_street_a(district: Any) -> None:
    person = _b_person(district, f"{MARK}赵六", joined=dt.date(2014, 1, 1))
    client = _client(district.cadre_a)
    response = client.post(
        reverse("admin:membership_person_transfer", args=[person.pk]),
        {"to_union": district.A1.pk, "on": timezone.localdate().isoformat()},
    )
    _assert_not_found(response, "transfer of a street-B member")
    person.refresh_from_db()
    assert person.union == district.B1
    assert person.memberships.get().ended_on is None


def test_street_a_cadre_cannot_create_a_person_in_street_b(district: Any) -> None:
    client = _client(district.cadre_a)
    response = client.post(
        _url(Person, "add"),
        {
            "union": district.B1.pk,
            "name": f"{MARK}新人",
            "ric": f.make_ric(),
            "_save": "保存",
            # the membership inline's management form
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with an error on "union"
    assert "union" in response.context["adminform"].form.errors
    assert not Person.objects.filter(name=f"{MARK}新人").exists()


# --- choices, autocomplete, reports ------------------------------------------------------------
ADDABLE = [Union, Enterprise, Coverage, Cadre, Person]


@pytest.mark.parametrize("model", ADDABLE, ids=_ids(ADDABLE))
def test_foreign_key_choices_of_add_forms_are_the_users_write_scope(
    district: Any, model: Any
) -> None:
    _build_person(district)  # a street-B person, who must not be offered either
    client = _client(district.cadre_a)
    response = client.get(_url(model, "add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    checked = 0
    for name, field in form.fields.items():
        if not isinstance(field, ModelChoiceField):
            continue
        related = field.queryset.model
        if not getattr(related, "scope_lookup", None):
            continue
        writable = scope_queryset(district.cadre_a, related._default_manager.all(), mode="write")
        offered = set(field.queryset.values_list("pk", flat=True))
        extra = offered - set(writable.values_list("pk", flat=True))
        assert not extra, f"{model._meta.label}.{name} offers {related.__name__} {extra}"
        checked += 1
    assert checked, f"the {model._meta.label} add form has no scoped choice to check"
    html = response.content.decode()
    assert not [n for n in B_UNION_NAMES if n in html]
    assert MARK not in html


def test_union_choice_of_the_person_form_is_exactly_street_a(district: Any) -> None:
    client = _client(district.cadre_a)
    form = client.get(_url(Person, "add")).context["adminform"].form
    assert set(form.fields["union"].queryset) == {district.A, district.A1, district.EA}


def test_autocomplete_returns_nothing_from_street_b(district: Any) -> None:
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "organisation",
        "model_name": "coverage",
        "field_name": "enterprise",
        "term": "乙",
    }
    response = _client(district.cadre_a).get(url, params)
    assert response.status_code == 200
    assert response.json()["results"] == []
    # Positive control: street B finds its enterprise.
    found = _client(district.cadre_b).get(url, params).json()["results"]
    assert [r["id"] for r in found] == [str(district.ent_b.pk)]


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name", "term"),
    [
        ("organisation", "coverage", "union", "乙"),
        ("organisation", "cadre", "union", "乙"),
        ("organisation", "cadre", "person", MARK),
        ("membership", "person", "employer", "乙"),
    ],
)
def test_every_autocomplete_field_hides_street_b(
    district: Any, app_label: str, model_name: str, field_name: str, term: str
) -> None:
    _build_person(district)
    response = _client(district.cadre_a).get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_report_pages_refuse_a_street_b_union_to_a_street_a_cadre(district: Any) -> None:
    query = {"union": district.B.pk, "year": 2010}
    drill = reverse("admin:metric_drilldown", args=["org.unions_founded"])
    report = reverse("admin:annual_report")
    client_a = _client(district.cadre_a)
    assert client_a.get(drill, query).status_code == 404
    assert client_a.get(report, query).status_code == 404
    assert client_a.get(drill, {**query, "format": "xlsx"}).status_code == 404
    # The federation itself is above street A: also "not found".
    assert client_a.get(drill, {"union": district.F.pk, "year": 2010}).status_code == 404
    # Positive control: street B drills into its own unions founded in 2010.
    response = _client(district.cadre_b).get(drill, query)
    assert response.status_code == 200
    assert "乙一社区工会" in response.content.decode()


def test_report_drilldown_of_own_street_lists_only_own_records(district: Any) -> None:
    drill = reverse("admin:metric_drilldown", args=["org.unions_founded"])
    response = _client(district.cadre_a).get(drill, {"year": 2010})
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲一社区工会" in html
    assert not [n for n in B_UNION_NAMES if n in html]


@pytest.mark.parametrize("name", ["admin:index", "admin:union_tree", "admin:annual_report"])
def test_street_a_overview_pages_name_nothing_of_street_b(district: Any, name: str) -> None:
    _build_person(district)
    response = _client(district.cadre_a).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲街道总工会" in html
    assert not [n for n in B_UNION_NAMES if n in html]
    assert MARK not in html


# --- read-only roles and roles without a back office ------------------------------------------
@pytest.mark.parametrize("role", ["leader", "evaluator"])
def test_read_only_role_sees_lists_but_cannot_add_or_change(district: Any, role: str) -> None:
    user = getattr(district, role)
    person = f.make_person(district.root, district.A1, name="甲员工", joined=dt.date(2014, 1, 1))
    client = _client(user)
    for model in REGISTERED:
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 200, f"{role} cannot list {model._meta.label}"
        assert response.context["has_add_permission"] is False
        assert _url(model, "add") not in response.content.decode()
        assert client.get(_url(model, "add")).status_code == 403
    assert person.pk in {
        p.pk for p in client.get(_url(Person, "changelist")).context["cl"].result_list
    }

    before = _state(person)
    response = client.post(
        _url(Person, "change", person.pk), {"name": "已被篡改", "union": district.A1.pk}
    )
    assert response.status_code == 403
    union_before = _state(district.A1)
    response = client.post(
        _url(Union, "change", district.A1.pk), {"name": "已被篡改", "code": "CM-A1"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:membership_person_leave", args=[person.pk]),
        {"on": timezone.localdate().isoformat(), "reason": "left"},
    )
    assert response.status_code == 403
    assert _state(person) == before
    assert _state(district.A1) == union_before
    assert person.memberships.get().ended_on is None


def _worker(district: Any) -> Any:
    return user_create(
        actor=district.root,
        username="worker1",
        password=f.PASSWORD,
        role=RoleGrant.Role.WORKER,
        union=None,
    )


def _plain_user(district: Any) -> Any:
    return user_create(actor=district.root, username="plain1", password=f.PASSWORD)


def _staff_without_role(district: Any) -> Any:
    # is_staff alone does not open the back office: the role grant does.
    user = _plain_user(district)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.mark.parametrize("make", [_worker, _plain_user, _staff_without_role])
def test_user_without_back_office_role_cannot_enter_admin(district: Any, make: Any) -> None:
    client = _client(make(district))
    for url in [
        reverse("admin:index"),
        reverse("admin:union_tree"),
        reverse("admin:annual_report"),
        _url(Person, "changelist"),
        reverse("admin:autocomplete"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response.url.startswith(reverse("admin:login")), response.url


# --- the big lists do not grow a query per row -------------------------------------------------
def _make_members(district: Any, numbers: range) -> None:
    for i in numbers:
        f.make_person(
            district.root,
            district.A1 if i % 2 else district.EA,
            name=f"甲会员{i:02d}",
            joined=dt.date(2014, 1, 1) + dt.timedelta(days=i),
            employer=district.ent_a,
            mobile="13912345678",
        )


# Measured at 14 (Person) and 16 (Membership, whose date hierarchy adds two): session, user,
# grants, OTP devices (three times), permissions, counts, the page, the session save. None
# of them is per row; the bound leaves one query of slack.
@pytest.mark.parametrize(
    ("model", "bound"), [(Person, 15), (Membership, 17)], ids=["Person", "Membership"]
)
def test_changelist_query_count_is_bounded(
    district: Any, model: Any, bound: int, django_assert_max_num_queries: Any
) -> None:
    client = _client(district.cadre_a)
    url = _url(model, "changelist")
    _make_members(district, range(5))
    client.get(url)  # warm the content-type and site caches
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    _make_members(district, range(5, 30))
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 30
    with CaptureQueriesContext(connection) as thirty:
        client.get(url)
    assert len(thirty) == len(five), "the list makes a query per row (N+1)"
