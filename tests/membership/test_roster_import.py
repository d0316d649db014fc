"""The roster import service: upload, check (a preview that writes nothing), apply in either
mode, re-import, the error report round trip, scope, and undo. State is built through the
real services; files are built in ``tmp_path``."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from gonghui.core import pii
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.identifiers import mask_ric
from gonghui.core.importing import spreadsheet
from gonghui.core.importing.engine import (
    ImportErrorCode,
    import_apply,
    import_check,
    import_create,
    import_undo,
    undo_blockers,
)
from gonghui.core.importing.spreadsheet import SpreadsheetError
from gonghui.core.models import AuditEntry, ImportBatch, ImportMode, ImportStatus
from gonghui.membership import roster
from gonghui.membership import services as ms
from gonghui.membership.models import (
    EndReason,
    Gender,
    ImportChange,
    Membership,
    Person,
    StartReason,
)
from gonghui.organisation.services import union_dissolve
from tests import factories as f
from tests.membership.roster_files import (
    HEADER,
    person_row,
    read_xlsx,
    ric_of,
    sha256_of,
    with_bad_check,
    write_csv,
    write_fake_encrypted_xlsx,
    write_png,
    write_xlsx,
)

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
VALID_ONLY = ImportMode.VALID_ONLY
ALL_OR_NOTHING = ImportMode.ALL_OR_NOTHING

# Born on days no factory number uses, so they never collide with tests.factories.make_ric.
ZHANG = ric_of(D(1986, 3, 5), 11)
LI = ric_of(D(1990, 1, 2), 22)
WANG = ric_of(D(1975, 12, 31), 33)
ZHAO = ric_of(D(1995, 7, 7), 44)


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Path) -> None:
    # The district fixture creates six accounts; Argon2 would make each test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # kept files and reports stay in the test's dir


def three_people() -> list[list[Any]]:
    return [
        person_row(
            "张三",
            ZHANG,
            gender="男",
            birth=D(1986, 3, 5),
            mobile="13812345678",
            workplace="甲企业有限公司",
            joined=D(2015, 3, 1),
            note="首批会员",
        ),
        person_row("李四", LI, gender="女", mobile="139 1234 5678", joined="2016-04-02"),
        person_row("王五", WANG, joined="2010年5月"),
    ]


def roster_file(tmp_path: Path, rows: list[list[Any]], name: str = "roster.xlsx") -> Path:
    return write_xlsx(tmp_path / name, [["甲企业工会会员花名册"], HEADER, *rows], merge=["A1:H1"])


def upload(actor: Any, union: Any, path: Path) -> ImportBatch:
    return import_create(actor=actor, union=union, path=path, filename=path.name, kind="roster")


def checked(actor: Any, union: Any, path: Path) -> ImportBatch:
    batch = upload(actor, union, path)
    import_check(actor=actor, batch=batch)
    batch.refresh_from_db()
    return batch


def imported(actor: Any, union: Any, path: Path, mode: str = VALID_ONLY) -> ImportBatch:
    batch = checked(actor, union, path)
    return import_apply(actor=actor, batch=batch, mode=mode)


def counts(batch: ImportBatch) -> dict[str, int]:
    return {k: getattr(batch, k) for k in ("rows", "new", "updated", "unchanged", "invalid")}


def rows_of(model: type[Model], **filters: Any) -> list[tuple[Any, ...]]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return list(model.objects.filter(**filters).order_by("pk").values_list(*fields))


def fingerprint() -> tuple[Any, ...]:
    """Every person, membership and recorded change, field by field."""
    return rows_of(Person), rows_of(Membership), rows_of(ImportChange)


def person(ric: str) -> Person:
    return Person.objects.get(ric_hash=pii.lookup_hash(ric))


def refused(call: Callable[..., Any], **kw: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kw)
    return info.value


def errors_of(plan: Any, number: int) -> list[roster.RowError]:
    return next(r.errors for r in plan.invalid if r.number == number)


# --- check: a preview that writes nothing --------------------------------------------------


def test_check_counts_rows_and_writes_nothing(district: Any, tmp_path: Path) -> None:
    rows = [*three_people(), person_row("赵六", with_bad_check(ZHAO), joined=D(2020, 1, 1))]
    batch = upload(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    plan = import_check(actor=district.cadre_a, batch=batch)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert counts(batch) == {"rows": 4, "new": 3, "updated": 0, "unchanged": 0, "invalid": 1}
    assert plan.counts == counts(batch)
    [error] = errors_of(plan, 6)
    assert (error.row, error.column) == (6, "身份证号")
    assert "校验位错误" in error.message
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0
    assert ImportChange.objects.count() == 0


def test_error_report_keeps_invalid_rows_in_their_columns(district: Any, tmp_path: Path) -> None:
    bad = with_bad_check(ZHAO)
    rows = [
        *three_people(),
        person_row("赵六", bad, mobile="12345", joined=D(2020, 1, 1)),
        person_row("", LI, joined=D(2020, 1, 1)),
    ]
    batch = checked(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    report = read_xlsx(Path(batch.report_file))

    assert report[0] == ["原行号", *HEADER, "错误说明"]
    assert [r[0] for r in report[1:]] == [6, 7]
    zhao = dict(zip(report[0], report[1], strict=True))
    assert (zhao["姓名"], zhao["身份证号"], zhao["入会时间"]) == ("赵六", bad, "2020-01-01")
    assert "身份证号：身份证号码校验位错误" in zhao["错误说明"]
    assert "手机号码：“12345”不是有效的中国大陆手机号码" in zhao["错误说明"]
    second = dict(zip(report[0], report[2], strict=True))
    assert "姓名：姓名为空" in second["错误说明"]
    assert "与第 4 行的身份证号重复" in second["错误说明"]


def test_clean_file_has_no_error_report(district: Any, tmp_path: Path) -> None:
    batch = checked(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))

    assert batch.report_file == ""
    assert batch.invalid == 0


# --- apply ---------------------------------------------------------------------------------


def test_apply_valid_only_writes_people_and_memberships(district: Any, tmp_path: Path) -> None:
    rows = [*three_people(), person_row("赵六", with_bad_check(ZHAO), joined=D(2020, 1, 1))]
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    assert batch.status == ImportStatus.APPLIED
    assert batch.mode == VALID_ONLY
    assert counts(batch) == {"rows": 4, "new": 3, "updated": 0, "unchanged": 0, "invalid": 1}
    assert Person.objects.count() == 3
    zhang = person(ZHANG)
    assert ZHANG not in zhang.ric_encrypted
    assert pii.decrypt(zhang.ric_encrypted) == ZHANG
    assert zhang.ric_masked == mask_ric(ZHANG) == ZHANG[:6] + "********" + ZHANG[-4:]
    assert (zhang.name, zhang.gender, zhang.birth_date) == ("张三", Gender.MALE, D(1986, 3, 5))
    assert zhang.mobile == "+8613812345678"
    assert zhang.workplace == "甲企业有限公司"
    assert zhang.employer == district.ent_a  # the name of an enterprise in scope
    assert (zhang.union, zhang.import_batch) == (district.EA, batch)
    [membership] = zhang.memberships.all()
    assert membership.union == district.EA
    assert membership.started_on == D(2015, 3, 1)
    assert membership.start_reason == StartReason.JOINED
    assert (membership.ended_on, membership.previous) == (None, None)
    assert membership.import_batch == batch
    assert membership.note == "首批会员"
    li, wang = person(LI), person(WANG)
    assert (li.gender, li.birth_date, li.mobile) == (Gender.FEMALE, D(1990, 1, 2), "+8613912345678")
    assert li.memberships.get().started_on == D(2016, 4, 2)
    assert wang.memberships.get().started_on == D(2010, 5, 1)
    assert not Person.objects.filter(ric_hash=pii.lookup_hash(ZHAO)).exists()


def test_workplace_of_an_enterprise_out_of_scope_sets_no_employer(
    district: Any, tmp_path: Path
) -> None:
    rows = [person_row("张三", ZHANG, workplace="乙企业有限公司")]  # street B's enterprise
    imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    zhang = person(ZHANG)
    assert zhang.workplace == "乙企业有限公司"
    assert zhang.employer is None


def test_all_or_nothing_with_one_invalid_row_writes_nothing(district: Any, tmp_path: Path) -> None:
    existing = f.make_person(district.cadre_a, district.EA, ric=ZHAO, joined=D(2012, 1, 1))
    before = fingerprint()
    rows = [
        *three_people(),
        person_row(existing.name, ZHAO, mobile="13712345678", joined=D(2012, 1, 1)),  # update
        person_row("孙七", ric_of(D(1980, 8, 8), 55), joined=D(2099, 1, 1)),  # invalid
    ]
    batch = checked(district.cadre_a, district.EA, roster_file(tmp_path, rows))
    assert counts(batch) == {"rows": 5, "new": 3, "updated": 1, "unchanged": 0, "invalid": 1}

    error = refused(import_apply, actor=district.cadre_a, batch=batch, mode=ALL_OR_NOTHING)

    assert error.code == ImportErrorCode.HAS_INVALID
    assert "有 1 行无效" in str(error.message)
    assert fingerprint() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert batch.applied_at is None
    assert not AuditEntry.objects.filter(action="roster_import.apply").exists()


def test_all_or_nothing_writes_a_clean_file(district: Any, tmp_path: Path) -> None:
    path = roster_file(tmp_path, three_people())

    batch = imported(district.cadre_a, district.EA, path, mode=ALL_OR_NOTHING)

    assert batch.status == ImportStatus.APPLIED
    assert batch.mode == ALL_OR_NOTHING
    assert Membership.objects.filter(union=district.EA, import_batch=batch).count() == 3


def test_apply_without_a_separate_check(district: Any, tmp_path: Path) -> None:
    batch = upload(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))

    batch = import_apply(actor=district.cadre_a, batch=batch, mode=VALID_ONLY)

    assert counts(batch) == {"rows": 3, "new": 3, "updated": 0, "unchanged": 0, "invalid": 0}


def test_applied_batch_cannot_be_applied_again(district: Any, tmp_path: Path) -> None:
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))

    error = refused(import_apply, actor=district.cadre_a, batch=batch, mode=VALID_ONLY)

    assert error.code == ImportErrorCode.WRONG_STATE
    assert "已导入" in str(error.message)


def test_batch_records_actor_time_file_hash_and_counts(district: Any, tmp_path: Path) -> None:
    path = roster_file(tmp_path, three_people(), name="甲企业 2024 花名册.xlsx")
    instant = dt.datetime(2024, 6, 1, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(instant, tick=False):
        batch = imported(district.cadre_a, district.EA, path)

    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.actor == district.cadre_a
    assert batch.union == district.EA
    assert batch.created_at == instant
    assert batch.applied_at == instant
    assert batch.file_name == "甲企业 2024 花名册.xlsx"
    assert batch.file_sha256 == sha256_of(path)
    assert batch.file_size == path.stat().st_size
    assert Path(batch.stored_file).read_bytes() == path.read_bytes()
    assert counts(batch) == {"rows": 3, "new": 3, "updated": 0, "unchanged": 0, "invalid": 0}
    entry = AuditEntry.objects.get(
        action="roster_import.apply",
        content_type=ContentType.objects.get_for_model(ImportBatch),
        object_id=str(batch.pk),
    )
    assert entry.actor == district.cadre_a
    assert entry.at == instant
    assert entry.union_path == district.EA.path
    assert "新增 3 条" in entry.message
    assert "甲企业 2024 花名册.xlsx" in entry.message
    assert AuditEntry.objects.filter(action="roster_import.upload", object_id=str(batch.pk))


# --- importing again -----------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(district: Any, tmp_path: Path) -> None:
    path = roster_file(tmp_path, three_people())
    imported(district.cadre_a, district.EA, path)
    before = fingerprint()

    second = imported(district.cadre_a, district.EA, path)

    assert counts(second) == {"rows": 3, "new": 0, "updated": 0, "unchanged": 3, "invalid": 0}
    assert fingerprint() == before
    assert second.file_sha256 == ImportBatch.objects.exclude(pk=second.pk).get().file_sha256


def test_reupload_with_one_changed_mobile_updates_one_person(district: Any, tmp_path: Path) -> None:
    first = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))
    rows = three_people()
    rows[1][HEADER.index("手机号码")] = "13700001111"

    second = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows, "v2.xlsx"))

    assert counts(second) == {"rows": 3, "new": 0, "updated": 1, "unchanged": 2, "invalid": 0}
    li = person(LI)
    assert li.mobile == "+8613700001111"
    assert li.import_batch == first  # still the batch that created the record
    change = ImportChange.objects.get(batch=second)
    assert change.person == li
    assert change.before == {"mobile": "+8613912345678"}
    assert change.after == {"mobile": "+8613700001111"}
    assert person(ZHANG).mobile == "+8613812345678"


def test_blank_cell_never_erases_what_is_on_record(district: Any, tmp_path: Path) -> None:
    imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))
    before = fingerprint()
    rows = [person_row("张三", ZHANG, joined=D(2015, 3, 1))]  # no mobile, no workplace

    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows, "thin.xlsx"))

    assert counts(batch) == {"rows": 1, "new": 0, "updated": 0, "unchanged": 1, "invalid": 0}
    assert fingerprint() == before


def test_corrected_join_date_updates_the_open_membership(district: Any, tmp_path: Path) -> None:
    zhao = f.make_person(district.cadre_a, district.EA, ric=ZHAO, joined=D(2012, 1, 1))
    rows = [person_row(zhao.name, ZHAO, joined=D(2011, 9, 1))]

    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    assert counts(batch)["updated"] == 1
    assert zhao.memberships.get().started_on == D(2011, 9, 1)


def test_registered_non_member_joins_through_the_import(district: Any, tmp_path: Path) -> None:
    zhao = f.make_person(district.cadre_a, district.A1, ric=ZHAO)  # registered, never joined
    rows = [person_row(zhao.name, ZHAO, joined=D(2019, 9, 1))]

    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    assert counts(batch)["updated"] == 1
    zhao.refresh_from_db()
    assert zhao.union == district.EA  # the record follows the membership
    membership = zhao.memberships.get()
    assert (membership.union, membership.started_on) == (district.EA, D(2019, 9, 1))
    assert membership.import_batch == batch


def test_former_member_rejoins_only_after_the_last_end(district: Any, tmp_path: Path) -> None:
    zhao = f.make_person(district.cadre_a, district.EA, ric=ZHAO, joined=D(2012, 1, 1))
    ms.membership_leave(actor=district.cadre_a, membership=zhao.memberships.get(), on=D(2018, 1, 1))
    too_early = [person_row(zhao.name, ZHAO, joined=D(2017, 6, 1))]

    batch = checked(district.cadre_a, district.EA, roster_file(tmp_path, too_early))

    assert counts(batch)["invalid"] == 1
    plan = import_check(actor=district.cadre_a, batch=batch)
    [error] = errors_of(plan, 3)
    assert error.column == "入会时间"
    assert "早于该人员上一段会籍的终止日期 2018-01-01" in error.message

    later = [person_row(zhao.name, ZHAO, joined=D(2019, 6, 1))]
    rejoined = imported(district.cadre_a, district.EA, roster_file(tmp_path, later, "b.xlsx"))
    assert counts(rejoined)["updated"] == 1
    assert zhao.memberships.filter(ended_on__isnull=True).get().started_on == D(2019, 6, 1)


# --- scope ---------------------------------------------------------------------------------


def test_person_of_another_street_is_out_of_scope(district: Any, tmp_path: Path) -> None:
    theirs = f.make_person(
        district.cadre_b, district.EB, ric=ZHAO, mobile="13600001111", joined=D(2012, 1, 1)
    )
    before = (rows_of(Person, pk=theirs.pk), rows_of(Membership, person=theirs))
    rows = [*three_people(), person_row("改名", ZHAO, mobile="13700002222", joined=D(2011, 1, 1))]

    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    assert counts(batch) == {"rows": 4, "new": 3, "updated": 0, "unchanged": 0, "invalid": 1}
    assert (rows_of(Person, pk=theirs.pk), rows_of(Membership, person=theirs)) == before
    assert not ImportChange.objects.filter(person=theirs).exists()
    report = read_xlsx(Path(batch.report_file))
    assert report[1][0] == 6
    assert "不在您的管辖范围" in report[1][-1]
    plan = import_check(actor=district.cadre_a, batch=upload_same(district, batch))
    [error] = errors_of(plan, 6)
    assert (error.row, error.column) == (6, "身份证号")
    assert "该身份证号已在其他工会登记（不在您的管辖范围内）" in error.message


def upload_same(district: Any, batch: ImportBatch) -> ImportBatch:
    return import_create(
        actor=batch.actor,
        union=batch.union,
        path=batch.stored_file,
        filename=batch.file_name,
        kind="roster",
    )


def test_member_of_another_union_in_scope_needs_a_transfer(district: Any, tmp_path: Path) -> None:
    zhao = f.make_person(district.cadre_a, district.A1, ric=ZHAO, joined=D(2012, 1, 1))
    before = (rows_of(Person, pk=zhao.pk), rows_of(Membership, person=zhao))
    rows = [person_row(zhao.name, ZHAO, joined=D(2012, 1, 1))]
    batch = upload(district.cadre_a, district.EA, roster_file(tmp_path, rows))

    plan = import_check(actor=district.cadre_a, batch=batch)

    [error] = errors_of(plan, 3)
    assert error.column == "身份证号"
    assert "该人员现为“甲一社区工会”会员，请先办理转会" in error.message
    import_apply(actor=district.cadre_a, batch=batch, mode=VALID_ONLY)
    assert (rows_of(Person, pk=zhao.pk), rows_of(Membership, person=zhao)) == before


def test_federation_admin_may_import_people_of_any_street(district: Any, tmp_path: Path) -> None:
    theirs = f.make_person(district.cadre_b, district.EB, ric=ZHAO, joined=D(2012, 1, 1))
    rows = [person_row(theirs.name, ZHAO, mobile="13700002222", joined=D(2012, 1, 1))]

    batch = imported(district.admin, district.EB, roster_file(tmp_path, rows))

    assert counts(batch)["updated"] == 1
    assert person(ZHAO).mobile == "+8613700002222"


@pytest.mark.parametrize("union", ["B", "EB"])
def test_cadre_cannot_import_into_another_street(district: Any, tmp_path: Path, union: str) -> None:
    path = roster_file(tmp_path, three_people())

    error = refused(
        import_create,
        actor=district.cadre_a,
        union=getattr(district, union),
        path=path,
        filename=path.name,
        kind="roster",
    )

    assert error.code == CoreError.NOT_FOUND
    assert "不在您的管辖范围" in str(error.message)
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("who", ["leader", "evaluator"])
def test_read_only_roles_cannot_import(district: Any, tmp_path: Path, who: str) -> None:
    path = roster_file(tmp_path, three_people())
    actor = getattr(district, who)

    error = refused(
        import_create, actor=actor, union=district.EA, path=path, filename=path.name, kind="roster"
    )

    assert error.code in (CoreError.READ_ONLY, CoreError.NOT_FOUND)
    assert not ImportBatch.objects.exists()


def test_leader_cannot_check_apply_or_undo_a_batch(district: Any, tmp_path: Path) -> None:
    batch = upload(district.admin, district.EA, roster_file(tmp_path, three_people()))
    leader = district.leader

    assert refused(import_check, actor=leader, batch=batch).code == CoreError.READ_ONLY
    assert (
        refused(import_apply, actor=leader, batch=batch, mode=VALID_ONLY).code
        == CoreError.READ_ONLY
    )
    batch = import_apply(actor=district.admin, batch=batch, mode=VALID_ONLY)
    assert refused(import_undo, actor=leader, batch=batch).code == CoreError.READ_ONLY
    assert Person.objects.count() == 3


def test_cadre_of_another_street_cannot_check_or_undo(district: Any, tmp_path: Path) -> None:
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))

    assert refused(import_undo, actor=district.cadre_b, batch=batch).code == (CoreError.NOT_FOUND)
    assert refused(import_check, actor=district.cadre_b, batch=batch).code == (CoreError.NOT_FOUND)
    assert Person.objects.count() == 3


# --- whole-file problems -------------------------------------------------------------------


def _png(tmp_path: Path) -> Path:
    return write_png(tmp_path / "花名册.xlsx")


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(b"")
    return path


def _no_header(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "花名册.xlsx", [["标题"], ["序号", "金额"], [1, 300]])


def _missing_columns(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "花名册.csv", [["姓名", "手机号码"], ["张三", "13812345678"]])


def _encrypted(tmp_path: Path) -> Path:
    return write_fake_encrypted_xlsx(tmp_path / "花名册.xlsx")


def _large(tmp_path: Path) -> Path:
    return roster_file(tmp_path, three_people())


def _many_rows(tmp_path: Path) -> Path:
    rows = [
        person_row(f"职工{i}", ric_of(D(1980, 2, 2), i), joined=D(2015, 3, 1)) for i in range(1, 41)
    ]
    return roster_file(tmp_path, rows)


@pytest.mark.parametrize(
    ("build", "code", "fragment", "limits"),
    [
        pytest.param(
            _png, SpreadsheetError.NOT_SPREADSHEET, "不是 Excel 或 CSV 文件", {}, id="png"
        ),
        pytest.param(_empty, SpreadsheetError.EMPTY, "文件是空的", {}, id="empty"),
        pytest.param(_no_header, SpreadsheetError.NO_HEADER, "没有找到表头", {}, id="no-header"),
        pytest.param(
            _missing_columns,
            SpreadsheetError.NO_HEADER,
            "缺少必需的列：身份证号、入会时间",
            {},
            id="missing-columns",
        ),
        pytest.param(_encrypted, SpreadsheetError.ENCRYPTED, "密码", {}, id="encrypted"),
        pytest.param(_large, SpreadsheetError.TOO_LARGE, "50 MB", {"MAX_BYTES": 1000}, id="large"),
        pytest.param(
            _many_rows, SpreadsheetError.TOO_MANY_ROWS, "超过 5 行", {"MAX_ROWS": 5}, id="many-rows"
        ),
    ],
)
def test_whole_file_problem_fails_the_batch_and_writes_nothing(
    district: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    build: Callable[[Path], Path],
    code: str,
    fragment: str,
    limits: dict[str, int],
) -> None:
    for name, value in limits.items():
        monkeypatch.setattr(spreadsheet, name, value)
    batch = upload(district.cadre_a, district.EA, build(tmp_path))

    error = refused(import_check, actor=district.cadre_a, batch=batch)

    assert error.code == code
    assert fragment in str(error.message)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message == str(error.message)
    assert fragment in batch.message
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0
    again = refused(import_apply, actor=district.cadre_a, batch=batch, mode=VALID_ONLY)
    assert again.code == ImportErrorCode.WRONG_STATE
    assert Person.objects.count() == 0


# --- the error report, corrected and uploaded again ----------------------------------------


def test_corrected_error_report_imports_the_fixed_rows(district: Any, tmp_path: Path) -> None:
    rows = [
        *three_people(),
        person_row("赵六", with_bad_check(ZHAO), mobile="13812345", joined=D(2020, 1, 1)),
        person_row("孙七", ric_of(D(1980, 8, 8), 55), joined="去年"),
    ]
    first = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))
    assert counts(first) == {"rows": 5, "new": 3, "updated": 0, "unchanged": 0, "invalid": 2}

    report = tmp_path / "待修正.xlsx"
    report.write_bytes(Path(first.report_file).read_bytes())
    wb = openpyxl.load_workbook(report)
    ws = wb.worksheets[0]
    column = {cell.value: cell.column for cell in ws[1]}
    ws.cell(row=2, column=column["身份证号"], value=ZHAO)
    ws.cell(row=2, column=column["手机号码"], value="13812345679")
    ws.cell(row=3, column=column["入会时间"], value="2021年7月1日")
    wb.save(report)

    second = imported(district.cadre_a, district.EA, report)

    assert counts(second) == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0, "invalid": 0}
    assert second.report_file == ""
    zhao = person(ZHAO)
    assert (zhao.name, zhao.mobile) == ("赵六", "+8613812345679")
    assert zhao.memberships.get().started_on == D(2020, 1, 1)
    sun = person(ric_of(D(1980, 8, 8), 55))
    assert sun.memberships.get().started_on == D(2021, 7, 1)
    assert Membership.objects.filter(union=district.EA).count() == 5


# --- undo ----------------------------------------------------------------------------------


def test_undo_removes_created_and_restores_updated(district: Any, tmp_path: Path) -> None:
    zhao = f.make_person(
        district.cadre_a, district.EA, ric=ZHAO, mobile="13600001111", joined=D(2012, 1, 1)
    )
    joiner = f.make_person(district.cadre_a, district.A1, ric=ric_of(D(1980, 8, 8), 55))
    before = fingerprint()
    rows = [
        *three_people(),
        person_row(
            zhao.name, ZHAO, mobile="13700002222", workplace="甲企业有限公司", joined=D(2011, 9, 1)
        ),
        person_row(joiner.name, ric_of(D(1980, 8, 8), 55), joined=D(2019, 9, 1)),
    ]
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))
    assert counts(batch) == {"rows": 5, "new": 3, "updated": 2, "unchanged": 0, "invalid": 0}
    assert undo_blockers(batch) == []

    undone = import_undo(actor=district.cadre_a, batch=batch)

    assert undone.status == ImportStatus.UNDONE
    assert undone.undone_at is not None
    assert fingerprint()[:2] == before[:2]
    assert not Person.objects.filter(import_batch=batch).exists()
    assert not Membership.objects.filter(import_batch=batch).exists()
    zhao.refresh_from_db()
    assert (zhao.mobile, zhao.workplace, zhao.employer) == ("+8613600001111", "", None)
    assert zhao.memberships.get().started_on == D(2012, 1, 1)
    joiner.refresh_from_db()
    assert joiner.union == district.A1
    assert not joiner.memberships.exists()
    assert AuditEntry.objects.filter(action="roster_import.undo", object_id=str(batch.pk))


def test_undone_batch_cannot_be_undone_or_applied_again(district: Any, tmp_path: Path) -> None:
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))
    import_undo(actor=district.cadre_a, batch=batch)

    error = refused(import_undo, actor=district.cadre_a, batch=batch)
    assert error.code == ImportErrorCode.CANNOT_UNDO
    assert "只有已导入的批次可以撤销" in str(error.message)
    again = refused(import_apply, actor=district.cadre_a, batch=batch, mode=VALID_ONLY)
    assert again.code == ImportErrorCode.WRONG_STATE


def test_undo_refused_after_a_created_membership_was_transferred(
    district: Any, tmp_path: Path
) -> None:
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))
    membership = person(LI).memberships.get()
    ms.membership_transfer(
        actor=district.cadre_a, membership=membership, to_union=district.A1, on=D(2020, 1, 1)
    )
    before = fingerprint()

    error = refused(import_undo, actor=district.cadre_a, batch=batch)

    assert error.code == ImportErrorCode.CANNOT_UNDO
    assert "已办理转会或退会" in str(error.message)
    assert any("转会" in reason for reason in undo_blockers(batch))
    assert fingerprint() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED


def test_undo_refused_after_a_created_membership_ended(district: Any, tmp_path: Path) -> None:
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))
    ms.membership_leave(
        actor=district.cadre_a,
        membership=person(WANG).memberships.get(),
        on=D(2020, 1, 1),
        reason=EndReason.LEFT,
    )

    error = refused(import_undo, actor=district.cadre_a, batch=batch)

    assert error.code == ImportErrorCode.CANNOT_UNDO
    assert Person.objects.filter(import_batch=batch).count() == 3


def test_undo_refused_after_a_created_person_was_edited(district: Any, tmp_path: Path) -> None:
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))
    ms.person_update(actor=district.cadre_a, person=person(ZHANG), mobile="13500001111")
    before = fingerprint()

    error = refused(import_undo, actor=district.cadre_a, batch=batch)

    assert error.code == ImportErrorCode.CANNOT_UNDO
    assert "又被修改过" in str(error.message)
    assert fingerprint() == before


def test_undo_refused_after_an_updated_person_was_edited(district: Any, tmp_path: Path) -> None:
    zhao = f.make_person(district.cadre_a, district.EA, ric=ZHAO, joined=D(2012, 1, 1))
    rows = [person_row(zhao.name, ZHAO, mobile="13700002222", joined=D(2012, 1, 1))]
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows))
    ms.person_update(actor=district.cadre_a, person=person(ZHAO), hukou="杭州")

    error = refused(import_undo, actor=district.cadre_a, batch=batch)

    assert error.code == ImportErrorCode.CANNOT_UNDO
    assert person(ZHAO).mobile == "+8613700002222"


def test_undo_refused_while_a_later_import_changed_an_updated_person(
    district: Any, tmp_path: Path
) -> None:
    zhao = f.make_person(district.cadre_a, district.EA, ric=ZHAO, joined=D(2012, 1, 1))
    v1 = [person_row(zhao.name, ZHAO, mobile="13700002222", joined=D(2012, 1, 1))]
    v2 = [person_row(zhao.name, ZHAO, mobile="13700003333", joined=D(2012, 1, 1))]
    first = imported(district.cadre_a, district.EA, roster_file(tmp_path, v1, "v1.xlsx"))
    imported(district.cadre_a, district.EA, roster_file(tmp_path, v2, "v2.xlsx"))

    error = refused(import_undo, actor=district.cadre_a, batch=first)

    assert error.code == ImportErrorCode.CANNOT_UNDO
    assert "之后的导入" in str(error.message)
    assert person(ZHAO).mobile == "+8613700003333"


def test_undo_refused_while_a_later_import_changed_a_created_person(
    district: Any, tmp_path: Path
) -> None:
    first = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))
    rows = three_people()
    rows[0][HEADER.index("手机号码")] = "13700001111"
    second = imported(district.cadre_a, district.EA, roster_file(tmp_path, rows, "v2.xlsx"))
    assert counts(second)["updated"] == 1
    before = fingerprint()

    error = refused(import_undo, actor=district.cadre_a, batch=first)

    assert error.code == ImportErrorCode.CANNOT_UNDO
    assert "之后的导入" in str(error.message)
    assert fingerprint() == before


def test_later_imports_undone_first_let_the_earlier_one_be_undone(
    district: Any, tmp_path: Path
) -> None:
    zhao = f.make_person(
        district.cadre_a, district.EA, ric=ZHAO, mobile="13600001111", joined=D(2012, 1, 1)
    )
    v1 = [person_row(zhao.name, ZHAO, mobile="13700002222", joined=D(2012, 1, 1))]
    v2 = [person_row(zhao.name, ZHAO, mobile="13700003333", joined=D(2012, 1, 1))]
    first = imported(district.cadre_a, district.EA, roster_file(tmp_path, v1, "v1.xlsx"))
    second = imported(district.cadre_a, district.EA, roster_file(tmp_path, v2, "v2.xlsx"))

    import_undo(actor=district.cadre_a, batch=second)
    assert person(ZHAO).mobile == "+8613700002222"
    import_undo(actor=district.cadre_a, batch=first)

    assert person(ZHAO).mobile == "+8613600001111"


# --- gaps found while writing these tests, now closed -------------------------------------


def test_import_into_a_dissolved_union_writes_no_membership(district: Any, tmp_path: Path) -> None:
    dead = f.make_union(district.cadre_a, district.A1, f.KIND.ENTERPRISE, "已撤销工会")
    union_dissolve(actor=district.cadre_a, union=dead, on=D(2020, 1, 1), reason="企业注销")
    path = roster_file(tmp_path, three_people())

    with contextlib.suppress(DomainError):  # refused at upload, at apply, or row by row
        batch = upload(district.cadre_a, dead, path)
        import_apply(actor=district.cadre_a, batch=batch, mode=VALID_ONLY)

    assert not Membership.objects.filter(union=dead).exists()


def test_checking_an_applied_batch_leaves_it_applied_and_undoable(
    district: Any, tmp_path: Path
) -> None:
    batch = imported(district.cadre_a, district.EA, roster_file(tmp_path, three_people()))

    with contextlib.suppress(DomainError):
        import_check(actor=district.cadre_a, batch=batch)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert undo_blockers(batch) == []


def test_join_date_before_the_union_was_founded_is_an_invalid_row(
    district: Any, tmp_path: Path
) -> None:
    path = roster_file(tmp_path, three_people())
    batch = upload(district.cadre_a, district.EA, path)
    import_check(actor=district.cadre_a, batch=batch)
    batch.refresh_from_db()
    assert batch.invalid == 0

    young = f.make_union(
        district.cadre_a, district.A1, f.KIND.ENTERPRISE, "新建工会", founded_on=D(2020, 1, 1)
    )
    batch = upload(district.cadre_a, young, path)
    plan = import_check(actor=district.cadre_a, batch=batch)

    assert len(plan.invalid) == 3
    assert all("成立日期" in row.errors[0].message for row in plan.invalid)
