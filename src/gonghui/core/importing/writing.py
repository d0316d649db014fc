"""Writing an import's rows through a domain's services, and checking them the same way.

A preview that applies rules of its own can disagree with the write: it calls a row valid
that the service then refuses, and the whole file fails at the last step. So an importer that
writes through its services checks its plan by *rehearsing* the write: the same code writes
every row, each in a savepoint, inside a transaction that is always rolled back. A row the
services refuse becomes invalid, its error naming the file's column and the cell's value; the
rows left valid are those the real write will accept (it runs later against the records as
they are then, in the apply's one transaction).

::

    def plan(self, *, actor, union, table):
        plan = self.sort(actor, union, table)  # new / updates / unchanged / invalid
        return rehearse(plan, lambda writer: self.write_rows(actor, union, plan, writer))

    def write(self, *, actor, batch, plan, progress):
        return self.write_rows(actor, batch.union, plan, RowWriter(plan.table, strict=True))

    def write_rows(self, actor, union, plan, writer):
        for row in plan.new:
            with writer.row(row) as outcome:
                made = services.thing_create(actor=actor, union=union, **row.values)
            if outcome.refused:
                continue
            ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError

from .engine import ImportErrorCode, Plan
from .spreadsheet import Column, Row, RowError, Table, text


@dataclass
class Outcome:
    """What became of one row's write: ``refused`` once a service refused it."""

    refused: bool = False


class RowWriter:
    """Writes rows one by one, each in a savepoint, and turns a service's refusal into an
    error of the row that names the column as the file writes it and the cell's value.

    ``strict`` (the real write): the first refusal stops the import with a DomainError that
    names the row and the column. Otherwise (a rehearsal) the refused row is rolled back to its
    savepoint, keeps its errors, and the next row is written.

    ``fields`` maps a model field a service may name to the column key it comes from, where
    they differ; ``columns`` gives the headers of columns a file may lack.
    """

    def __init__(
        self,
        table: Table,
        *,
        strict: bool,
        fields: Mapping[str, str] | None = None,
        columns: tuple[Column, ...] = (),
    ) -> None:
        self.table = table
        self.strict = strict
        self.fields = dict(fields or {})
        self.headers = {c.key: c.header for c in columns}

    @contextmanager
    def row(self, row: Row) -> Iterator[Outcome]:
        outcome = Outcome()
        try:
            with transaction.atomic():
                yield outcome
        except DomainError as err:
            self._refused(row, [(err.field, err.message)], err)
            outcome.refused = True
        except ValidationError as err:
            self._refused(row, _messages(err), err)
            outcome.refused = True

    def refuse(self, row: Row, key: str, message: Any) -> None:
        """Refuse ``row`` for a reason of the importer's own, on column ``key``."""
        self._refused(row, [(key, message)], None)

    def _refused(
        self, row: Row, problems: list[tuple[str | None, Any]], cause: Exception | None
    ) -> None:
        errors = [self._error(row, field, message) for field, message in problems]
        if self.strict:
            raise DomainError(ImportErrorCode.ROW_REFUSED, refusal_message(errors)) from cause

    def _error(self, row: Row, field: str | None, message: Any) -> RowError:
        """The row's error for ``field`` (recorded on the row), in the file's terms."""
        key = self.fields.get(field or "", field or "")
        if key and (self.table.column_of(key) is not None or key in self.headers):
            return self.table.error(row, key, message, header=self.headers.get(key, key))
        problem = RowError(row.number, "", "", str(message))
        row.errors.append(problem)
        return problem


def _messages(err: ValidationError) -> list[tuple[str | None, Any]]:
    if hasattr(err, "error_dict"):
        return [
            (None if field == NON_FIELD_ERRORS else field, message)
            for field, errors in err.message_dict.items()
            for message in errors
        ]
    return [(None, message) for message in err.messages]


def refusal_message(errors: list[RowError]) -> str:
    """One sentence per problem, each naming the row and, where it has one, the column and
    the value: "第 2 行“行业”列：此字段不能为空。"."""
    parts = []
    for e in errors:
        if e.column and e.value:
            parts.append(
                _("第 %(row)d 行“%(column)s”列（%(value)s）：%(why)s")
                % {"row": e.row, "column": e.column, "value": text(e.value), "why": e.message}
            )
        elif e.column:
            parts.append(
                _("第 %(row)d 行“%(column)s”列：%(why)s")
                % {"row": e.row, "column": e.column, "why": e.message}
            )
        else:
            parts.append(_("第 %(row)d 行：%(why)s") % {"row": e.row, "why": e.message})
    return "；".join(str(p) for p in parts)


def rehearse(plan: Plan, write: Callable[[RowWriter], object], **writer: Any) -> Plan:
    """Check ``plan`` with the rules the writing applies: ``write`` the new and updated rows
    in a transaction that is then rolled back; the rows it refused move to ``invalid``."""
    with transaction.atomic():
        write(RowWriter(plan.table, strict=False, **writer))
        transaction.set_rollback(True)
    refused = [r for r in plan.new if r.errors]
    refused += [u.row for u in plan.updates if u.row.errors]
    plan.new = [r for r in plan.new if not r.errors]
    plan.updates = [u for u in plan.updates if not u.row.errors]
    plan.invalid = sorted([*plan.invalid, *refused], key=lambda r: r.number)
    return plan
