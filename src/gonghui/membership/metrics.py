"""The membership figures of the annual report."""

from __future__ import annotations

from gonghui.core.metrics import MetricQuery, MetricResult, metric

from .selectors import members_joined


@metric("org.members_joined")
def members_joined_in_period(q: MetricQuery) -> MetricResult:
    """Membership records started by joining (not by transfer) in the subtree in the period."""
    qs = members_joined(actor=q.actor, union=q.union, period=q.period)
    return MetricResult(qs.count(), qs)
