"""Importing lists of enterprises and of unions: preview, apply, idempotence, scope, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from stdnum.cn.uscc import calc_check_digit

from gonghui.core.errors import DomainError
from gonghui.core.importing.engine import (
    import_apply,
    import_check,
    import_create,
    import_undo,
)
from gonghui.core.models import ImportStatus
from gonghui.organisation.models import Enterprise, Union, UnionKind

pytestmark = pytest.mark.django_db


def _uscc(n: int) -> str:
    body = f"91330104MA2{n:06d}"
    return body + calc_check_digit(body + "0")


def _csv(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    return path


def _run(actor: Any, union: Any, path: Path, kind: str, mode: str = "valid_only") -> Any:
    batch = import_create(actor=actor, union=union, path=path, filename=path.name, kind=kind)
    import_check(actor=actor, batch=batch)
    return import_apply(actor=actor, batch=batch, mode=mode)


def test_enterprise_list_imports_updates_and_undoes(district: Any, tmp_path: Path) -> None:
    rows = [
        "甲街道企业名录",
        "企业名称,统一社会信用代码,行业,是否规上企业,职工人数,地址",
        f"新星科技有限公司,{_uscc(1).lower()},信息传输、软件和信息技术服务业,是,230,甲路1号",
        f"老街面馆,{_uscc(2)},住宿和餐饮业,否,8,甲路2号",
        f"坏码公司,{_uscc(3)[:-1]}0,制造业,否,5,",
        "合计,3",
    ]
    batch = _run(district.cadre_a, district.A1, _csv(tmp_path, "企业.csv", rows), "enterprises")

    assert (batch.new, batch.invalid, batch.status) == (2, 1, ImportStatus.APPLIED)
    star = Enterprise.objects.get(uscc=_uscc(1))
    assert (star.union, star.above_scale, star.workforce, star.industry) == (
        district.A1,
        True,
        230,
        "I",
    )

    again = _run(district.cadre_a, district.A1, _csv(tmp_path, "企业.csv", rows), "enterprises")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)

    rows[2] = rows[2].replace("230", "260")
    changed = _run(district.cadre_a, district.A1, _csv(tmp_path, "企业2.csv", rows), "enterprises")
    assert changed.updated == 1
    assert Enterprise.objects.get(uscc=_uscc(1)).workforce == 260

    import_undo(actor=district.cadre_a, batch=changed)
    assert Enterprise.objects.get(uscc=_uscc(1)).workforce == 230
    import_undo(actor=district.cadre_a, batch=batch)
    assert not Enterprise.objects.filter(uscc__in=[_uscc(1), _uscc(2)]).exists()


def test_enterprise_of_another_street_is_an_invalid_row(district: Any, tmp_path: Path) -> None:
    rows = ["企业名称,统一社会信用代码", f"乙企业有限公司,{district.ent_b.uscc}"]
    batch = _run(district.cadre_a, district.A1, _csv(tmp_path, "e.csv", rows), "enterprises")

    assert (batch.new, batch.invalid) == (0, 1)
    district.ent_b.refresh_from_db()
    assert district.ent_b.union == district.B1


def test_union_list_creates_parents_first_and_undoes(district: Any, tmp_path: Path) -> None:
    rows = [
        "工会名称,组织代码,类型,联合工会类别,上级工会代码,成立日期",
        "甲二社区新企业工会,EN-A2-1,企业工会,,CM-A2,2015年6月1日",  # its parent is the next row
        "甲二社区工会,CM-A2,社区工会,,ST-A,2015-03-01",
        "甲街道餐饮行业联合工会,JT-A-1,联合工会,行业联合工会,ST-A,2015.5.1",
        "越界工会,EN-B-9,企业工会,,CM-B1,2015-05-01",
    ]
    batch = _run(district.cadre_a, district.A, _csv(tmp_path, "工会.csv", rows), "unions")

    assert (batch.new, batch.invalid) == (3, 1)
    child = Union.objects.get(code="EN-A2-1")
    assert child.parent.code == "CM-A2"
    assert child.path.startswith(district.A.path)
    joint = Union.objects.get(code="JT-A-1")
    assert (joint.kind, joint.joint_kind) == (UnionKind.JOINT, "trade")
    assert not Union.objects.filter(code="EN-B-9").exists()

    import_undo(actor=district.cadre_a, batch=batch)
    assert not Union.objects.filter(code__in=["EN-A2-1", "CM-A2", "JT-A-1"]).exists()


def test_a_joint_category_on_a_union_that_is_not_joint_is_an_invalid_row(
    district: Any, tmp_path: Path
) -> None:
    rows = [
        "工会名称,组织代码,类型,联合工会类别,上级工会代码",
        "甲街道示例企业工会,EN-JK-1,企业工会,行业联合工会,ST-A",
    ]
    path = _csv(tmp_path, "u.csv", rows)
    batch = _run(district.cadre_a, district.A, path, "unions")

    assert (batch.new, batch.invalid) == (0, 1)
    assert not Union.objects.filter(code="EN-JK-1").exists()
    # Importing the same file again says the same: nothing was written that it now disagrees with.
    assert _run(district.cadre_a, district.A, path, "unions").invalid == 1


def test_union_list_all_or_nothing_writes_nothing_with_a_bad_row(
    district: Any, tmp_path: Path
) -> None:
    rows = [
        "工会名称,组织代码,类型,上级工会代码",
        "好工会,EN-OK-1,企业工会,CM-A1",
        "坏工会,EN-BAD-1,不知道,CM-A1",
    ]
    with pytest.raises(DomainError):
        _run(
            district.cadre_a,
            district.A,
            _csv(tmp_path, "u.csv", rows),
            "unions",
            "all_or_nothing",
        )
    assert not Union.objects.filter(code="EN-OK-1").exists()


def test_a_blank_industry_is_an_invalid_row_in_the_preview_and_apply_writes_the_rest(
    district: Any, tmp_path: Path
) -> None:
    # The preview used to call this row new, and applying then refused the whole file with
    # "第 2 行：此字段不能为空。", naming no column.
    rows = [
        "企业名称,统一社会信用代码,行业",
        f"无行业公司,{_uscc(7)},",
        f"有行业公司,{_uscc(8)},制造业",
    ]
    path = _csv(tmp_path, "企业.csv", rows)
    batch = import_create(
        actor=district.cadre_a, union=district.A1, path=path, filename=path.name, kind="enterprises"
    )

    plan = import_check(actor=district.cadre_a, batch=batch)

    assert (len(plan.new), len(plan.invalid)) == (1, 1)
    (error,) = plan.invalid[0].errors
    assert (error.row, error.column, error.value) == (2, "行业", "")
    assert "不能为空" in error.message
    assert not Enterprise.objects.filter(uscc__in=[_uscc(7), _uscc(8)]).exists()

    applied = import_apply(actor=district.cadre_a, batch=batch, mode="valid_only")

    assert (applied.new, applied.invalid) == (1, 1)
    assert Enterprise.objects.filter(uscc=_uscc(8)).exists()
    assert not Enterprise.objects.filter(uscc=_uscc(7)).exists()


def test_a_refusal_at_write_time_names_the_row_and_the_column(
    district: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The records can change between the apply's own check and its write (another office
    # registers the same enterprise): then the write refuses, naming the row and the column,
    # never a bare "此字段不能为空". Simulated by skipping the check's rehearsal of the write.
    from gonghui.organisation import importers

    monkeypatch.setattr(importers, "rehearse", lambda plan, write, **kw: plan)
    rows = [
        "企业名称,统一社会信用代码,行业",
        f"好公司,{_uscc(10)},制造业",
        f"无行业公司,{_uscc(11)},",
    ]
    path = _csv(tmp_path, "企业.csv", rows)
    batch = import_create(
        actor=district.cadre_a, union=district.A1, path=path, filename=path.name, kind="enterprises"
    )

    with pytest.raises(DomainError) as info:
        import_apply(actor=district.cadre_a, batch=batch, mode="valid_only")

    message = str(info.value.message)
    assert message.startswith("第 3 行“行业”列：")
    assert "不能为空" in message
    assert not Enterprise.objects.filter(uscc__in=[_uscc(10), _uscc(11)]).exists()
