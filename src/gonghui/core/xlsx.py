# ruff: noqa: E501 - the OOXML part names and content types are long by nature
"""A minimal, fast .xlsx writer: sheets of plain values, bold header rows, number formats.

openpyxl (write-only) needs about 13 s for 100,000 rows of 15 columns, XlsxWriter about 8 s;
this writer streams the sheet's XML straight into the zip in about 1.5 s. It writes only what
an export needs — inline strings, numbers (with a number format per column), dates, bold
header rows, column widths, several sheets — and every file it makes is read back by openpyxl
and calamine in the tests (docs/decisions/0008).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.date(1899, 12, 30)

_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_PLAIN, _BOLD, _DATE = 0, 1, 2  # the fixed cell styles; number formats follow from 3


@dataclass(frozen=True)
class Formatted:
    """A number shown in a format of its own (a row of figures in different units)."""

    value: Any
    format: str


@dataclass
class Sheet:
    """One sheet of a workbook: ``head`` rows in bold (the header), then ``rows``.

    ``formats`` gives a spreadsheet number format per column (``"#,##0"``, ``'0.0"%"'``; empty
    for none) for the numbers of ``rows``; a :class:`Formatted` cell uses its own, which must
    be one of ``cell_formats``; ``widths`` are column widths in characters.
    """

    title: str
    head: Sequence[Sequence[Any]]
    rows: Iterable[Sequence[Any]]
    formats: Sequence[str] = ()
    cell_formats: Sequence[str] = ()
    widths: Sequence[float] = ()


def _content_types(n_sheets: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}"
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    )


def _workbook_rels(n_sheets: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{sheets}"
        f'<Relationship Id="rId{n_sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


def _styles(formats: Sequence[str]) -> str:
    """Cell styles: 0 plain, 1 bold (header), 2 date (yyyy-mm-dd), then one per number format."""
    num_fmts = ['<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'] + [
        f'<numFmt numFmtId="{165 + i}" formatCode="{escape(f, {chr(34): "&quot;"})}"/>'
        for i, f in enumerate(formats)
    ]
    xfs = [
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    ] + [
        f'<xf numFmtId="{165 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for i in range(len(formats))
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="{len(num_fmts)}">{"".join(num_fmts)}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _cell(value: Any, style: int = _PLAIN) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return "<c/>"  # cells carry no reference: an empty one keeps the next in its column
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, Decimal):
        return f"<c{s}><v>{value:f}</v></c>"
    if isinstance(value, int | float):
        return f"<c{s}><v>{value!r}</v></c>"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f'<c s="{_DATE}"><v>{(value - _EPOCH).days}</v></c>'
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_name(title: str) -> str:
    return escape(_ILLEGAL.sub("", re.sub(r"[\[\]:*?/\\]", " ", title))[:31] or "Sheet1")


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of ``sheets``, each streamed into the zip as its rows are produced."""
    formats: list[str] = []
    for sheet in sheets:
        for f in (*sheet.formats, *sheet.cell_formats):
            if f and f not in formats:
                formats.append(f)
    style_of = {f: 3 + i for i, f in enumerate(formats)}
    names = "".join(
        f'<sheet name="{_sheet_name(sheet.title)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, sheet in enumerate(sheets, start=1)
    )
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{names}</sheets></workbook>",
        )
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _styles(formats))
        for i, sheet in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w") as out:
                _write_sheet(out, sheet, [style_of.get(f, _PLAIN) for f in sheet.formats], style_of)
    return buf.getvalue()


def _write_sheet(out: Any, sheet: Sheet, styles: list[int], style_of: dict[str, int]) -> None:
    out.write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    if sheet.widths:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(sheet.widths, start=1)
            if w
        )
        out.write(f"<cols>{cols}</cols>".encode())
    out.write(b"<sheetData>")
    head = "".join("<row>" + "".join(_cell(v, _BOLD) for v in row) + "</row>" for row in sheet.head)
    out.write(head.encode())
    chunk: list[str] = []
    for row in sheet.rows:
        cells = (
            _cell(v.value, style_of[v.format])
            if isinstance(v, Formatted)
            else _cell(
                v, styles[j] if j < len(styles) and isinstance(v, int | float | Decimal) else 0
            )
            for j, v in enumerate(row)
        )
        chunk.append("<row>" + "".join(cells) + "</row>")
        if len(chunk) >= 2000:
            out.write("".join(chunk).encode())
            chunk.clear()
    out.write("".join(chunk).encode())
    out.write(b"</sheetData></worksheet>")


def write_xlsx(title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """A workbook with one sheet named ``title``: ``header`` in bold, then ``rows``."""
    return write_workbook([Sheet(title, [header], rows)])
