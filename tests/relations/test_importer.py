"""The contract register importer through the import engine: preview, apply, renewals linked,
refusals on their columns, undo. (tests/core/test_importer_contract.py runs the shared
contract for it too.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from gonghui.core.importing.engine import (
    import_apply,
    import_check,
    import_create,
    import_undo,
    importer_for,
)
from gonghui.core.metrics import figure
from gonghui.core.models import ImportBatch
from gonghui.relations.models import CollectiveContract, ContractStatus

HEADERS = importer_for("contract_register").headers()


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _file(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    importer = importer_for("contract_register")
    book = Workbook()
    sheet = book.active
    sheet.append(["甲街道集体合同台账（2015年）"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(c.key, "") for c in importer.columns])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    return path


def _preview(district: Any, path: Path) -> ImportBatch:
    batch = import_create(
        actor=district.cadre_a,
        union=district.A,
        path=path,
        filename=path.name,
        kind="contract_register",
    )
    import_check(actor=district.cadre_a, batch=batch)
    batch.refresh_from_db()
    return batch


def _row(district: Any, **kw: Any) -> dict[str, Any]:
    return {
        "enterprise_name": district.ent_a.name,
        "uscc": district.ent_a.uscc,
        "union_code": "EN-A",
        "kind": "工资专项集体合同",
        "signed_on": "2015-03-02",
        "effective_on": "2015-04-01",
        "expires_on": "2016-03-31",
        "workers_covered": "90",
        **kw,
    }


def test_register_is_previewed_applied_with_its_renewals_and_undone(
    district: Any, tmp_path: Path
) -> None:
    rows = [
        _row(district),
        _row(
            district,
            signed_on="2016-03-01",
            effective_on="2016-04-01",
            expires_on="2017-03-31",
            renewal="是",
        ),
        # Overlaps the first row's wage agreement.
        _row(district, signed_on="2015-08-03", effective_on="2015-09-01", expires_on="2016-08-31"),
        # Street B's enterprise: not the cadre's.
        _row(district, uscc=district.ent_b.uscc, union_code="EN-B"),
        # A renewal with nothing before it to renew.
        _row(district, kind="女职工", renewal="是"),
    ]
    batch = _preview(district, _file(tmp_path, rows))
    assert (batch.rows, batch.new, batch.invalid) == (5, 2, 3)
    assert not CollectiveContract.objects.exists()  # the preview wrote nothing

    applied = import_apply(actor=district.cadre_a, batch=batch, mode="valid_only")
    assert applied.new == 2
    first, renewal = CollectiveContract.objects.order_by("effective_on")
    assert (first.status, first.effective_on, first.signed_on) == (
        ContractStatus.EFFECTIVE,
        dt.date(2015, 4, 1),
        dt.date(2015, 3, 2),
    )
    assert first.filing_due_on == dt.date(2015, 3, 12)
    assert first.coverages.get().workers_covered == 90
    assert renewal.renews == first
    assert renewal.is_in_force_on(dt.date(2016, 4, 1))
    renewed = figure(
        "relations.contracts_renewed", actor=district.root, union=district.F, year=2016
    )
    assert renewed is not None
    assert renewed.value == 1

    # Importing the same file again changes nothing.
    again = _preview(district, _file(tmp_path, rows))
    assert (again.new, again.updated, again.unchanged, again.invalid) == (0, 0, 2, 3)

    import_undo(actor=district.cadre_a, batch=applied)
    assert not CollectiveContract.objects.exists()


def test_refused_rows_say_why_on_their_column(district: Any, tmp_path: Path) -> None:
    rows = [
        _row(district),
        _row(district, signed_on="2015-08-03", effective_on="2015-09-01", expires_on="2016-08-31"),
        _row(district, union_code="NO-SUCH"),
    ]
    path = _file(tmp_path, rows)
    batch = import_create(
        actor=district.cadre_a,
        union=district.A,
        path=path,
        filename=path.name,
        kind="contract_register",
    )
    plan = import_check(actor=district.cadre_a, batch=batch)
    errors = {(e.row, e.column): e.message for r in plan.invalid for e in r.errors}
    assert "重叠" in errors[(4, "生效日期")]
    assert "找不到该工会" in errors[(5, "签约工会代码")]


def test_a_matched_row_corrects_the_workers_covered(district: Any, tmp_path: Path) -> None:
    batch = _preview(district, _file(tmp_path, [_row(district)]))
    import_apply(actor=district.cadre_a, batch=batch, mode="valid_only")
    batch = _preview(district, _file(tmp_path, [_row(district, workers_covered="120")]))
    assert (batch.new, batch.updated) == (0, 1)
    applied = import_apply(actor=district.cadre_a, batch=batch, mode="valid_only")
    contract = CollectiveContract.objects.get()
    assert contract.coverages.get().workers_covered == 120
    import_undo(actor=district.cadre_a, batch=applied)
    assert contract.coverages.get().workers_covered == 90
