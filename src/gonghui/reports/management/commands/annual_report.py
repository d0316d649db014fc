from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gonghui.core.scope import SYSTEM
from gonghui.organisation.models import Union
from gonghui.reports.selectors import annual_report, format_value


class Command(BaseCommand):
    help = "Print the annual report's figures for a union (default: the root federation)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--union", help="the union's code (default: the root federation)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["csv", "text"], default="text")

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
        rows = annual_report(actor=SYSTEM, union=union, year=opts["year"])
        if opts["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["id", "value"])
            for r in rows:
                writer.writerow([r.entry.id, format_value(r.value)])
            return
        for r in rows:
            value = format_value(r.value) if r.computed else "—"
            self.stdout.write(f"{r.entry.id:<45} {value:>12} {r.unit_label}  {r.entry.zh}")
