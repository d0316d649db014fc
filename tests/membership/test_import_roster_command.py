"""``manage.py import_roster``: check or apply a roster file; the last line is JSON counts."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from gonghui.core.models import ImportBatch, ImportStatus
from gonghui.membership.models import Membership, Person
from tests.membership.roster_files import (
    HEADER,
    person_row,
    ric_of,
    with_bad_check,
    write_png,
    write_xlsx,
)

D = dt.date


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    """Three valid rows and one with a bad ID number."""
    rows = [
        person_row("张三", ric_of(D(1986, 3, 5), 11), mobile="13812345678", joined=D(2015, 3, 1)),
        person_row("李四", ric_of(D(1990, 1, 2), 22), joined="2016-04-02"),
        person_row("王五", ric_of(D(1975, 12, 31), 33), joined="2010年5月"),
        person_row("赵六", with_bad_check(ric_of(D(1995, 7, 7), 44)), joined=D(2020, 1, 1)),
    ]
    return write_xlsx(tmp_path / "花名册.xlsx", [["会员花名册"], HEADER, *rows])


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("import_roster", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_apply_prints_the_counts_as_json(district: Any, roster: Path) -> None:
    summary = run(str(roster), "--union", "EN-A", "--apply")

    assert {k: v for k, v in summary.items() if k != "report"} == {
        "rows": 4,
        "new": 3,
        "updated": 0,
        "unchanged": 0,
        "invalid": 1,
    }
    batch = ImportBatch.objects.get()
    assert summary["report"] == batch.report_file
    assert Path(summary["report"]).is_file()
    assert batch.status == ImportStatus.APPLIED
    assert batch.actor == district.root  # the first superuser by default
    assert Person.objects.count() == 3
    assert Membership.objects.filter(union=district.EA).count() == 3


def test_second_run_reports_everything_unchanged(district: Any, roster: Path) -> None:
    run(str(roster), "--union", "EN-A", "--apply")

    summary = run(str(roster), "--union", "EN-A", "--apply")

    assert (summary["new"], summary["unchanged"], summary["invalid"]) == (0, 3, 1)
    assert Person.objects.count() == 3


def test_without_apply_nothing_is_written(district: Any, roster: Path) -> None:
    summary = run(str(roster), "--union", "EN-A")

    assert (summary["rows"], summary["new"], summary["invalid"]) == (4, 3, 1)
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportStatus.CHECKED


def test_clean_file_has_no_report(district: Any, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", [HEADER, person_row("张三", ric_of(D(1986, 3, 5), 11))])

    summary = run(str(path), "--union", "EN-A", "--apply", "--strict")

    assert summary == {
        "rows": 1,
        "new": 1,
        "updated": 0,
        "unchanged": 0,
        "invalid": 0,
        "report": None,
    }


def test_strict_refuses_a_file_with_an_invalid_row(district: Any, roster: Path) -> None:
    with pytest.raises(CommandError, match="有 1 行无效"):
        run(str(roster), "--union", "EN-A", "--apply", "--strict")

    assert Person.objects.count() == 0


def test_acts_as_the_named_user_within_their_scope(district: Any, roster: Path) -> None:
    run(str(roster), "--union", "EN-A", "--apply", "--user", "cadre_a")

    assert ImportBatch.objects.get().actor == district.cadre_a

    with pytest.raises(CommandError, match="不在您的管辖范围"):
        run(str(roster), "--union", "EN-B", "--apply", "--user", "cadre_a")
    with pytest.raises(CommandError, match="只有查看权限"):
        run(str(roster), "--union", "EN-A", "--apply", "--user", "leader")
    assert Person.objects.count() == 3


def test_unknown_union(district: Any, roster: Path) -> None:
    with pytest.raises(CommandError, match="NO-SUCH"):
        run(str(roster), "--union", "NO-SUCH", "--apply")

    assert not ImportBatch.objects.exists()


def test_unknown_user(district: Any, roster: Path) -> None:
    with pytest.raises(CommandError, match="No such user"):
        run(str(roster), "--union", "EN-A", "--user", "nobody")


def test_missing_file(district: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.xlsx"), "--union", "EN-A")


def test_whole_file_problem_is_a_command_error(district: Any, tmp_path: Path) -> None:
    path = write_png(tmp_path / "照片.xlsx")

    with pytest.raises(CommandError, match="不是 Excel 或 CSV 文件"):
        run(str(path), "--union", "EN-A")

    assert ImportBatch.objects.get().status == ImportStatus.FAILED
    assert Person.objects.count() == 0
