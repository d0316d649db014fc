"""Every write of the sample domain: keyword-only, taking the actor, atomic, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.scope import require_write

from .models import Loan


@transaction.atomic
def loan_create(
    *, actor: Any, union: Any, title: str, borrower: str, lent_on: dt.date, due_on: dt.date
) -> Loan:
    """Record a loan; the union is re-read under its lock (it may be dissolved meanwhile)."""
    require_write(actor, union)
    union = lock(union)
    if union.dissolved_on is not None:
        raise DomainError("union_dissolved", "该工会已撤销。", field="union")
    if due_on < lent_on:
        raise DomainError("bad_dates", "应还日期不能早于借出日期。", field="due_on")
    loan = Loan(union=union, title=title, borrower=borrower, lent_on=lent_on, due_on=due_on)
    loan.full_clean()
    loan.save()
    audit.record(actor=actor, obj=loan, action="loan.create", message=f"借出《{title}》")
    return loan
