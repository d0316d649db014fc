"""The membership's charts for the leaders' dashboard and the workbench: members at each
month's end, and per union one level down (members at the year's end, new members)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Chart, register_charts
from gonghui.core.charts import bar, line
from gonghui.core.scope import Actor, subtree_queryset
from gonghui.organisation.charts import child_path, sub_unions

from .models import StartReason
from .selectors import membership_list, on_date_q


def month_ends(year: int) -> list[dt.date]:
    return [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]


def charts(actor: Actor, union: Any, year: int) -> list[Chart]:
    members = subtree_queryset(membership_list(actor=actor), union).order_by()
    series = {}
    for y in (year - 1, year):
        ends = month_ends(y)
        counts = members.aggregate(
            **{f"m{i}": Count("pk", filter=on_date_q(d)) for i, d in enumerate(ends)}
        )
        series[_("%(year)s年") % {"year": y}] = [counts[f"m{i}"] for i in range(12)]
    over_time = line(_("会员人数（月末）"), [_("%(m)s月") % {"m": m} for m in range(1, 13)], series)
    end = dt.date(year, 12, 31)
    joined = Q(start_reason=StartReason.JOINED, started_on__range=(dt.date(year, 1, 1), end))
    rows: dict[str, dict[str, Any]] = {
        r["child"]: dict(r)
        for r in members.annotate(child=child_path("union__path", union))
        .values("child")
        .annotate(n=Count("pk", filter=on_date_q(end)), new=Count("pk", filter=joined))
    }
    children = sub_unions(actor=actor, union=union)
    per_child = bar(
        _("%(year)s年各下级工会会员") % {"year": year},
        [name for _path, name in children],
        {
            _("年末会员"): [rows.get(p, {}).get("n", 0) for p, _n in children],
            _("当年新增会员"): [rows.get(p, {}).get("new", 0) for p, _n in children],
        },
        horizontal=True,
    )
    return [
        Chart("membership.members", _("会员人数（月末）"), over_time, "organisation"),
        Chart("membership.members_per_child", _("各下级工会会员"), per_child, "organisation"),
    ]


register_charts("membership", charts)
