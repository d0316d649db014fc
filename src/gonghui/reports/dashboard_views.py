"""The leaders' dashboard page (管理可视化)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.replica import replica_view

from .leaders import leaders_dashboard
from .printing import unique_svg_ids
from .views import page_context, report_params


@replica_view
def leaders_dashboard_view(request: HttpRequest) -> HttpResponse:
    params = report_params(request)
    board = leaders_dashboard(
        actor=request.user, union=params.union, period=params.period, today=timezone.localdate()
    )
    charts = [
        {"key": c.key, "title": c.title, "svg": unique_svg_ids(c.svg, f"c{i}")}
        for i, c in enumerate(board.charts)
    ]
    context = page_context(
        request,
        params,
        title=_("管理可视化"),
        subtitle=f"{params.union.name} · {params.year}",
        dashboard=board,
        charts=charts,
    )
    return TemplateResponse(request, "reports/leaders_dashboard.html", context)
