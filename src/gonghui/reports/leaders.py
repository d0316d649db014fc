"""The leaders' dashboard (管理可视化): the union's headline figures, the same per union one
level down (the streets of the district), what waits to be done, and the charts the domains
registered — on the page and in the printed report.

Everything here is assembled from registries (figures, union counters, to-dos, charts): the
dashboard names no domain, and reads for the viewer like every report page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gonghui.core.backoffice import Chart, Todo, charts_for, todos_for, union_counters
from gonghui.core.metrics import MetricQuery, Period, compute, entry
from gonghui.core.scope import Actor
from gonghui.organisation.selectors import tree_top

from .selectors import ReportRow

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


#: the figures the dashboard shows for the union and for each union below it (skipped until
#: their domain computes them)
HEADLINE = (
    "org.unions_founded",
    "org.members_joined",
    "services.mobile_service_days",
    "assistance.hardship_families",
    "assistance.festival_amount_wan",
)


@dataclass
class ChildRow:
    union: Union
    counters: list[int]
    figures: list[ReportRow]


@dataclass
class LeadersDashboard:
    union: Union
    period: Period
    headline: list[ReportRow]
    counter_labels: list[str]
    counters: list[int]  # the union's own subtree totals
    children: list[ChildRow]
    todos: list[Todo]
    charts: list[Chart]

    @property
    def totals(self) -> list[tuple[str, int]]:
        return list(zip(self.counter_labels, self.counters, strict=True))


def _headline(actor: Actor, union: Union, period: Period) -> list[ReportRow]:
    q = MetricQuery(actor=actor, union=union, period=period)
    rows = []
    for metric_id in HEADLINE:
        figure = entry(metric_id)
        result = compute(metric_id, q)
        if figure is not None and result is not None:
            rows.append(ReportRow(entry=figure, result=result))
    return rows


def leaders_dashboard(
    *, actor: Actor, union: Union, period: Period, today: dt.date | None = None
) -> LeadersDashboard:
    """The dashboard of ``union``'s subtree for ``period`` as ``actor`` may see it: counters
    on the period's last day (or today, if earlier)."""
    on = min(period.end, today) if today else period.end
    counters = [c for c in union_counters() if c.rolls_up]
    # the union and the level below, counted over their subtrees only (as the tree's first
    # page): dissolved sub-unions stay listed, the period may have seen them at work
    nodes = tree_top(actor=actor, on=on, root=union, show_dissolved=True)
    own = next((n for n in nodes if n.union.pk == union.pk), None)
    children = [n for n in nodes if n.union.parent_id == union.pk]
    return LeadersDashboard(
        union=union,
        period=period,
        headline=_headline(actor, union, period),
        counter_labels=[str(c.label) for c in counters],
        counters=[own.total.get(c.key, 0) if own else 0 for c in counters],
        children=[
            ChildRow(
                union=n.union,
                counters=[n.total.get(c.key, 0) for c in counters],
                figures=_headline(actor, n.union, period),
            )
            for n in children
        ],
        todos=todos_for(actor),
        charts=charts_for(actor, union, period.year),
    )
