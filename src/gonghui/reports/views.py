"""The annual report page, the drill-down from a figure (or a logic check) to its records.

Every page reads for the signed-in user: the union comes from the user's scope (a union
outside it is "not found", as everywhere), and every figure and record list is computed with
the user as the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.export import xlsx_bytes, xlsx_response
from gonghui.core.metrics import MetricQuery, Period
from gonghui.core.replica import replica_view
from gonghui.core.scope import user_scope
from gonghui.organisation.selectors import union_get, union_list, union_roots

from .checks import check_get, findings, run_checks
from .records import listing
from .releases import release_for
from .selectors import (
    PERIOD_KINDS,
    ReportRow,
    annual_report,
    default_report_year,
    figure_result,
    report_period,
)

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


@dataclass(frozen=True)
class ReportParams:
    """Which report a page shows: a union of the reader's scope, a year, a kind of year."""

    union: Union
    year: int
    kind: str

    @property
    def period(self) -> Period:
        return report_period(self.year, self.kind)

    @property
    def query(self) -> str:
        """The query string that names this report (``union=..&year=..&period=..``)."""
        return urlencode({"union": self.union.pk, "year": self.year, "period": self.kind})

    @property
    def kind_label(self) -> str:
        return str(PERIOD_KINDS[self.kind])


def _chosen_union(request: HttpRequest) -> Any:
    raw = request.GET.get("union") or request.POST.get("union")
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
        year = int(request.GET.get("year") or request.POST.get("year") or "")
        if 1949 <= year <= 2100:
            return year
    except ValueError:
        pass
    return default_report_year(actor=request.user)


def report_params(request: HttpRequest) -> ReportParams:
    kind = request.GET.get("period") or request.POST.get("period") or "calendar"
    return ReportParams(
        union=_chosen_union(request),
        year=_chosen_year(request),
        kind=kind if kind in PERIOD_KINDS else "calendar",
    )


def _union_picker(request: HttpRequest, union: Any) -> dict[str, Any]:
    """The report's union picker: a select with a search box (the back office's own select2,
    served by the app) that asks the admin's autocomplete for unions by name or code — read
    through the reader's scope — so any union of the tree can be chosen, not only a list."""
    from django import forms
    from django.contrib.admin.widgets import AutocompleteSelect

    from gonghui.organisation.models import Cadre

    field = forms.ModelChoiceField(
        queryset=union_list(actor=request.user),
        widget=AutocompleteSelect(
            Cadre._meta.get_field("union"),
            admin.site,
            attrs={"data-placeholder": _("输入工会名称或组织代码"), "aria-label": _("工会组织")},
        ),
    )
    return {"html": field.widget.render("union", union.pk), "media": field.widget.media}


def page_context(request: HttpRequest, params: ReportParams, **extra: Any) -> dict[str, Any]:
    """What every report page shows around its content: the choice of union and year."""
    union = params.union
    return {
        **admin.site.each_context(request),
        "params": params,
        "union": union,
        "year": params.year,
        "kinds": PERIOD_KINDS.items(),
        "union_picker": _union_picker(request, union),
        "may_write": user_scope(request.user).covers(union.path, mode="write"),
        **extra,
    }


@replica_view
def annual_report_view(request: HttpRequest) -> HttpResponse:
    params = report_params(request)
    report = annual_report(
        actor=request.user, union=params.union, year=params.year, kind=params.kind
    )
    if request.GET.get("format") == "xlsx":
        from .exports import report_xlsx

        content = report_xlsx(request, report)
        return xlsx_response(f"{params.union.name}{params.year}年度工作报告数据", content)
    outcomes = run_checks(actor=request.user, union=params.union, period=params.period)
    context = page_context(
        request,
        params,
        title=_("%(year)s年度工作报告数据") % {"year": params.year},
        subtitle=f"{params.union.name} · {params.kind_label}",
        report=report,
        outcomes=outcomes,
        findings=findings(outcomes),
        release=release_for(actor=request.user, union=params.union, period=params.period),
    )
    return TemplateResponse(request, "reports/annual_report.html", context)


@replica_view
def metric_drilldown_view(request: HttpRequest, metric_id: str) -> HttpResponse:
    """The records a figure counted (``?set=excluded``: for a rate, those it did not)."""
    params = report_params(request)
    found = figure_result(
        actor=request.user, union=params.union, metric_id=metric_id, period=params.period
    )
    if found is None:
        raise Http404(_("该指标尚未计算。"))
    figure, result = found
    excluded = request.GET.get("set") == "excluded"
    records = result.excluded if excluded else result.records
    if records is None:
        raise Http404(_("该指标没有可列出的记录。"))
    shown = listing(request, records)
    if request.GET.get("format") == "xlsx":
        content = xlsx_bytes(metric_id, shown.columns, shown.records.order_by("pk").iterator(2000))
        suffix = "-未计入" if excluded else ""
        return xlsx_response(f"{params.union.name}{params.year}-{figure.zh}{suffix}", content)
    page, table = shown.page(request.GET.get("page"))
    row = ReportRow(entry=figure, result=result)
    context = page_context(
        request,
        params,
        title=row.label,
        subtitle=f"{params.union.name} · {params.year} · {params.kind_label}",
        row=row,
        excluded=excluded,
        listing=shown,
        page=page,
        table=table,
        set_query="&set=excluded" if excluded else "",
    )
    return TemplateResponse(request, "reports/drilldown.html", context)


@replica_view
def check_records_view(request: HttpRequest, check_id: str) -> HttpResponse:
    """The records a logic check found at fault."""
    params = report_params(request)
    check = check_get(check_id)
    if check is None:
        raise Http404
    result = check.run(MetricQuery(actor=request.user, union=params.union, period=params.period))
    shown = listing(request, result.records) if result.records is not None else None
    if shown is not None and request.GET.get("format") == "xlsx":
        content = xlsx_bytes(check_id, shown.columns, shown.records.order_by("pk").iterator(2000))
        return xlsx_response(f"{params.union.name}{params.year}-{check.title}", content)
    page, table = shown.page(request.GET.get("page")) if shown is not None else (None, [])
    context = page_context(
        request,
        params,
        title=check.title,
        subtitle=f"{params.union.name} · {params.year} · {params.kind_label}",
        check=check,
        result=result,
        listing=shown,
        page=page,
        table=table,
    )
    return TemplateResponse(request, "reports/check_records.html", context)
