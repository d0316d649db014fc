"""The labour-relations figures of the annual report and the three rates as figures of their
own (the logic check is in checks.py, the draft's paragraphs in paragraphs.py)."""

from __future__ import annotations

from django.db.models import Q

from gonghui.core.metrics import (
    CatalogueEntry,
    MetricQuery,
    MetricResult,
    metric,
    register_figure,
)

from . import rates
from .models import (
    Assessment,
    CollectiveContract,
    CsrLevel,
    CsrParticipation,
    CsrRating,
    DemoSite,
    SiteLevel,
    TripartiteMeeting,
)


def _within(q: MetricQuery, field: str) -> Q:
    return Q(**{f"{field}__gte": q.period.start, f"{field}__lte": q.period.end})


@metric("relations.harmony_demo_sites")
def harmony_demo_sites(q: MetricQuery) -> MetricResult:
    """District-level demonstration sites designated within the period."""
    qs = q.scoped(DemoSite.objects.all()).filter(
        _within(q, "designated_on"), level=SiteLevel.DISTRICT
    )
    return MetricResult(qs.count(), qs)


@metric("relations.csr_a_level_reviewed")
def csr_a_level_reviewed(q: MetricQuery) -> MetricResult:
    """Re-reviews made within the period of CSR ratings of level A."""
    qs = q.scoped(CsrRating.objects.all()).filter(
        _within(q, "rated_on"), reviews__isnull=False, reviews__level=CsrLevel.A
    )
    return MetricResult(qs.count(), qs)


@metric("relations.csr_sme_joined")
def csr_sme_joined(q: MetricQuery) -> MetricResult:
    """Small and medium enterprises enrolled in CSR building within the period."""
    qs = q.scoped(CsrParticipation.objects.all()).filter(_within(q, "joined_on"), sme=True)
    return MetricResult(qs.count(), qs)


@metric("relations.tripartite_meetings")
def tripartite_meetings(q: MetricQuery) -> MetricResult:
    """Tripartite meetings held within the period."""
    qs = q.scoped(TripartiteMeeting.objects.all()).filter(_within(q, "held_on"))
    return MetricResult(qs.count(), qs)


@metric("relations.harmony_index_samples")
def harmony_index_samples(q: MetricQuery) -> MetricResult:
    """Sampled enterprises whose data were collected on site within the period."""
    qs = q.scoped(Assessment.objects.all()).filter(_within(q, "collected_on"))
    return MetricResult(qs.values("enterprise").distinct().count(), qs)


@metric("relations.contracts_renewed")
def contracts_renewed(q: MetricQuery) -> MetricResult:
    """Contracts signed within the period that renew a contract of the same enterprise(s)
    and kind (``renews``)."""
    qs = q.scoped(CollectiveContract.objects.all()).filter(
        _within(q, "signed_on"), renews__isnull=False
    )
    return MetricResult(qs.count(), qs)


# --- the three rates on the period's last day ----------------------------------------------


def _rate_metric(key: str):
    def compute(q: MetricQuery) -> MetricResult:
        result = rates.rate(key, actor=q.actor, union=q.union, on=q.period.end)
        return MetricResult(result.value, result.counted, result.not_counted)

    compute.__doc__ = f"The {rates.DEFINITIONS[key].en} on the period's last day (rates.py)."
    return compute


for _key, _rate in rates.DEFINITIONS.items():
    register_figure(
        CatalogueEntry(
            id=_rate.figure_id,
            area="labour relations",
            owner="relations",
            zh=_rate.zh,
            en=_rate.en,
            unit="percent",
            unit_zh="%",
            value="",
            bound="",
            definition=f"on the period's last day: {_rate.definition}",
            definition_zh=f"报告期末：{_rate.definition_zh}",
        )
    )
    metric(_rate.figure_id)(_rate_metric(_key))
