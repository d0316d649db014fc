"""A figure the seed report does not have: registered with its catalogue entry."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from gonghui.core.metrics import CatalogueEntry, MetricQuery, MetricResult, metric, register_figure

from .models import Loan

register_figure(
    CatalogueEntry(
        id="sample.loans",
        area="culture",
        owner="sampledomain",
        zh="职工书屋借阅",
        en="worker library loans",
        unit="count",
        unit_zh="册次",
        value="",
        bound="",
        definition="loans made in the period",
        definition_zh="期间内借出的图书册次",
    )
)


@metric("sample.loans")
def loans(q: MetricQuery) -> MetricResult:
    """Loans made in the subtree within the period."""
    qs = q.scoped(Loan.objects.all()).filter(lent_on__gte=q.period.start, lent_on__lte=q.period.end)
    return MetricResult(qs.count(), qs)


register_figure(
    CatalogueEntry(
        id="sample.return_rate",
        area="culture",
        owner="sampledomain",
        zh="职工书屋图书归还率",
        en="worker library return rate",
        unit="percent",
        unit_zh="%",
        value="",
        bound="",
        definition="loans returned in the period / loans made in the period",
        definition_zh="期间内归还的图书册次 ÷ 期间内借出的图书册次",
    )
)


@metric("sample.return_rate")
def return_rate(q: MetricQuery) -> MetricResult:
    """A rate as a library's ledger gives it: returns in the period over loans made in the
    period. Its records are the returns; ``excluded``, the period's loans not returned in it.
    Returns of earlier loans can take it above 100 %, which the report's logic check finds."""
    loans = q.scoped(Loan.objects.all())
    lent = loans.filter(lent_on__gte=q.period.start, lent_on__lte=q.period.end)
    returned = loans.filter(returned_on__gte=q.period.start, returned_on__lte=q.period.end)
    n_lent = lent.count()
    value = Decimal(returned.count() * 100) / n_lent if n_lent else Decimal(0)
    not_returned = lent.filter(Q(returned_on__isnull=True) | Q(returned_on__gt=q.period.end))
    return MetricResult(value.quantize(Decimal("0.1")), returned, excluded=not_returned)
