"""The membership figures of the annual report."""

from __future__ import annotations

from typing import Any

from gonghui.reports.registry import MetricResult, metric

from .selectors import members_joined


@metric("org.members_joined")
def members_joined_in_year(scope_union: Any, year: int) -> MetricResult:
    """Membership records started by joining (not by transfer) in the subtree in the year."""
    qs = members_joined(actor=None, union=scope_union, year=year)
    return MetricResult(qs.count(), qs)
