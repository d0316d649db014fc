"""The report as files: the figures as an .xlsx workbook (one sheet per area, then the
records behind each figure), the draft as a .docx document.

Spreadsheet cells keep numbers as numbers, shown as the page shows them (``core.numbers``'s
spreadsheet formats); the document writes the figures as the draft's running text does.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from gonghui.core import numbers
from gonghui.core.export import cell_value

from .draft import Draft, draft_title
from .models import ReportRelease
from .records import listing
from .selectors import AnnualReport, ReportRow

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str, used: set[str]) -> str:
    """A unique sheet name of at most 31 characters without the forbidden ones."""
    base = _SHEET_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"
    title, n = base, 2
    while title in used:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _number(ws: Any, value: Any, unit: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=None if value is None else float(value))
    cell.number_format = numbers.excel_format(unit)
    return cell


def _points(ws: Any, value: Any) -> WriteOnlyCell:
    """A rate's change, in percentage points."""
    cell = WriteOnlyCell(ws, value=None if value is None else float(value))
    cell.number_format = "0.0"
    return cell


def _bold(ws: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=str(value))
    cell.font = BOLD
    return cell


def _figure_row(ws: Any, r: ReportRow) -> list[Any]:
    unit = r.entry.unit
    pending = _("尚未计算")
    change_pct = WriteOnlyCell(ws, value=None if r.change_pct is None else float(r.change_pct))
    change_pct.number_format = numbers.excel_format("percent")
    definition = WriteOnlyCell(ws, value=r.definition)
    definition.alignment = WRAP
    return [
        r.entry.id,
        r.label,
        _number(ws, r.value, unit) if r.computed else pending,
        _number(ws, r.last, unit),
        _number(ws, r.change, unit) if not r.is_rate else _points(ws, r.change),
        change_pct,
        r.unit_label,
        definition,
    ]


def report_xlsx(
    request: HttpRequest,
    report: AnnualReport,
    *,
    release: ReportRelease | None = None,
    with_records: bool = True,
) -> bytes:
    """The report as a workbook: a cover sheet, one sheet per area, then (``with_records``)
    one sheet per computed figure listing its records as ``request.user`` may see them."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    cover = wb.create_sheet(_sheet_title(_("说明"), used))
    cover.append([_bold(cover, report.union.name)])
    cover.append([_("报告期"), f"{report.year} · {report.kind_label}"])
    cover.append([_("起止日期"), f"{report.period.start} — {report.period.end}"])
    if release is not None:
        cover.append(
            [
                _("定稿"),
                f"{release.signed_by} · {timezone.localtime(release.signed_at):%Y-%m-%d %H:%M}",
            ]
        )
    else:
        cover.append([_("定稿"), _("未定稿（草稿）")])
    cover.append([_("导出时间"), f"{timezone.localtime():%Y-%m-%d %H:%M}"])
    cover.append([_("已计算"), f"{report.n_computed} / {len(report.rows)}"])
    headers = [
        _("指标编号"),
        _("指标"),
        str(report.year),
        _("上年"),
        _("增减"),
        _("增减率"),
        _("单位"),
        _("口径"),
    ]
    for area in report.areas:
        ws = wb.create_sheet(_sheet_title(area.label, used))
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 30
        ws.column_dimensions["H"].width = 60
        ws.append([_bold(ws, h) for h in headers])
        for r in area.rows:
            ws.append(_figure_row(ws, r))
    if with_records:
        for n, r in enumerate((r for r in report.rows if r.result is not None), start=1):
            for records, what in ((r.result.records, ""), (r.result.excluded, _("未计入"))):  # type: ignore[union-attr]
                if records is None:
                    continue
                shown = listing(request, records)
                ws = wb.create_sheet(_sheet_title(f"{n:02d} {what}{r.label}", used))
                ws.append([_bold(ws, f"{r.label}（{r.entry.id}）"), r.value_text, r.unit_label])
                if what:
                    ws.append([_("分母中未计入该比率的记录")])
                ws.append([_bold(ws, h) for h in shown.headers])
                for cells in shown.rows():
                    ws.append([cell_value(c) for c in cells])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _east_asian(run_or_style: Any, font: str) -> None:
    """Set the font Word uses for Chinese text (``w:eastAsia``), besides the Latin one."""
    run_or_style.font.name = font
    r_pr = run_or_style.element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def draft_docx(draft: Draft, *, subtitle: str = "") -> bytes:
    """The draft as a Word document: A4, the title, then each area's heading and paragraphs
    (first line indented two characters, as a Chinese report is set)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(26)
    section.top_margin = section.bottom_margin = Mm(25)
    normal = doc.styles["Normal"]
    _east_asian(normal, "宋体")
    normal.font.size = Pt(12)
    for name in ("Title", "Heading 1", "Heading 2"):
        _east_asian(doc.styles[name], "黑体")
    title = doc.add_heading(draft_title(draft), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        sub = doc.add_paragraph(subtitle)
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in draft.sections:
        doc.add_heading(part.label, level=2)
        for p in part.paragraphs:
            para = doc.add_paragraph(p.text)
            para.paragraph_format.first_line_indent = Pt(24)
            para.paragraph_format.line_spacing = 1.5
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()
