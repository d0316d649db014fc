"""What the review of the import found: undo must not reach past its scope or erase what
later records rely on; history must stay consistent; bad files never leave a batch stuck."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gonghui.core.errors import DomainError
from gonghui.core.importing.engine import (
    import_apply,
    import_check,
    import_create,
    import_undo,
)
from gonghui.core.importing.tasks import check_import
from gonghui.core.models import ImportStatus, PiiAccessLog
from gonghui.membership import services as ms
from gonghui.membership.models import Membership
from gonghui.organisation.models import Union
from tests import factories as f
from tests.membership.roster_files import HEADER, person_row, ric_of, write_xlsx

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def _apply(actor: Any, union: Any, path: Path, kind: str = "roster") -> Any:
    batch = import_create(actor=actor, union=union, path=path, filename=path.name, kind=kind)
    import_check(actor=actor, batch=batch)
    return import_apply(actor=actor, batch=batch, mode="valid_only")


def test_undo_refused_once_someone_revealed_an_imported_id_and_the_log_survives(
    district: Any, tmp_path: Path
) -> None:
    ric = ric_of(D(1980, 2, 2), 71)
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, person_row("钱七", ric, joined=D(2015, 1, 5))])
    batch = _apply(district.admin, district.EA, path)
    person = Membership.objects.get(import_batch=batch).person
    ms.person_reveal_ric(actor=district.admin, person=person, reason="核对身份")

    with pytest.raises(DomainError):
        import_undo(actor=district.admin, batch=batch)

    assert PiiAccessLog.objects.filter(person=person).count() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED


def test_a_corrected_join_date_may_not_overlap_an_earlier_stretch(
    district: Any, tmp_path: Path
) -> None:
    ric = ric_of(D(1982, 4, 4), 72)
    person = f.make_person(district.admin, district.EA, ric=ric, joined=D(2011, 1, 1))
    ms.membership_leave(actor=district.admin, membership=person.memberships.get(), on=D(2013, 1, 1))
    ms.membership_join(actor=district.admin, person=person, union=district.EA, on=D(2015, 1, 1))
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, person_row("改期", ric, joined=D(2012, 1, 1))])

    batch = _apply(district.admin, district.EA, path)

    assert (batch.updated, batch.invalid) == (0, 1)
    assert person.memberships.get(ended_on__isnull=True).started_on == D(2015, 1, 1)


def test_a_malformed_csv_fails_the_batch_with_a_message_instead_of_sticking(
    district: Any, tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('姓名,身份证号,入会时间\n"张三,' + "x" * 200_000 + "\n", encoding="utf-8")
    batch = import_create(
        actor=district.admin, union=district.EA, path=path, filename="bad.csv", kind="roster"
    )

    check_import.enqueue(batch.pk, district.admin.pk)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message


def test_a_cadre_cannot_undo_a_union_list_that_created_a_union_in_another_street(
    district: Any, tmp_path: Path
) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "工会名称,组织代码,类型,上级工会代码\n乙新社区工会,CM-BX,社区工会,ST-B\n", encoding="utf-8"
    )
    batch = _apply(district.admin, district.A, path, "unions")
    assert Union.objects.filter(code="CM-BX").exists()

    with pytest.raises(DomainError):
        import_undo(actor=district.cadre_a, batch=batch)

    assert Union.objects.filter(code="CM-BX").exists()


def test_choice_labels_are_matched_exactly_not_by_part_of_a_word(
    district: Any, tmp_path: Path
) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "工会名称,组织代码,类型,上级工会代码\n某工会,EN-X1,工会,CM-A1\n", encoding="utf-8"
    )
    batch = import_create(
        actor=district.admin, union=district.A, path=path, filename="u.csv", kind="unions"
    )
    plan = import_check(actor=district.admin, batch=batch)

    assert len(plan.invalid) == 1
    assert "可填" in plan.invalid[0].errors[0].message
