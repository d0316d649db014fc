"""The back office's landing page (工作台): for the user's own scope, what waits for them
(the to-dos every app registered), the year's key figures against the year before (a year
picker), the charts the domains registered (server-drawn SVG), the cards, and the way to the
tree and the report. It names no domain: everything comes from the registries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Panel, cards_for, charts_for, todos_for
from gonghui.core.metrics import MetricQuery, compute, entry
from gonghui.core.scope import Actor
from gonghui.organisation.selectors import union_roots

from .leaders import HEADLINE
from .selectors import ReportRow, default_report_year, report_period

#: years offered by the picker, counting back from this year
YEARS_OFFERED = 12


def key_figures(*, actor: Actor, union: Any, year: int) -> list[ReportRow]:
    """The headline figures of ``union``'s subtree in ``year``, each with last year's value
    (figures whose domain has not landed are left out)."""
    period = report_period(year)
    query = MetricQuery(actor=actor, union=union, period=period)
    before = query.with_period(period.previous())
    rows = []
    for metric_id in HEADLINE:
        figure = entry(metric_id)
        result = compute(metric_id, query)
        if figure is not None and result is not None:
            rows.append(ReportRow(entry=figure, result=result, previous=compute(metric_id, before)))
    return rows


def chosen_year(request: HttpRequest) -> int:
    """The year asked for (``?year=``), else the latest year with records in the scope."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 1949 <= int(raw) <= 2100:
        return int(raw)
    return default_report_year(actor=request.user)


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    roots = list(union_roots(actor=user)[:5])
    root = roots[0] if roots else None
    year = chosen_year(request)
    this_year = timezone.localdate().year
    years = sorted({*range(this_year, this_year - YEARS_OFFERED, -1), year}, reverse=True)
    report_url = reverse("admin:annual_report")
    context.update(
        {
            "dash_roots": roots,
            "dash_root": root,
            "dash_year": year,
            "dash_years": years,
            "dash_cards": cards_for(user),
            "dash_todos": todos_for(user),
            "dash_figures": key_figures(actor=user, union=root, year=year) if root else [],
            "dash_charts": charts_for(user, root, year) if root else [],
            "dash_tree_url": reverse("admin:union_tree"),
            "dash_report_url": report_url,
            "dash_report_query": f"union={root.pk}&year={year}" if root else "",
        }
    )
    return context


def union_report_panel(request: HttpRequest, union: Any) -> Panel:
    """On a union's page: the way to its annual report, draft and dashboard."""
    year = default_report_year(actor=request.user)
    query = f"?union={union.pk}&year={year}"
    return Panel(
        title=_("年度工作报告"),
        rows=[
            (
                _("%(year)s年度工作报告数据") % {"year": year},
                _("查看报告数据"),
                reverse("admin:annual_report") + query,
            ),
            (_("工作报告文稿"), _("查看文稿"), reverse("admin:report_draft") + query),
            (_("管理可视化"), _("查看图表"), reverse("admin:leaders_dashboard") + query),
        ],
        order=90,
    )
