"""Every write of the sample domain: keyword-only, taking the actor, atomic, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.editing import apply_edit, refuse_unknown_fields
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.scope import require_write

from .models import Loan


@transaction.atomic
def loan_create(
    *,
    actor: Any,
    union: Any,
    title: str,
    borrower: str,
    lent_on: dt.date,
    due_on: dt.date,
    returned_on: dt.date | None = None,
    import_batch: Any = None,
) -> Loan:
    """Record a loan; the union is re-read under its lock (it may be dissolved meanwhile)."""
    require_write(actor, union)
    union = lock(union)
    if union.dissolved_on is not None:
        raise DomainError("union_dissolved", "该工会已撤销。", field="union")
    if due_on < lent_on:
        raise DomainError("bad_dates", "应还日期不能早于借出日期。", field="due_on")
    _check_returned(lent_on, returned_on)
    loan = Loan(
        union=union,
        title=title,
        borrower=borrower,
        lent_on=lent_on,
        due_on=due_on,
        returned_on=returned_on,
        import_batch=import_batch,
    )
    loan.full_clean()
    loan.save()
    audit.record(actor=actor, obj=loan, action="loan.create", message=f"借出《{title}》")
    return loan


def _check_returned(lent_on: dt.date, returned_on: dt.date | None) -> None:
    if returned_on is not None and returned_on < lent_on:
        raise DomainError("bad_dates", "归还日期不能早于借出日期。", field="returned_on")


@transaction.atomic
def loan_update(*, actor: Any, loan: Loan, **fields: Any) -> Loan:
    """Change when a loan is due or was returned."""
    require_write(actor, loan.union)
    refuse_unknown_fields(fields, {"due_on", "returned_on"})
    if fields.get("due_on") is not None and fields["due_on"] < loan.lent_on:
        raise DomainError("bad_dates", "应还日期不能早于借出日期。", field="due_on")
    _check_returned(loan.lent_on, fields.get("returned_on"))
    return apply_edit(
        actor=actor, obj=loan, fields=fields, action="loan.update", message="修改借阅"
    )
