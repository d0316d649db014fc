"""A figure the seed report does not have: registered with its catalogue entry."""

from __future__ import annotations

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
