from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gonghui.core.errors import DomainError
from gonghui.core.scope import SYSTEM
from gonghui.organisation.models import Union
from gonghui.reports.draft import draft_subtitle, draft_title, report_draft
from gonghui.reports.exports import draft_docx, report_xlsx
from gonghui.reports.printing import render_pdf, report_print_context
from gonghui.reports.records import reader_request
from gonghui.reports.releases import release_for
from gonghui.reports.selectors import annual_report, format_value, report_period

BINARY = {"xlsx", "pdf", "docx"}


class Command(BaseCommand):
    help = (
        "The annual report of a union (default: the root federation): its figures as csv or "
        "text, the workbook (xlsx), the printed report (pdf) or the draft of the work report "
        "(docx; pdf with --draft)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--union", help="the union's code (default: the root federation)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--period",
            choices=["calendar", "statistical"],
            default="calendar",
            help="the calendar year, or the statistical year (1 October to 30 September)",
        )
        parser.add_argument(
            "--format", choices=["csv", "text", "xlsx", "pdf", "docx"], default="text"
        )
        parser.add_argument("--draft", action="store_true", help="pdf: the draft's text")
        parser.add_argument(
            "--output",
            help="file to write xlsx/pdf/docx to ('-' for standard output; default: a file "
            "named after the union and year in the current directory)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        # A command-line operator acts with the server's own authority: every union.
        if opts["union"]:
            union = Union.objects.filter(code=opts["union"]).first()
            if union is None:
                raise CommandError(f"No union has the code {opts['union']!r}.")
        else:
            union = Union.objects.filter(parent__isnull=True).order_by("path").first()
            if union is None:
                raise CommandError("The database holds no union tree (run build_demo?).")
        fmt, year, kind = opts["format"], opts["year"], opts["period"]
        if fmt in ("csv", "text"):
            report = annual_report(actor=SYSTEM, union=union, year=year, kind=kind, compare=False)
            if fmt == "csv":
                writer = csv.writer(self.stdout, lineterminator="\n")
                writer.writerow(["id", "value"])
                for r in report.rows:
                    writer.writerow([r.entry.id, format_value(r.value)])
                return
            for r in report.rows:
                value = r.value_text if r.computed else "—"
                self.stdout.write(f"{r.entry.id:<45} {value:>14} {r.unit_label}  {r.entry.zh}")
            return
        content = self._binary(fmt, union, year, kind, draft=opts["draft"])
        output = opts["output"] or self._default_name(fmt, union, year, kind, opts["draft"])
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        Path(output).write_bytes(content)
        self.stdout.write(f"{output} ({len(content):,} bytes)")

    def _binary(self, fmt: str, union: Union, year: int, kind: str, *, draft: bool) -> bytes:
        if fmt == "docx" or (fmt == "pdf" and draft):
            period = report_period(year, kind)
            text = report_draft(actor=SYSTEM, union=union, period=period)
            if fmt == "docx":
                return draft_docx(text, subtitle=draft_subtitle(period))
            context = {
                "title": draft_title(text),
                "subtitle": draft_subtitle(period),
                "draft": text,
            }
            return self._pdf("reports/print/draft.html", context)
        report = annual_report(actor=SYSTEM, union=union, year=year, kind=kind)
        if fmt == "xlsx":
            release = release_for(actor=SYSTEM, union=union, period=report.period)
            return report_xlsx(reader_request(SYSTEM), report, release=release)
        return self._pdf("reports/print/report.html", report_print_context(SYSTEM, report))

    def _pdf(self, template: str, context: dict[str, Any]) -> bytes:
        try:
            return render_pdf(template, context)
        except DomainError as err:
            raise CommandError(str(err.message)) from None

    @staticmethod
    def _default_name(fmt: str, union: Union, year: int, kind: str, draft: bool) -> str:
        suffix = "-statistical" if kind == "statistical" else ""
        what = "draft" if draft or fmt == "docx" else "report"
        return f"{union.code}-{year}{suffix}-{what}.{fmt}"
