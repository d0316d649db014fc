"""The organisation's charts for the leaders' dashboard and the workbench (registered with
``core.backoffice.register_charts``): unions over the years, and per union one level down.

``sub_unions`` and ``child_path`` are how every domain's chart groups its records by the
union one level below the report's union (the streets of a district, the communities of a
street): one ``GROUP BY`` on a prefix of the materialized path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Chart, register_charts
from gonghui.core.charts import bar, line
from gonghui.core.scope import Actor, subtree_queryset

from .models import PATH_SEGMENT
from .selectors import union_list

YEARS = 6  # the report's year and the five before it


def sub_unions(*, actor: Actor, union: Any) -> list[tuple[str, str]]:
    """(path, name) of the unions one level below ``union`` that ``actor`` may see."""
    return list(
        union_list(actor=actor).filter(parent=union).order_by("path").values_list("path", "name")
    )


def child_path(lookup: str, union: Any) -> Substr:
    """The path of the union one level below ``union`` that a record (whose union path is at
    ``lookup``) belongs to; a record of ``union`` itself gets ``union``'s own path."""
    return Substr(lookup, 1, len(union.path) + 1 + PATH_SEGMENT)


def existing_q(on: dt.date) -> Q:
    """Unions in existence on ``on`` (an undated founding counts as before)."""
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=on)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)
    )


def charts(actor: Actor, union: Any, year: int) -> list[Chart]:
    unions = subtree_queryset(union_list(actor=actor), union)
    years = list(range(year - YEARS + 1, year + 1))
    counts = unions.aggregate(
        **{str(y): Count("pk", filter=existing_q(dt.date(y, 12, 31))) for y in years}
    )
    founded = unions.aggregate(
        **{
            str(y): Count("pk", filter=Q(founded_on__range=(dt.date(y, 1, 1), dt.date(y, 12, 31))))
            for y in years
        }
    )
    over_time = line(
        _("工会组织数（年末）"),
        [str(y) for y in years],
        {
            _("工会组织"): [counts[str(y)] for y in years],
            _("当年新建"): [founded[str(y)] for y in years],
        },
    )
    end = dt.date(year, 12, 31)
    children = sub_unions(actor=actor, union=union)
    rows = dict(
        unions.filter(existing_q(end))
        .order_by()
        .annotate(child=child_path("path", union))
        .values("child")
        .annotate(n=Count("pk"))
        .values_list("child", "n")
    )
    per_child = bar(
        _("%(year)s年末各下级工会的工会组织数") % {"year": year},
        [name for _path, name in children],
        {_("工会组织"): [rows.get(path, 0) for path, _name in children]},
        horizontal=True,
    )
    return [
        Chart("organisation.unions", _("工会组织数（年末）"), over_time, "organisation"),
        Chart(
            "organisation.unions_per_child", _("各下级工会的工会组织数"), per_child, "organisation"
        ),
    ]


register_charts("organisation", charts)
