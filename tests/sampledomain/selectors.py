"""Every read of the sample domain, scoped to the actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from gonghui.core.scope import scope_queryset

from .models import Loan


def loan_list(*, actor: Any) -> QuerySet[Loan]:
    return scope_queryset(actor, Loan.objects.select_related("union"))


def overdue(*, actor: Any, on: dt.date) -> QuerySet[Loan]:
    return loan_list(actor=actor).filter(returned_on__isnull=True, due_on__lt=on)
