"""Behaviour of the organisation services: the union tree, enterprises, coverage, cadres."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from stdnum.cn.uscc import calc_check_digit as uscc_check

from gonghui.core.audit import history_for
from gonghui.core.editing import NOT_EDITABLE
from gonghui.core.errors import CoreError, DomainError
from gonghui.organisation import services as s
from gonghui.organisation.errors import OrganisationError as E
from gonghui.organisation.models import (
    CadrePosition,
    Coverage,
    Enterprise,
    JointKind,
    Union,
    UnionKind,
)
from tests import factories as f

D = dt.date


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The district fixture creates six accounts; Argon2 would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def last_audit(obj: Any) -> Any:
    entry = history_for(obj).first()
    assert entry is not None, f"no audit entry for {obj!r}"
    return entry


def refused(call: Any, **kw: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kw)
    return info.value


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def joint_union(district: Any, parent: Any = None, **kw: Any) -> Any:
    return f.make_union(
        district.admin, parent or district.A1, UnionKind.JOINT, joint_kind=JointKind.TRADE, **kw
    )


# --- union_create ---------------------------------------------------------------------------


def test_union_create_allocates_next_path_under_parent(district):
    first = f.make_union(district.admin, district.A, UnionKind.COMMUNITY, code="CM-A2")
    second = f.make_union(district.admin, district.A, UnionKind.COMMUNITY, code="CM-A3")

    assert district.A1.path == f"{district.A.path}.0001"
    assert first.path == f"{district.A.path}.0002"
    assert second.path == f"{district.A.path}.0003"
    assert first.depth == second.depth == district.A.depth + 1 == 2
    assert first.parent == district.A


def test_union_create_never_reuses_the_path_of_a_dissolved_sibling(district):
    extra = f.make_union(district.admin, district.A, UnionKind.COMMUNITY)
    s.union_dissolve(actor=district.admin, union=extra, on=D(2020, 1, 1), reason="合并")

    after = f.make_union(district.admin, district.A, UnionKind.COMMUNITY)

    assert after.path == f"{district.A.path}.0003"


def test_union_create_records_audit_entry_with_actor_and_chinese_message(district):
    union = f.make_union(district.cadre_a, district.A1, UnionKind.ENTERPRISE, name="新企业工会")

    entry = last_audit(union)
    assert entry.actor == district.cadre_a
    assert entry.action == "union.create"
    assert entry.message == "建立企业工会“新企业工会”"
    assert entry.union_path == union.path
    assert entry.changes["名称"] == [None, "新企业工会"]


def test_union_create_strips_name_and_code(district):
    union = s.union_create(
        actor=district.admin,
        parent=district.A,
        name="  丙社区工会 ",
        code=" CM-C1 ",
        kind=UnionKind.COMMUNITY,
    )

    union.refresh_from_db()
    assert union.name == "丙社区工会"
    assert union.code == "CM-C1"
    assert last_audit(union).message == "建立社区工会“丙社区工会”"


@pytest.mark.parametrize(
    ("parent_attr", "kind"),
    [
        ("F", UnionKind.COMMUNITY),
        ("A", UnionKind.STREET_FEDERATION),
        ("A1", UnionKind.COMMUNITY),
        ("EA", UnionKind.ENTERPRISE),
        ("EA", UnionKind.JOINT),
    ],
)
def test_union_create_refuses_kind_not_allowed_under_parent(district, parent_attr, kind):
    parent = getattr(district, parent_attr)

    err = refused(
        s.union_create,
        actor=district.admin,
        parent=parent,
        name="新工会",
        code="NEW-1",
        kind=kind,
        joint_kind=JointKind.AREA if kind == UnionKind.JOINT else "",
    )

    assert err.code == E.BAD_KIND_UNDER_PARENT
    assert err.field == "kind"
    assert str(err.message) == (
        f"“{parent.name}”（{parent.get_kind_display()}）下不能建立{UnionKind(kind).label}。"
    )
    assert not Union.objects.filter(code="NEW-1").exists()


@pytest.mark.parametrize(
    ("parent_attr", "kind"),
    [
        ("F", UnionKind.STREET_FEDERATION),
        ("F", UnionKind.ENTERPRISE),
        ("F", UnionKind.JOINT),
        ("A", UnionKind.COMMUNITY),
        ("A", UnionKind.ENTERPRISE),
        ("A", UnionKind.JOINT),
        ("A1", UnionKind.ENTERPRISE),
        ("A1", UnionKind.JOINT),
    ],
)
def test_union_create_accepts_allowed_kinds_under_parent(district, parent_attr, kind):
    union = s.union_create(
        actor=district.admin,
        parent=getattr(district, parent_attr),
        name="新工会",
        code="NEW-1",
        kind=kind,
        joint_kind=JointKind.AREA if kind == UnionKind.JOINT else "",
    )

    assert union.kind == kind
    assert union.joint_kind == (JointKind.AREA if kind == UnionKind.JOINT else "")


def test_union_create_drops_joint_kind_for_non_joint_union(district):
    union = s.union_create(
        actor=district.admin,
        parent=district.A1,
        name="新企业工会",
        code="NEW-1",
        kind=UnionKind.ENTERPRISE,
        joint_kind=JointKind.TRADE,
    )

    assert union.joint_kind == ""


def test_union_create_joint_union_without_joint_kind_is_refused(district):
    with pytest.raises(ValidationError) as info:
        s.union_create(
            actor=district.admin,
            parent=district.A1,
            name="联合工会",
            code="JT-1",
            kind=UnionKind.JOINT,
        )

    assert "联合工会必须选择类别" in " ".join(info.value.messages)
    assert not Union.objects.filter(code="JT-1").exists()


def test_union_create_under_dissolved_parent_is_refused(district):
    community = f.make_union(district.admin, district.A, UnionKind.COMMUNITY)
    s.union_dissolve(actor=district.admin, union=community, on=D(2020, 6, 1), reason="撤并")
    community.refresh_from_db()

    err = refused(
        s.union_create,
        actor=district.admin,
        parent=community,
        name="新企业工会",
        code="NEW-1",
        kind=UnionKind.ENTERPRISE,
    )

    assert err.code == E.PARENT_DISSOLVED
    assert str(err.message) == "上级工会已撤销，不能在其下建立组织。"


@pytest.mark.parametrize("code", ["CM-A1", "cm-a1"])
def test_union_create_refuses_duplicate_code(district, code):
    err = refused(
        s.union_create,
        actor=district.admin,
        parent=district.A,
        name="重复代码工会",
        code=code,
        kind=UnionKind.COMMUNITY,
    )

    assert err.code == E.CODE_TAKEN
    assert err.field == "code"
    assert str(err.message) == f"组织代码 {code} 已被其他工会使用。"
    assert Union.objects.filter(code__iexact="CM-A1").count() == 1


@pytest.mark.parametrize("code", ["X", "有中文", "A_B", "A B", "A" * 33])
def test_union_create_refuses_badly_formed_code_with_chinese_message(district, code):
    err = refused(
        s.union_create,
        actor=district.admin,
        parent=district.A,
        name="新社区工会",
        code=code,
        kind=UnionKind.COMMUNITY,
    )

    assert err.code == E.INVALID
    assert err.field == "code"
    assert str(err.message) == "组织代码应为 2 至 32 位字母、数字或短横线，例如 JA-SJ-01。"
    assert not Union.objects.filter(parent=district.A).exclude(pk=district.A1.pk).exists()


def test_union_update_refuses_badly_formed_code(district):
    err = refused(s.union_update, actor=district.admin, union=district.A1, code="甲一")

    assert err.field == "code"
    district.A1.refresh_from_db()
    assert district.A1.code == "CM-A1"


def test_union_create_by_cadre_under_another_street_is_not_found(district):
    err = refused(
        s.union_create,
        actor=district.cadre_a,
        parent=district.B,
        name="越权社区工会",
        code="CM-X",
        kind=UnionKind.COMMUNITY,
    )

    assert err.code == CoreError.NOT_FOUND
    assert not Union.objects.filter(code="CM-X").exists()


def test_union_create_by_cadre_under_own_street_succeeds(district):
    union = f.make_union(district.cadre_a, district.A, UnionKind.COMMUNITY, code="CM-A9")

    assert union.path.startswith(district.A.path + ".")


@pytest.mark.parametrize("who", ["leader", "evaluator"])
def test_union_create_by_read_only_role_is_refused_as_read_only(district, who):
    err = refused(
        s.union_create,
        actor=getattr(district, who),
        parent=district.A,
        name="只读社区工会",
        code="CM-RO",
        kind=UnionKind.COMMUNITY,
    )

    assert err.code == CoreError.READ_ONLY
    assert "只有查看权限" in str(err.message)
    assert not Union.objects.filter(code="CM-RO").exists()


def test_union_create_root_by_federation_admin_is_refused(district):
    err = refused(
        s.union_create,
        actor=district.admin,
        parent=None,
        name="另一个总工会",
        code="FED-2",
        kind=UnionKind.FEDERATION,
    )

    assert err.code == E.PARENT_REQUIRED
    assert err.field == "parent"


def test_union_create_root_by_superuser_gets_top_level_path(district):
    root = s.union_create(
        actor=district.root,
        parent=None,
        name="另一个总工会",
        code="FED-2",
        kind=UnionKind.FEDERATION,
    )

    assert root.path == "0002"
    assert root.depth == 0


# --- union_update ---------------------------------------------------------------------------


def test_union_update_records_field_diff_in_audit(district):
    s.union_update(
        actor=district.cadre_a, union=district.A1, name="甲一社区联合会", address="甲路1号"
    )

    district.A1.refresh_from_db()
    assert district.A1.name == "甲一社区联合会"
    entry = last_audit(district.A1)
    assert entry.action == "union.update"
    assert entry.actor == district.cadre_a
    assert entry.message == "修改工会信息"
    assert entry.changes == {"名称": ["甲一社区工会", "甲一社区联合会"], "地址": ["", "甲路1号"]}


def test_union_update_without_change_records_nothing(district):
    before = history_for(district.A1).count()

    s.union_update(actor=district.admin, union=district.A1, name=district.A1.name)

    assert history_for(district.A1).count() == before


def test_union_update_refuses_fields_outside_description(district):
    err = refused(s.union_update, actor=district.admin, union=district.A1, parent=district.B)

    assert err.code == NOT_EDITABLE
    assert "parent" in str(err.message)
    district.A1.refresh_from_db()
    assert district.A1.parent == district.A


def test_union_update_by_other_street_cadre_is_not_found(district):
    err = refused(s.union_update, actor=district.cadre_b, union=district.A1, name="改名")

    assert err.code == CoreError.NOT_FOUND
    district.A1.refresh_from_db()
    assert district.A1.name == "甲一社区工会"


def test_union_update_refuses_code_of_another_union(district):
    err = refused(s.union_update, actor=district.admin, union=district.A1, code="CM-B1")

    assert err.code == E.CODE_TAKEN
    assert err.field == "code"


def test_union_update_keeps_its_own_code(district):
    union = s.union_update(actor=district.admin, union=district.A1, code="CM-A1", name="新名")

    assert union.code == "CM-A1"
    assert union.name == "新名"


def test_union_create_rereads_a_parent_dissolved_since_the_caller_loaded_it(district):
    community = f.make_union(district.admin, district.A, UnionKind.COMMUNITY)
    stale = Union.objects.get(pk=community.pk)  # as a form loaded it, before the dissolution
    s.union_dissolve(actor=district.admin, union=community, on=D(2020, 6, 1), reason="撤并")
    assert stale.dissolved_on is None

    err = refused(
        s.union_create,
        actor=district.admin,
        parent=stale,
        name="新企业工会",
        code="NEW-2",
        kind=UnionKind.ENTERPRISE,
    )

    assert err.code == E.PARENT_DISSOLVED
    assert not Union.objects.filter(parent=community).exists()


def test_coverage_start_rereads_a_union_dissolved_since_the_caller_loaded_it(district):
    joint = f.make_union(district.admin, district.A1, UnionKind.JOINT, joint_kind=JointKind.AREA)
    stale = Union.objects.get(pk=joint.pk)
    s.union_dissolve(actor=district.admin, union=joint, on=D(2020, 6, 1), reason="撤并")

    err = refused(
        s.coverage_start,
        actor=district.admin,
        union=stale,
        enterprise=district.ent_a,
        on=D(2021, 1, 1),
    )

    assert err.field == "union"
    assert not Coverage.objects.filter(union=joint).exists()


# --- union_dissolve -------------------------------------------------------------------------


def test_union_dissolve_refused_while_union_has_open_members(district):
    f.make_person(district.admin, district.EA, joined=D(2020, 1, 1))

    err = refused(
        s.union_dissolve, actor=district.admin, union=district.EA, on=D(2021, 1, 1), reason="关停"
    )

    assert err.code == E.HAS_OPEN_MEMBERS
    assert str(err.message) == "该工会仍有会员，请先办理转会或退会。"
    district.EA.refresh_from_db()
    assert district.EA.dissolved_on is None


def test_union_dissolve_allowed_once_members_have_left(district):
    from gonghui.membership.services import membership_leave

    person = f.make_person(district.admin, district.EA, joined=D(2020, 1, 1))
    membership_leave(actor=district.admin, membership=person.memberships.get(), on=D(2020, 6, 1))

    union = s.union_dissolve(
        actor=district.admin, union=district.EA, on=D(2021, 1, 1), reason="关停"
    )

    assert union.dissolved_on == D(2021, 1, 1)


def test_union_dissolve_refused_while_union_has_active_children(district):
    err = refused(
        s.union_dissolve, actor=district.admin, union=district.A1, on=D(2021, 1, 1), reason="撤并"
    )

    assert err.code == E.HAS_ACTIVE_CHILDREN
    assert str(err.message) == "请先撤销或划转其下属工会组织。"


def test_union_dissolve_allowed_after_children_dissolved(district):
    s.union_dissolve(actor=district.admin, union=district.EA, on=D(2021, 1, 1), reason="关停")

    s.union_dissolve(actor=district.admin, union=district.A1, on=D(2021, 2, 1), reason="撤并")

    district.A1.refresh_from_db()
    assert district.A1.dissolved_on == D(2021, 2, 1)
    assert district.A1.dissolution_reason == "撤并"


def test_union_dissolve_ends_open_coverages_on_that_day(district):
    s.union_dissolve(actor=district.cadre_a, union=district.EA, on=D(2021, 3, 1), reason="关停")

    coverage = Coverage.objects.get(union=district.EA, enterprise=district.ent_a)
    assert coverage.ended_on == D(2021, 3, 1)
    assert last_audit(coverage).action == "coverage.end"
    entry = last_audit(district.EA)
    assert entry.action == "union.dissolve"
    assert entry.actor == district.cadre_a
    assert entry.message == "撤销工会组织，原因：关停"
    assert entry.changes == {"撤销日期": [None, "2021-03-01"]}


def test_union_dissolve_twice_is_refused(district):
    s.union_dissolve(actor=district.admin, union=district.EA, on=D(2021, 3, 1), reason="关停")

    err = refused(
        s.union_dissolve, actor=district.admin, union=district.EA, on=D(2022, 1, 1), reason="再撤"
    )

    assert err.code == E.ALREADY_DISSOLVED
    assert "2021-03-01" in str(err.message)


def test_union_dissolve_before_founding_is_refused(district):
    err = refused(
        s.union_dissolve, actor=district.admin, union=district.EA, on=D(2009, 12, 31), reason="x"
    )

    assert err.code == E.BAD_DATES


def test_union_dissolve_by_read_only_leader_is_refused(district):
    err = refused(
        s.union_dissolve, actor=district.leader, union=district.EA, on=D(2021, 1, 1), reason="x"
    )

    assert err.code == CoreError.READ_ONLY


# --- enterprise_create / enterprise_update --------------------------------------------------


def valid_uscc(body17: str = "91330104MA2800001") -> str:
    return body17 + uscc_check(body17)


@pytest.mark.parametrize(
    "spelling",
    [
        lambda c: c.lower(),
        lambda c: f" {c[:6]} {c[6:12]}\u3000{c[12:]} ",
        lambda c: full_width(c.lower()),
        lambda c: f"{c[:9]}-{c[9:]}",
    ],
    ids=["lower-case", "spaces", "full-width", "dash"],
)
def test_enterprise_create_normalizes_uscc(district, spelling):
    code = valid_uscc()

    enterprise = f.make_enterprise(district.admin, district.A1, uscc=spelling(code))

    enterprise.refresh_from_db()
    assert enterprise.uscc == code


def test_enterprise_create_refuses_wrong_check_character_naming_the_expected_one(district):
    code = valid_uscc()
    wrong = "0" if code[-1] != "0" else "1"

    err = refused(
        s.enterprise_create,
        actor=district.admin,
        union=district.A1,
        name="错码公司",
        uscc=code[:17] + wrong,
    )

    assert err.code == E.INVALID
    assert err.field == "uscc"
    assert str(err.message) == f"统一社会信用代码校验位错误：应为 {code[-1]}，实为 {wrong}。"
    assert not Enterprise.objects.filter(name="错码公司").exists()


def test_enterprise_create_refuses_duplicate_uscc_whatever_its_spelling(district):
    err = refused(
        s.enterprise_create,
        actor=district.admin,
        union=district.B1,
        name="重复公司",
        uscc=full_width(district.ent_a.uscc.lower()),
    )

    assert err.code == E.USCC_TAKEN
    assert str(err.message) == f"统一社会信用代码 {district.ent_a.uscc} 已登记，请勿重复录入。"
    assert Enterprise.objects.filter(uscc=district.ent_a.uscc).count() == 1


def test_enterprise_create_normalizes_contact_phone_and_refuses_landline(district):
    enterprise = f.make_enterprise(district.admin, district.A1, contact_phone="138 1234 5678")
    assert enterprise.contact_phone == "+8613812345678"
    assert enterprise.contact_phone_masked == "138****5678"

    err = refused(
        s.enterprise_create,
        actor=district.admin,
        union=district.A1,
        name="座机公司",
        uscc=valid_uscc("91330104MA2800002"),
        contact_phone="0571-87654321",
    )
    assert err.field == "contact_phone"
    assert "不是有效的中国大陆手机号码" in str(err.message)


def test_enterprise_create_records_audit_entry(district):
    enterprise = f.make_enterprise(district.cadre_a, district.A1, name="丙公司")

    entry = last_audit(enterprise)
    assert entry.actor == district.cadre_a
    assert entry.action == "enterprise.create"
    assert entry.message == "登记企业"
    assert entry.union_path == district.A1.path


def test_enterprise_create_in_other_street_is_not_found(district):
    err = refused(
        s.enterprise_create,
        actor=district.cadre_a,
        union=district.B1,
        name="越权公司",
        uscc=valid_uscc(),
    )

    assert err.code == CoreError.NOT_FOUND


def test_enterprise_update_normalizes_uscc_and_records_diff(district):
    code = valid_uscc()
    old = district.ent_a.uscc

    s.enterprise_update(
        actor=district.cadre_a, enterprise=district.ent_a, uscc=code.lower(), workforce=120
    )

    district.ent_a.refresh_from_db()
    assert district.ent_a.uscc == code
    entry = last_audit(district.ent_a)
    assert entry.action == "enterprise.update"
    assert entry.actor == district.cadre_a
    assert entry.message == "修改企业信息"
    assert entry.changes == {"统一社会信用代码": [old, code], "职工人数": [0, 120]}


def test_enterprise_update_refuses_uscc_of_another_enterprise(district):
    err = refused(
        s.enterprise_update,
        actor=district.admin,
        enterprise=district.ent_a,
        uscc=district.ent_b.uscc.lower(),
    )

    assert err.code == E.USCC_TAKEN
    assert err.field == "uscc"
    district.ent_a.refresh_from_db()
    assert district.ent_a.uscc != district.ent_b.uscc


def test_enterprise_update_refuses_bad_check_character(district):
    code = district.ent_a.uscc
    wrong = "0" if code[-1] != "0" else "1"

    err = refused(
        s.enterprise_update, actor=district.admin, enterprise=district.ent_a, uscc=code[:17] + wrong
    )

    assert f"应为 {code[-1]}，实为 {wrong}" in str(err.message)


def test_enterprise_update_moving_to_another_street_needs_write_on_both(district):
    err = refused(
        s.enterprise_update, actor=district.cadre_a, enterprise=district.ent_a, union=district.B1
    )
    assert err.code == CoreError.NOT_FOUND

    s.enterprise_update(actor=district.admin, enterprise=district.ent_a, union=district.B1)
    district.ent_a.refresh_from_db()
    assert district.ent_a.union == district.B1


# --- coverage_start / coverage_end -----------------------------------------------------------


def test_coverage_start_ends_previous_open_coverage_that_day(district):
    joint = joint_union(district)

    coverage = s.coverage_start(
        actor=district.cadre_a, union=joint, enterprise=district.ent_a, on=D(2023, 5, 1)
    )

    old = Coverage.objects.get(union=district.EA, enterprise=district.ent_a)
    assert old.ended_on == D(2023, 5, 1)
    assert coverage.started_on == D(2023, 5, 1)
    assert coverage.ended_on is None
    assert Coverage.objects.filter(enterprise=district.ent_a, ended_on__isnull=True).get() == (
        coverage
    )
    entry = last_audit(coverage)
    assert entry.actor == district.cadre_a
    assert entry.action == "coverage.start"
    assert entry.message == f"自 2023-05-01 起覆盖企业“{district.ent_a.name}”"
    assert last_audit(old).message == "自 2023-05-01 起不再覆盖"


@pytest.mark.parametrize(
    "on", [D(2010, 1, 1), D(2009, 12, 31)], ids=["same-day-as-open", "before-open"]
)
def test_coverage_start_overlapping_open_coverage_is_refused(district, on):
    joint = joint_union(district, founded_on=D(2000, 1, 1))

    err = refused(
        s.coverage_start, actor=district.admin, union=joint, enterprise=district.ent_a, on=on
    )

    assert err.code == E.COVERAGE_OVERLAP
    assert "日期不能重叠" in str(err.message)
    assert Coverage.objects.get(enterprise=district.ent_a).ended_on is None


def test_coverage_start_inside_a_closed_coverage_is_refused(district):
    joint = joint_union(district)
    s.coverage_start(actor=district.admin, union=joint, enterprise=district.ent_a, on=D(2020, 1, 1))
    other = joint_union(district)

    err = refused(
        s.coverage_start,
        actor=district.admin,
        union=other,
        enterprise=district.ent_a,
        on=D(2015, 1, 1),
    )

    assert err.code == E.COVERAGE_OVERLAP
    assert Coverage.objects.filter(enterprise=district.ent_a).count() == 2


@pytest.mark.parametrize("attr", ["F", "A", "A1"])
def test_coverage_start_only_by_enterprise_or_joint_union(district, attr):
    enterprise = f.make_enterprise(district.admin, district.A1)

    err = refused(
        s.coverage_start,
        actor=district.admin,
        union=getattr(district, attr),
        enterprise=enterprise,
        on=D(2020, 1, 1),
    )

    assert err.code == E.COVERAGE_KIND
    assert str(err.message) == "只有企业工会和联合工会可以覆盖企业。"
    assert not Coverage.objects.filter(enterprise=enterprise).exists()


def test_coverage_start_enterprise_union_covers_only_one_enterprise(district):
    second = f.make_enterprise(district.admin, district.A1)

    err = refused(
        s.coverage_start,
        actor=district.admin,
        union=district.EA,
        enterprise=second,
        on=D(2020, 1, 1),
    )

    assert err.code == E.COVERAGE_KIND
    assert str(err.message) == "企业工会只能覆盖一家企业；覆盖多家企业请建立联合工会。"


def test_coverage_start_joint_union_covers_many_enterprises(district):
    joint = joint_union(district)
    enterprises = [f.make_enterprise(district.admin, district.A1) for _ in range(3)]

    for e in enterprises:
        s.coverage_start(actor=district.admin, union=joint, enterprise=e, on=D(2020, 1, 1))

    assert set(joint.coverages.values_list("enterprise", flat=True)) == {e.pk for e in enterprises}


def test_coverage_start_by_dissolved_union_is_refused(district):
    joint = joint_union(district)
    s.union_dissolve(actor=district.admin, union=joint, on=D(2020, 1, 1), reason="撤并")
    joint.refresh_from_db()

    err = refused(
        s.coverage_start,
        actor=district.admin,
        union=joint,
        enterprise=f.make_enterprise(district.admin, district.A1),
        on=D(2019, 1, 1),
    )

    assert err.code == E.COVERAGE_KIND


def test_coverage_end_must_be_after_start(district):
    coverage = Coverage.objects.get(union=district.EA)

    err = refused(s.coverage_end, actor=district.admin, coverage=coverage, on=D(2010, 1, 1))

    assert err.code == E.BAD_DATES
    coverage.refresh_from_db()
    assert coverage.ended_on is None


# --- cadre_appoint / cadre_end ---------------------------------------------------------------


def test_cadre_appoint_records_post_and_audit(district):
    person = f.make_person(district.admin, district.A1, name="王芳")

    cadre = s.cadre_appoint(
        actor=district.cadre_a,
        union=district.A1,
        person=person,
        position=CadrePosition.CHAIR,
        appointed_on=D(2022, 3, 1),
        full_time=True,
    )

    assert cadre.in_post_on(D(2022, 3, 1))
    assert not cadre.in_post_on(D(2022, 2, 28))
    entry = last_audit(cadre)
    assert entry.actor == district.cadre_a
    assert entry.action == "cadre.appoint"
    assert entry.message == "任命王芳为工会主席（专职）"
    assert entry.union_path == district.A1.path


def test_cadre_appoint_part_time_message_has_no_full_time_mark(district):
    person = f.make_person(district.admin, district.A1, name="李强")

    cadre = s.cadre_appoint(
        actor=district.admin,
        union=district.A1,
        person=person,
        position=CadrePosition.COMMITTEE_MEMBER,
        appointed_on=D(2022, 3, 1),
    )

    assert last_audit(cadre).message == "任命李强为委员"


def test_cadre_appoint_same_open_post_twice_is_refused(district):
    person = f.make_person(district.admin, district.A1, name="王芳")
    kw = {"actor": district.admin, "union": district.A1, "person": person}
    s.cadre_appoint(**kw, position=CadrePosition.CHAIR, appointed_on=D(2022, 3, 1))

    err = refused(s.cadre_appoint, **kw, position=CadrePosition.CHAIR, appointed_on=D(2023, 1, 1))

    assert err.code == E.POST_ALREADY_HELD
    assert str(err.message) == "王芳 已在该工会担任工会主席。"
    # Another post in the same union is fine.
    s.cadre_appoint(**kw, position=CadrePosition.FULL_TIME_WORKER, appointed_on=D(2023, 1, 1))


def test_cadre_reappointed_after_post_ended(district):
    person = f.make_person(district.admin, district.A1)
    kw = {"actor": district.admin, "union": district.A1, "person": person}
    first = s.cadre_appoint(**kw, position=CadrePosition.CHAIR, appointed_on=D(2018, 1, 1))
    s.cadre_end(actor=district.admin, cadre=first, on=D(2021, 1, 1))

    again = s.cadre_appoint(**kw, position=CadrePosition.CHAIR, appointed_on=D(2022, 1, 1))

    assert again.pk != first.pk


def test_cadre_appoint_in_other_street_is_not_found(district):
    person = f.make_person(district.admin, district.B1)

    err = refused(
        s.cadre_appoint,
        actor=district.cadre_a,
        union=district.B1,
        person=person,
        position=CadrePosition.CHAIR,
        appointed_on=D(2022, 1, 1),
    )

    assert err.code == CoreError.NOT_FOUND


def test_cadre_end_records_date_and_audit(district):
    person = f.make_person(district.admin, district.A1)
    cadre = s.cadre_appoint(
        actor=district.admin,
        union=district.A1,
        person=person,
        position=CadrePosition.CHAIR,
        appointed_on=D(2020, 1, 1),
    )

    s.cadre_end(actor=district.cadre_a, cadre=cadre, on=D(2022, 7, 1))

    cadre.refresh_from_db()
    assert cadre.ended_on == D(2022, 7, 1)
    assert cadre.in_post_on(D(2022, 6, 30))
    assert not cadre.in_post_on(D(2022, 7, 1))
    entry = last_audit(cadre)
    assert entry.actor == district.cadre_a
    assert entry.action == "cadre.end"
    assert entry.message == "离任"
    assert entry.changes == {"离任日期": [None, "2022-07-01"]}


def test_cadre_end_before_appointment_is_refused(district):
    person = f.make_person(district.admin, district.A1)
    cadre = s.cadre_appoint(
        actor=district.admin,
        union=district.A1,
        person=person,
        position=CadrePosition.CHAIR,
        appointed_on=D(2020, 1, 1),
    )

    err = refused(s.cadre_end, actor=district.admin, cadre=cadre, on=D(2019, 12, 31))

    assert err.code == E.BAD_DATES
    assert str(err.message) == "离任日期不能早于任职日期。"
    cadre.refresh_from_db()
    assert cadre.ended_on is None


def test_cadre_end_by_read_only_evaluator_is_refused(district):
    person = f.make_person(district.admin, district.A1)
    cadre = s.cadre_appoint(
        actor=district.admin,
        union=district.A1,
        person=person,
        position=CadrePosition.CHAIR,
        appointed_on=D(2020, 1, 1),
    )

    err = refused(s.cadre_end, actor=district.evaluator, cadre=cadre, on=D(2022, 1, 1))

    assert err.code == CoreError.READ_ONLY


def test_union_create_refuses_a_founding_date_in_the_future(district):
    with time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        err = refused(
            s.union_create,
            actor=district.admin,
            parent=district.A,
            name="未来工会",
            code="FUT-1",
            kind=UnionKind.COMMUNITY,
            founded_on=D(2024, 6, 16),
        )
    assert err.code == E.BAD_DATES
    assert err.field == "founded_on"
    assert "未来" in str(err.message)


def test_coverage_and_post_cannot_be_ended_twice(district):
    coverage = district.ent_a.coverages.get()
    s.coverage_end(actor=district.admin, coverage=coverage, on=D(2015, 1, 1))
    err = refused(s.coverage_end, actor=district.admin, coverage=coverage, on=D(2020, 1, 1))
    assert err.code == E.BAD_DATES
    coverage.refresh_from_db()
    assert coverage.ended_on == D(2015, 1, 1)
