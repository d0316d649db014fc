"""The contract every registered importer keeps with the engine (the sample domain's included).

Files are built from the importer's own ``example_rows()`` with cells perturbed by hypothesis
(blanks, garbage, over-long text, another row's value) and rows repeated, sometimes over
records the same examples put on file first. For each file:

- the preview writes nothing;
- applying "valid rows only" never raises, and its counts are the preview's;
- every row the preview called valid (new or updated) was written: checking the same file
  again finds each of them on file, unchanged;
- undoing the import restores the records exactly.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gonghui.core.errors import DomainError
from gonghui.core.importing.admin import template_xlsx
from gonghui.core.importing.engine import (
    Importer,
    example_table,
    import_apply,
    import_check,
    import_create,
    import_undo,
    importer_for,
    importers,
    undo_blockers,
)
from gonghui.core.importing.spreadsheet import SpreadsheetError, read_table
from gonghui.core.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

KEYS = [i.key for i in importers()]
COUNTS = ("rows", "new", "updated", "unchanged", "invalid")
# What an import may write: the domains' records (not the audit trail, nor its own batches).
RECORD_APPS = ("organisation", "membership", "relations", "sampledomain")
NOT_RECORDS = ("membership.importchange",)


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_platform_and_the_sample_domain_register_their_importers() -> None:
    assert {"roster", "enterprises", "unions", "contract_register", "loans"} <= set(KEYS)


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every record an import may write, field by field."""
    found = {}
    for label in RECORD_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in NOT_RECORDS:
                continue
            fields = [f.attname for f in model._meta.concrete_fields]
            found[model._meta.label_lower] = list(model.objects.order_by("pk").values_list(*fields))
    return found


def counts(batch: ImportBatch) -> dict[str, int]:
    return {k: getattr(batch, k) for k in COUNTS}


def write_file(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as typed, never a formula
    workbook.save(path)
    return path


class Rollback(Exception):
    """Ends an example: everything it wrote is rolled back."""


@contextmanager
def rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


# --- every importer's examples are valid, and its template reads back ----------------------


@pytest.mark.parametrize("key", KEYS)
def test_its_examples_import_as_new_rows_through_its_template(
    key: str, district: Any, tmp_path: Path
) -> None:
    importer = importer_for(key)
    template = load_workbook(io.BytesIO(template_xlsx(importer)))
    sheet = template.worksheets[0]
    examples = importer.example_rows(district.A)
    for row in example_table(importer, examples)[1:]:
        sheet.append(row)
    path = tmp_path / "template.xlsx"
    template.save(path)
    assert read_table(path, filename=path.name)[0] == importer.headers()

    batch = import_create(
        actor=district.cadre_a, union=district.A, path=path, filename=path.name, kind=key
    )
    import_check(actor=district.cadre_a, batch=batch)
    batch.refresh_from_db()

    assert counts(batch) == {
        "rows": len(examples),
        "new": len(examples),
        "updated": 0,
        "unchanged": 0,
        "invalid": 0,
    }


# --- perturbed files ------------------------------------------------------------------------

BLANK, GARBAGE, LONG, OTHER = "blank", "garbage", "long", "other"
garbage = st.text(
    st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="="),
    min_size=1,
    max_size=12,
)


@st.composite
def perturbed_files(draw: Any, examples: list[dict[str, Any]], keys: list[str]) -> Any:
    """(rows of the examples to put on file first, the file's rows of column values)."""
    indexes = st.integers(0, len(examples) - 1)
    on_file = draw(st.sets(indexes, max_size=len(examples)))
    picked = draw(st.lists(indexes, min_size=1, max_size=4))  # repeats are duplicates
    rows = []
    for index in picked:
        row = dict(examples[index])
        for key in draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)):
            change = draw(st.sampled_from([BLANK, GARBAGE, LONG, OTHER]))
            if change == BLANK:
                row[key] = ""
            elif change == GARBAGE:
                row[key] = draw(garbage)
            elif change == LONG:
                row[key] = "长" * draw(st.integers(21, 400))
            else:  # another example's value: valid, but maybe a clash
                row[key] = examples[draw(indexes)].get(key, "")
        rows.append(row)
    return {"on_file": sorted(on_file), "rows": rows, "titled": draw(st.booleans())}


def _import(actor: Any, union: Any, path: Path, key: str) -> ImportBatch:
    batch = import_create(actor=actor, union=union, path=path, filename=path.name, kind=key)
    import_check(actor=actor, batch=batch)
    batch.refresh_from_db()
    return batch


def check_the_contract(
    importer: Importer,
    district: Any,
    tmp_path: Path,
    *,
    on_file: list[int],
    rows: list[dict[str, Any]],
    titled: bool = False,
) -> None:
    """Import ``rows`` (column key -> cell) after putting the examples ``on_file`` on file."""
    actor, union = district.cadre_a, district.A
    examples = importer.example_rows(union)
    if on_file:
        clean = write_file(
            tmp_path / "on-file.xlsx", example_table(importer, [examples[i] for i in on_file])
        )
        first = import_apply(
            actor=actor, batch=_import(actor, union, clean, importer.key), mode="valid_only"
        )
        assert (first.new, first.invalid) == (len(on_file), 0)
    before = fingerprint()
    title = [[f"{union.name}{importer.label}"]] if titled else []
    path = write_file(tmp_path / "perturbed.xlsx", [*title, *example_table(importer, rows)])

    refused: DomainError | None = None
    try:
        preview = _import(actor, union, path, importer.key)
    except DomainError as err:
        refused = err
    if refused is not None:
        # Only a problem of the whole file (no rows, no header) may refuse it whole.
        assert refused.code in vars(SpreadsheetError).values(), refused
        assert ImportBatch.objects.filter(status=ImportStatus.FAILED).exists()
        assert fingerprint() == before
        return
    assert fingerprint() == before  # the preview writes nothing

    applied = import_apply(actor=actor, batch=preview, mode="valid_only")

    assert counts(applied) == counts(preview)
    again = _import(actor, union, path, importer.key)
    assert (again.new, again.updated, again.invalid) == (0, 0, preview.invalid)
    assert again.unchanged == preview.new + preview.updated + preview.unchanged
    assert undo_blockers(applied) == []
    import_undo(actor=actor, batch=applied)
    assert fingerprint() == before


@pytest.mark.parametrize("key", KEYS)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_what_the_preview_calls_valid_is_written_and_undone(
    key: str, district: Any, tmp_path: Path, data: Any
) -> None:
    importer = importer_for(key)
    examples = importer.example_rows(district.A)
    drawn = data.draw(perturbed_files(examples, [c.key for c in importer.columns]))
    # Each example starts from the same district: what it wrote is rolled back.
    with rolled_back():
        check_the_contract(importer, district, tmp_path, **drawn)


VALUES = {BLANK: "", GARBAGE: "不知道", LONG: "长" * 300}


@pytest.mark.parametrize("change", [BLANK, GARBAGE, LONG])
@pytest.mark.parametrize("key", KEYS)
def test_each_column_blank_garbage_or_too_long(
    key: str, change: str, district: Any, tmp_path: Path
) -> None:
    # The systematic sweep beside hypothesis's draws: every column in turn, in every example
    # row, the first of them on file already (so some rows are new and one is not).
    importer = importer_for(key)
    examples = importer.example_rows(district.A)
    for column in importer.columns:
        rows = [{**example, column.key: VALUES[change]} for example in examples]
        with rolled_back():
            check_the_contract(importer, district, tmp_path, on_file=[0], rows=rows)
