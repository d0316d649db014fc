"""Rows written through a domain's services: a refusal names the row, the column as the file
writes it and the cell's value, whether it comes from a DomainError or a model's validation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from gonghui.core.errors import DomainError
from gonghui.core.importing.engine import ImportErrorCode
from gonghui.core.importing.spreadsheet import Column, Row, Table
from gonghui.core.importing.writing import RowWriter

pytestmark = pytest.mark.django_db

COLUMNS = (Column("name", "企业名称", required=True), Column("industry", "行业"))


def table_of(*rows: list[Any]) -> Table:
    """A table whose file has the columns 名称 (as the file writes it) and 行业."""
    parsed = [Row(number=n, values={}, raw=raw) for n, raw in enumerate(rows, start=2)]
    return Table(1, ["名称", "行业"], {0: "name", 1: "industry"}, [], parsed, 0)


def test_a_rehearsal_keeps_each_refusal_on_its_row_with_column_and_value() -> None:
    table = table_of(["甲公司", "不知道"], ["乙公司", "C"])
    writer = RowWriter(table, strict=False, columns=COLUMNS)

    with writer.row(table.rows[0]) as outcome:
        raise ValidationError({"industry": ["“不知道”不是合法选项。"]})
    assert outcome.refused
    with writer.row(table.rows[1]) as second:
        pass
    assert not second.refused

    (error,) = table.rows[0].errors
    assert (error.row, error.column, error.value) == (2, "行业", "不知道")
    assert table.rows[1].errors == []


def test_the_write_stops_at_a_refusal_naming_row_column_and_value() -> None:
    table = table_of(["甲公司", ""])
    writer = RowWriter(table, strict=True, columns=COLUMNS)

    with pytest.raises(DomainError) as info, writer.row(table.rows[0]):
        raise ValidationError({"industry": ["此字段不能为空。"], "name": ["名称太像了。"]})

    assert info.value.code == ImportErrorCode.ROW_REFUSED
    assert str(info.value.message) == (
        "第 2 行“行业”列：此字段不能为空。；第 2 行“名称”列（甲公司）：名称太像了。"
    )


def test_a_field_the_file_lacks_is_named_by_its_template_header() -> None:
    table = Table(1, ["名称"], {0: "name"}, [], [Row(2, {}, ["甲公司"])], 0)

    with pytest.raises(DomainError) as info:
        RowWriter(table, strict=True, columns=COLUMNS).refuse(table.rows[0], "industry", "缺少。")

    assert str(info.value.message) == "第 2 行“行业”列：缺少。"


def test_a_refusal_of_the_whole_row_names_the_row() -> None:
    table = table_of(["甲公司", "C"])

    with pytest.raises(DomainError) as info, RowWriter(table, strict=True).row(table.rows[0]):
        raise DomainError("union_dissolved", "该工会已撤销。", field="union")

    assert str(info.value.message) == "第 2 行：该工会已撤销。"
