"""Assistance test data, built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.assistance import services
from gonghui.assistance.models import ProgrammeKind, RecipientKind
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "证明.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def programme(
    actor: Any,
    union: Any,
    *,
    kind: str = ProgrammeKind.EDUCATION,
    budget: str = "10000.00",
    year: int = 2015,
    name: str | None = None,
    **kw: Any,
) -> Any:
    return services.programme_create(
        actor=actor,
        union=union,
        name=name or f"{year}年{ProgrammeKind(kind).label}",
        kind=kind,
        year=year,
        budget=Decimal(budget),
        **kw,
    )


def person(actor: Any, union: Any, **kw: Any) -> Any:
    kw.setdefault("joined", dt.date(2012, 1, 1))
    return f.make_person(actor, union, **kw)


def hardship(actor: Any, union: Any, head: Any, **kw: Any) -> Any:
    return services.hardship_file_create(
        actor=actor,
        union=union,
        head=head,
        filed_on=kw.pop("filed_on", dt.date(2014, 3, 1)),
        household_size=kw.pop("household_size", 3),
        income_per_head=kw.pop("income_per_head", Decimal("520.00")),
        threshold=kw.pop("threshold", Decimal("872.00")),
        causes=kw.pop("causes", ["cause_illness"]),
        **kw,
    )


def paid(proposer: Any, approver: Any, prog: Any, who: Any, amount: str = "500.00", **kw: Any):
    d = services.disbursement_propose(
        actor=proposer, programme=prog, person=who, amount=Decimal(amount), reason="测试发放", **kw
    )
    services.disbursement_approve(actor=approver, disbursement=d)
    return services.disbursement_pay(actor=approver, disbursement=d, paid_on=dt.date(2015, 6, 1))


HOUSEHOLD = RecipientKind.HOUSEHOLD
