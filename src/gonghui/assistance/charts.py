"""The assistance's chart for the leaders' dashboard and the workbench: each aid programme
of the year, run in the union's subtree, its budget against what it has paid (万元)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gonghui.core.backoffice import Chart, register_charts
from gonghui.core.charts import bar
from gonghui.core.scope import Actor, subtree_queryset

from .selectors import programme_list

WAN = Decimal(10_000)
SHOWN = 12  # programmes drawn one by one; the rest are summed as one bar


def charts(actor: Actor, union: Any, year: int) -> list[Chart]:
    programmes = list(
        subtree_queryset(programme_list(actor=actor), union)
        .filter(year=year)
        .order_by("-budget", "name")
        .values_list("name", "budget", "paid")
    )
    shown, rest = programmes[:SHOWN], programmes[SHOWN:]
    if rest:
        shown.append(
            (
                _("其他 %(n)s 个项目") % {"n": len(rest)},
                sum((b for _n, b, _p in rest), Decimal(0)),
                sum((p for _n, _b, p in rest), Decimal(0)),
            )
        )
    svg = bar(
        _("%(year)s年帮扶项目预算与已发放（万元）") % {"year": year},
        [name for name, _b, _p in shown],
        {
            _("预算"): [(b / WAN).quantize(Decimal("0.01")) for _n, b, _p in shown],
            _("已发放"): [(p / WAN).quantize(Decimal("0.01")) for _n, _b, p in shown],
        },
        horizontal=True,
    )
    return [Chart("assistance.budget", _("帮扶项目预算与已发放"), svg, "assistance")]


register_charts("assistance", charts)
