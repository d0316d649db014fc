"""The report as files: the figures as an .xlsx workbook (one sheet per area, then the
records behind each figure), the draft as a .docx document.

Spreadsheet cells keep numbers as numbers, shown as the page shows them (``core.numbers``'s
spreadsheet formats); the document writes the figures as the draft's running text does.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gonghui.core import numbers
from gonghui.core.export import cell_value
from gonghui.core.xlsx import Formatted, Sheet, write_workbook

from .draft import Draft, draft_title
from .models import ReportRelease
from .records import listing
from .selectors import AnnualReport, ReportRow

POINTS = "0.0"  # a rate's change, in percentage points
FORMATS = sorted(
    {numbers.excel_format(u) for u in ("count", "10k CNY", "yuan", "percent")} | {POINTS}
)
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


def _number(value: Any, fmt: str) -> Any:
    return None if value is None else Formatted(Decimal(value), fmt)


def _figure_row(r: ReportRow) -> list[Any]:
    fmt = numbers.excel_format(r.entry.unit)
    return [
        r.entry.id,
        r.label,
        _number(r.value, fmt) if r.computed else _("尚未计算"),
        _number(r.last, fmt),
        _number(r.change, POINTS if r.is_rate else fmt),
        _number(r.change_pct, numbers.excel_format("percent")),
        r.unit_label,
        r.definition,
    ]


def _records_sheet(
    request: HttpRequest, n: int, r: ReportRow, records: Any, excluded: bool, used: set[str]
) -> Sheet:
    shown = listing(request, records)
    what = _("未计入") if excluded else ""
    head: list[list[Any]] = [[f"{r.label}（{r.entry.id}）", r.value_text, r.unit_label]]
    if excluded:
        head.append([_("分母中未计入该比率的记录")])
    head.append(shown.headers)
    rows = ([cell_value(c) for c in cells] for cells in shown.rows())
    return Sheet(_sheet_title(f"{n:02d} {what}{r.label}", used), head, rows)


def report_xlsx(
    request: HttpRequest,
    report: AnnualReport,
    *,
    release: ReportRelease | None = None,
    with_records: bool = True,
) -> bytes:
    """The report as a workbook: a cover sheet, one sheet per area, then (``with_records``)
    one sheet per computed figure listing its records as ``request.user`` may see them (and
    one of the records a rate did not count)."""
    used: set[str] = set()
    signed = (
        f"{release.signed_by} · {timezone.localtime(release.signed_at):%Y-%m-%d %H:%M}"
        if release is not None
        else _("未定稿（草稿）")
    )
    cover = [
        [_("报告期"), f"{report.year} · {report.kind_label}"],
        [_("起止日期"), f"{report.period.start} — {report.period.end}"],
        [_("定稿"), signed],
        [_("导出时间"), f"{timezone.localtime():%Y-%m-%d %H:%M}"],
        [_("已计算"), f"{report.n_computed} / {len(report.rows)}"],
    ]
    sheets = [Sheet(_sheet_title(_("说明"), used), [[report.union.name]], cover, widths=(12, 60))]
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
        sheets.append(
            Sheet(
                _sheet_title(area.label, used),
                [headers],
                [_figure_row(r) for r in area.rows],
                cell_formats=FORMATS,
                widths=(34, 30, 12, 12, 12, 10, 8, 70),
            )
        )
    if with_records:
        computed = [r for r in report.rows if r.result is not None]
        for n, r in enumerate(computed, start=1):
            for records, excluded in ((r.result.records, False), (r.result.excluded, True)):  # type: ignore[union-attr]
                if records is not None:
                    sheets.append(_records_sheet(request, n, r, records, excluded, used))
    return write_workbook(sheets)


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
