"""The activities' chart for the leaders' dashboard and the workbench: activities held in
each month of the year, by kind."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Chart, register_charts
from gonghui.core.charts import bar
from gonghui.core.metrics import Period
from gonghui.core.scope import Actor

from .models import ActivityKind
from .selectors import held_in


def charts(actor: Actor, union: Any, year: int) -> list[Chart]:
    held = held_in(actor=actor, union=union, period=Period.of(year)).order_by()
    counts: dict[str, list[int]] = {}
    for row in (
        held.annotate(month=ExtractMonth("starts_on"))
        .values("kind", "month")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(row["kind"], [0] * 12)[row["month"] - 1] = row["n"]
    series = {
        str(ActivityKind(kind).label): counts[kind]
        for kind in ActivityKind.values
        if kind in counts
    }
    svg = bar(
        _("%(year)s年各月举办的活动（按类别）") % {"year": year},
        [_("%(m)s月") % {"m": m} for m in range(1, 13)],
        series,
        stacked=True,
    )
    return [Chart("activities.by_month", _("各月举办的活动"), svg, "culture")]


register_charts("activities", charts)
