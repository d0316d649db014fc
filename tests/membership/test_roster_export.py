"""The roster export: the importer's columns, full ID numbers only for those who may reveal
them, and a round trip (export, re-import) that changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model

from gonghui.core import pii
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.identifiers import mask_ric
from gonghui.core.importing.engine import (
    import_apply,
    import_check,
    import_create,
)
from gonghui.core.models import ImportMode, PiiAccessLog
from gonghui.membership import services as ms
from gonghui.membership.exporting import roster_xlsx
from gonghui.membership.models import ImportChange, Membership, Person, SkillGrade
from gonghui.membership.roster import export_headers
from tests import factories as f
from tests.membership.roster_files import HEADER, person_row, read_xlsx, ric_of, write_xlsx

D = dt.date
ZHANG = ric_of(D(1986, 3, 5), 11)
LI = ric_of(D(1990, 1, 2), 22)
WANG = ric_of(D(1975, 12, 31), 33)


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def import_into(actor: Any, union: Any, path: Path) -> Any:
    batch = import_create(actor=actor, union=union, path=path, filename=path.name, kind="roster")
    import_check(actor=actor, batch=batch)
    return import_apply(actor=actor, batch=batch, mode=ImportMode.VALID_ONLY)


def counts(batch: Any) -> dict[str, int]:
    return {k: getattr(batch, k) for k in ("rows", "new", "updated", "unchanged", "invalid")}


def rows_of(model: type[Model]) -> list[tuple[Any, ...]]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values_list(*fields))


def fingerprint() -> tuple[Any, ...]:
    return rows_of(Person), rows_of(Membership), rows_of(ImportChange)


@pytest.fixture
def members(district: Any, tmp_path: Path) -> list[Person]:
    """Members of EA: three from a roster file, two registered through the services (one with
    grade, migrant flag and mobile; one transferred in from A1)."""
    rows = [
        person_row(
            "张三",
            ZHANG,
            gender="男",
            mobile="13812345678",
            workplace="甲企业有限公司",
            joined=D(2015, 3, 1),
            note="首批会员",
        ),
        person_row("李四", LI, gender="女", joined="2016-04-02"),
        person_row("王五", WANG, joined="2010年5月"),
    ]
    import_into(district.cadre_a, district.EA, write_xlsx(tmp_path / "first.xlsx", [HEADER, *rows]))
    f.make_person(
        district.cadre_a,
        district.EA,
        name="赵六",
        ric=ric_of(D(1995, 7, 7), 44),
        mobile="+86 139 0000 1111",
        migrant=True,
        skill_grade=SkillGrade.SENIOR,
        hukou="安徽省阜阳市",
        joined=D(2018, 8, 8),
    )
    mover = f.make_person(
        district.cadre_a,
        district.A1,
        name="孙七",
        ric=ric_of(D(1980, 8, 8), 55),
        joined=D(2012, 1, 1),
    )
    ms.membership_transfer(
        actor=district.cadre_a,
        membership=mover.memberships.get(),
        to_union=district.EA,
        on=D(2020, 1, 1),
    )
    return [*Person.objects.filter(union=district.EA).order_by("name")]


def export(actor: Any, union: Any, reason: str = "") -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(union=union, ended_on__isnull=True)
    rows = read_xlsx(
        roster_xlsx(actor=actor, memberships=memberships, union=union, reveal_reason=reason)
    )
    assert rows[0] == export_headers()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_export_with_a_reason_has_full_id_numbers_each_a_logged_reveal(
    district: Any, members: list[Person]
) -> None:
    rows = export(district.admin, district.EA, reason="年度会员核对")

    by_name = {r["姓名"]: r for r in rows}
    assert set(by_name) == {"张三", "李四", "王五", "赵六", "孙七"}
    for p in members:
        assert by_name[p.name]["身份证号"] == pii.decrypt(p.ric_encrypted)
    assert by_name["张三"]["身份证号"] == ZHANG
    logs = PiiAccessLog.objects.filter(field="ric")
    assert {log.person for log in logs} == set(members)
    assert {(log.actor, log.reason, log.union_path) for log in logs} == {
        (district.admin, "年度会员核对", district.EA.path)
    }


def test_export_without_a_reason_has_masked_id_numbers(
    district: Any, members: list[Person]
) -> None:
    rows = export(district.admin, district.EA)

    assert {r["身份证号"] for r in rows} == {p.ric_masked for p in members}
    assert not PiiAccessLog.objects.exists()


def test_cadre_without_reveal_right_gets_no_full_export(
    district: Any, members: list[Person]
) -> None:
    with pytest.raises(DomainError) as refused:
        export(district.cadre_a, district.EA, reason="年度会员核对")

    assert refused.value.code == CoreError.PII_FORBIDDEN
    assert not PiiAccessLog.objects.exists()
    rows = export(district.cadre_a, district.EA)
    assert len(rows) == 5
    assert {r["身份证号"] for r in rows} == {p.ric_masked for p in members}
    assert {r["身份证号"] for r in rows} >= {mask_ric(ZHANG), mask_ric(LI)}
    assert all("********" in r["身份证号"] for r in rows)


def test_full_export_is_refused_whole_when_one_person_is_beyond_the_reveal_scope(
    district: Any, members: list[Person]
) -> None:
    cadre = f.make_user(district.root, f.ROLE.UNION_CADRE, district.EA, can_reveal_pii=True)
    outsider = f.make_person(district.admin, district.B1, ric=ric_of(D(1970, 1, 1), 77))
    memberships = Membership.objects.filter(person__in=[*members, outsider])
    with pytest.raises(DomainError):
        roster_xlsx(actor=cadre, memberships=memberships, union=district.EA, reveal_reason="核对")
    assert not PiiAccessLog.objects.exists()


def test_export_writes_values_the_importer_reads(district: Any, members: list[Person]) -> None:
    by_name = {r["姓名"]: r for r in export(district.admin, district.EA, reason="核对")}

    zhang = by_name["张三"]
    assert zhang["性别"] == "男"
    assert zhang["手机号码"] == "13812345678"
    assert zhang["工作单位"] == "甲企业有限公司"
    assert zhang["入会时间"].date() == D(2015, 3, 1)
    assert zhang["出生日期"].date() == D(1986, 3, 5)
    assert zhang["备注"] == "首批会员"
    assert zhang["是否外来务工人员"] == "否"
    zhao = by_name["赵六"]
    assert (zhao["技术等级"], zhao["是否外来务工人员"]) == ("高级工", "是")
    assert zhao["户籍所在地"] == "安徽省阜阳市"
    assert zhao["手机号码"] == "13900001111"
    assert by_name["孙七"]["入会时间"].date() == D(2020, 1, 1)  # the transfer into EA


def test_admin_export_reimported_changes_nothing(
    district: Any, members: list[Person], tmp_path: Path
) -> None:
    memberships = Membership.objects.filter(union=district.EA, ended_on__isnull=True)
    path = tmp_path / "导出.xlsx"
    path.write_bytes(
        roster_xlsx(
            actor=district.admin, memberships=memberships, union=district.EA, reveal_reason="核对"
        )
    )
    before = fingerprint()

    batch = import_into(district.admin, district.EA, path)

    assert counts(batch) == {"rows": 5, "new": 0, "updated": 0, "unchanged": 5, "invalid": 0}
    assert fingerprint() == before


def test_export_of_a_person_with_only_an_employer_reimports_unchanged(
    district: Any, tmp_path: Path
) -> None:
    f.make_person(
        district.cadre_a,
        district.EA,
        name="周八",
        ric=ric_of(D(1983, 3, 3), 66),
        employer=district.ent_a,
        joined=D(2014, 4, 4),
    )
    memberships = Membership.objects.filter(union=district.EA)
    path = tmp_path / "导出.xlsx"
    path.write_bytes(
        roster_xlsx(
            actor=district.admin, memberships=memberships, union=district.EA, reveal_reason="核对"
        )
    )
    before = fingerprint()

    batch = import_into(district.admin, district.EA, path)

    assert counts(batch) == {"rows": 1, "new": 0, "updated": 0, "unchanged": 1, "invalid": 0}
    assert fingerprint() == before


def test_masked_export_cannot_be_reimported_by_mistake(
    district: Any, members: list[Person], tmp_path: Path
) -> None:
    memberships = Membership.objects.filter(union=district.EA, ended_on__isnull=True)
    path = tmp_path / "脱敏导出.xlsx"
    path.write_bytes(
        roster_xlsx(actor=district.cadre_a, memberships=memberships, union=district.EA)
    )
    before = fingerprint()

    batch = import_into(district.cadre_a, district.EA, path)

    assert counts(batch) == {"rows": 5, "new": 0, "updated": 0, "unchanged": 0, "invalid": 5}
    report = read_xlsx(Path(batch.report_file))
    assert all("已脱敏" in r[-1] for r in report[1:])
    assert fingerprint() == before
