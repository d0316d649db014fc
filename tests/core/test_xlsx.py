"""The streaming .xlsx writer (core/xlsx.py): several sheets, number formats per column and
per cell, column widths; read back by openpyxl and calamine as any reader would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from gonghui.core.xlsx import Formatted, Sheet, write_workbook, write_xlsx


def test_several_sheets_with_formats_read_back():
    content = write_workbook(
        [
            Sheet("说明", [["江岸区总工会"]], [["报告期", "2015"]], widths=(12, 40)),
            Sheet(
                "组织建设",
                [["指标", "数值", "金额"]],
                [
                    ["新增会员", 19652, Decimal("106.7500")],
                    ["比率", Formatted(Decimal("85.3"), '0.0"%"'), None],
                    ["日期", dt.date(2015, 12, 31), True],
                ],
                formats=("", "#,##0", "#,##0.00"),
                cell_formats=('0.0"%"',),
            ),
            Sheet("a/b:c*d?e[f]g" * 3, [["x"]], iter([[1], [2]])),
        ]
    )
    book = load_workbook(BytesIO(content))
    assert book.sheetnames[:2] == ["说明", "组织建设"]
    assert len(book.sheetnames[2]) == 31
    assert "/" not in book.sheetnames[2]
    assert book["说明"]["A1"].font.b
    assert book["说明"].column_dimensions["B"].width == 40
    ws = book["组织建设"]
    assert [c.value for c in ws[1]] == ["指标", "数值", "金额"]
    assert ws["B2"].value == 19652
    assert ws["B2"].number_format == "#,##0"
    assert ws["C2"].value == 106.75
    assert ws["C2"].number_format == "#,##0.00"
    assert ws["B3"].value == 85.3
    assert ws["B3"].number_format == '0.0"%"'
    assert ws["B4"].value.date() == dt.date(2015, 12, 31)
    assert ws["C4"].value == "是"
    calamine = CalamineWorkbook.from_filelike(BytesIO(content))
    assert calamine.sheet_names[:2] == ["说明", "组织建设"]
    assert calamine.get_sheet_by_index(2).to_python() == [["x"], [1.0], [2.0]]


def test_one_sheet_writer_is_unchanged():
    book = load_workbook(BytesIO(write_xlsx("名单", ["姓名", "人数"], [["张三", 3]])))
    assert book.sheetnames == ["名单"]
    assert [[c.value for c in r] for r in book.active.iter_rows()] == [
        ["姓名", "人数"],
        ["张三", 3],
    ]
