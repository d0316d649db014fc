"""The sample domain's importer: a library's list of loans, written through its services.

Nothing in core, membership or the upload pages names it: registering it in ``apps.py`` is
all it takes to be offered on the upload page, checked, applied and undone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gonghui.core.importing.engine import Importer, Plan, Progress, Update
from gonghui.core.importing.spreadsheet import Column, Table, parse_date, text
from gonghui.core.importing.writing import RowWriter, rehearse
from gonghui.core.models import ImportBatch

from . import services
from .models import Loan, Renewal
from .selectors import loan_list

CHANGEABLE = ("due_on", "returned_on")


class LoanListImporter(Importer):
    """Loans of the union's workers' library, matched by book, borrower and lending day."""

    key = "loans"
    label = "职工书屋借阅记录"
    help_text = "借阅记录登记到所选工会的职工书屋"
    columns = (
        Column("title", "书名", ("图书名称",), required=True),
        Column("borrower", "借阅人", ("借书人",), required=True),
        Column("lent_on", "借出日期", ("借阅日期",), required=True),
        Column("due_on", "应还日期", ("到期日期",), required=True),
        Column("returned_on", "归还日期"),
    )

    def parsers(self) -> dict[str, Any]:
        # Free text as typed: its length is the model's rule, checked by the rehearsal.
        dates = {k: parse_date for k in ("lent_on", "due_on", "returned_on")}
        return {"title": text, "borrower": text, **dates}

    def plan(self, *, actor: Any, union: Any, table: Table) -> Plan:
        plan = Plan(table=table)
        on_file = {
            (loan.title, loan.borrower, loan.lent_on): loan
            for loan in loan_list(actor=actor).filter(union=union)
        }
        seen: dict[tuple[Any, ...], int] = {}
        for row in table.rows:
            if row.errors:
                plan.invalid.append(row)
                continue
            v = row.values
            key = (v["title"], v["borrower"], v["lent_on"])
            if key in seen:
                table.error(row, "title", f"与第 {seen[key]} 行是同一次借阅。")
                plan.invalid.append(row)
                continue
            seen[key] = row.number
            loan = on_file.get(key)
            if loan is None:
                plan.new.append(row)
                continue
            changes = {
                f: v[f] for f in CHANGEABLE if v.get(f) is not None and getattr(loan, f) != v[f]
            }
            if changes:
                plan.updates.append(Update(row, loan, changes))
            else:
                plan.unchanged.append(row)
        return rehearse(
            plan, lambda writer: self._write(actor, union, plan, writer), columns=self.columns
        )

    def write(
        self, *, actor: Any, batch: ImportBatch, plan: Plan, progress: Progress
    ) -> dict[str, Any]:
        writer = RowWriter(plan.table, strict=True, columns=self.columns)
        return self._write(actor, batch.union, plan, writer, batch=batch)

    def _write(
        self, actor: Any, union: Any, plan: Plan, writer: RowWriter, batch: Any = None
    ) -> dict[str, Any]:
        for row in plan.new:
            v = row.values
            with writer.row(row):
                services.loan_create(
                    actor=actor,
                    union=union,
                    title=v["title"],
                    borrower=v["borrower"],
                    lent_on=v["lent_on"],
                    due_on=v["due_on"],
                    returned_on=v.get("returned_on"),
                    import_batch=batch,
                )
        updated = []
        for update in plan.updates:
            before = {f: _iso(getattr(update.record, f)) for f in update.changes}
            with writer.row(update.row) as outcome:
                services.loan_update(actor=actor, loan=update.record, **update.changes)
            if not outcome.refused:
                updated.append({"id": update.record.pk, "before": before})
        return {"updated": updated}

    def undo_blockers(self, batch: ImportBatch) -> list[str]:
        if Renewal.objects.filter(loan__import_batch=batch).exists():
            return ["本批导入的借阅已有续借记录。"]
        return []

    def undo(self, *, actor: Any, batch: ImportBatch) -> None:
        for entry in batch.undo_log.get("updated", []):
            before = {
                f: dt.date.fromisoformat(v) if v else None for f, v in entry["before"].items()
            }
            services.loan_update(actor=actor, loan=Loan.objects.get(pk=entry["id"]), **before)
        Loan.objects.filter(import_batch=batch).delete()

    def example_rows(self, union: Any = None) -> list[dict[str, Any]]:
        return [
            {
                "title": "平凡的世界",
                "borrower": "张三",
                "lent_on": "2015-03-01",
                "due_on": "2015-04-01",
            },
            {
                "title": "人生",
                "borrower": "李四",
                "lent_on": "2015年5月1日",
                "due_on": "2015-06-01",
                "returned_on": "2015-05-20",
            },
            {"title": "围城", "borrower": "王五", "lent_on": "2015-07-01", "due_on": "2015-08-01"},
        ]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
