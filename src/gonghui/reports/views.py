"""The annual report page and the drill-down from a figure to its records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.export import xlsx_bytes, xlsx_response
from gonghui.core.metrics import MetricQuery, Period, compute, entry
from gonghui.core.scope import scope_queryset
from gonghui.organisation.selectors import union_get, union_list, union_roots

from .selectors import ReportRow, annual_report, default_report_year, format_value


def _chosen_union(request: HttpRequest) -> Any:
    raw = request.GET.get("union")
    if raw:
        try:
            return union_get(actor=request.user, id=int(raw))
        except (DomainError, ValueError):
            raise Http404(_("找不到该工会组织，或不在您的管辖范围内。")) from None
    root = union_roots(actor=request.user).first()
    if root is None:
        raise Http404(_("您的账号没有可统计的工会组织。"))
    return root


def _chosen_year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
        if 1949 <= year <= 2100:
            return year
    except ValueError:
        pass
    return default_report_year(actor=request.user)


def annual_report_view(request: HttpRequest) -> HttpResponse:
    union = _chosen_union(request)
    year = _chosen_year(request)
    rows = annual_report(actor=request.user, union=union, year=year)
    if request.GET.get("format") == "xlsx":
        columns = [
            (_("指标编号"), lambda r: r.entry.id),
            (_("指标"), lambda r: r.label),
            (_("数值"), lambda r: format_value(r.value) if r.computed else _("尚未计算")),
            (_("单位"), lambda r: r.unit_label),
            (_("口径"), lambda r: r.definition),
        ]
        content = xlsx_bytes(f"{year}", columns, rows)
        return xlsx_response(f"{union.name}{year}年度工作报告数据", content)
    unions = union_list(actor=request.user).filter(depth__lte=union.depth + 1)
    context = {
        **admin.site.each_context(request),
        "title": _("%(year)s年度工作报告数据") % {"year": year},
        "subtitle": union.name,
        "union": union,
        "year": year,
        "rows": rows,
        "n_computed": sum(1 for r in rows if r.computed),
        "unions": unions[:500],
        "years": range(year - 5, year + 2),
    }
    return TemplateResponse(request, "reports/annual_report.html", context)


def metric_drilldown_view(request: HttpRequest, metric_id: str) -> HttpResponse:
    figure = entry(metric_id)
    if figure is None:
        raise Http404
    union = _chosen_union(request)
    year = _chosen_year(request)
    result = compute(
        metric_id, MetricQuery(actor=request.user, union=union, period=Period.of(year))
    )
    if result is None or result.records is None:
        raise Http404(_("该指标尚未计算。"))
    records = result.records
    model_admin = admin.site._registry.get(records.model)
    if model_admin is not None:
        # The admin's own queryset: scoped, with the list's joins and annotations.
        records = model_admin.get_queryset(request).filter(pk__in=records.values("pk"))
        related = model_admin.list_select_related
        if related is True:
            records = records.select_related()
        elif related:
            records = records.select_related(*related)
        columns = model_admin.export_columns()  # type: ignore[attr-defined]
    else:
        if getattr(records.model, "scope_lookup", None):
            records = scope_queryset(request.user, records)
        columns = [(_("记录"), str)]
    if request.GET.get("format") == "xlsx":
        content = xlsx_bytes(metric_id, columns, records.iterator(2000))
        return xlsx_response(f"{union.name}{year}-{figure.zh}", content)
    page = Paginator(records.order_by("pk"), 100).get_page(request.GET.get("page"))
    info = (records.model._meta.app_label, records.model._meta.model_name)
    table = []
    for obj in page.object_list:
        try:
            url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
        except NoReverseMatch:
            url = ""
        table.append((url, [getter(obj) for _label, getter in columns]))
    context = {
        **admin.site.each_context(request),
        "title": figure.zh,
        "subtitle": f"{union.name} · {year}",
        "entry": figure,
        "definition": ReportRow(entry=figure, result=result).definition,
        "value": format_value(result.value),
        "union": union,
        "year": year,
        "headers": [label for label, _getter in columns],
        "table": table,
        "page": page,
        "model_name": records.model._meta.verbose_name_plural,
    }
    return TemplateResponse(request, "reports/drilldown.html", context)
