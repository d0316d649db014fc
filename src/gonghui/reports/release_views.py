"""Finalising a report, and what changed since it was signed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gonghui.core.errors import CoreError, DomainError
from gonghui.core.export import xlsx_bytes, xlsx_response
from gonghui.core.metrics import entry
from gonghui.core.replica import replica_view

from .records import listing
from .releases import release_differences, release_for, release_moved_records
from .services import report_finalise
from .views import page_context, report_params


@require_POST
def report_finalise_view(request: HttpRequest) -> HttpResponse:
    params = report_params(request)
    back = f"{reverse('admin:annual_report')}?{params.query}"
    raw = request.POST.get("acknowledged_findings")
    try:
        report_finalise(
            actor=request.user,
            union=params.union,
            year=params.year,
            kind=params.kind,
            note=request.POST.get("note", ""),
            acknowledged_findings=int(raw) if raw else None,
        )
    except ValueError:
        messages.error(request, _("请重新确认逻辑校验问题的数目。"))
    except DomainError as err:
        if err.code == CoreError.READ_ONLY:
            raise PermissionDenied(err.message) from None
        messages.error(request, err.message)
    else:
        messages.success(request, _("报告已定稿，数值已冻结。"))
    return HttpResponseRedirect(back)


@replica_view
def report_changes_view(request: HttpRequest) -> HttpResponse:
    """A finalised report's figures then and now, with the records that moved."""
    params = report_params(request)
    release = release_for(actor=request.user, union=params.union, period=params.period)
    if release is None:
        raise Http404(_("该报告期的报告尚未定稿。"))
    differences = release_differences(actor=request.user, release=release)
    context = page_context(
        request,
        params,
        title=_("定稿以来的变化"),
        subtitle=f"{params.union.name} · {params.year} · {params.kind_label}",
        release=release,
        moved=[d for d in differences if d.moved],
        n_unchanged=sum(1 for d in differences if not d.moved),
    )
    return TemplateResponse(request, "reports/changes.html", context)


@replica_view
def report_changed_records_view(request: HttpRequest, metric_id: str) -> HttpResponse:
    """Records of one figure counted now but not when signed (``set=added``) or the other
    way round (``set=dropped``)."""
    params = report_params(request)
    release = release_for(actor=request.user, union=params.union, period=params.period)
    figure = entry(metric_id)
    if release is None or figure is None:
        raise Http404
    which = "dropped" if request.GET.get("set") == "dropped" else "added"
    records = release_moved_records(
        actor=request.user, release=release, metric_id=metric_id, which=which
    )
    if records is None:
        raise Http404(_("该指标没有可列出的记录。"))
    shown = listing(request, records)
    what = _("定稿后新计入的记录") if which == "added" else _("定稿时计入、现已不计入的记录")
    if request.GET.get("format") == "xlsx":
        content = xlsx_bytes(metric_id, shown.columns, shown.records.order_by("pk").iterator(2000))
        return xlsx_response(f"{params.union.name}{params.year}-{figure.zh}-{what}", content)
    page, table = shown.page(request.GET.get("page"))
    context = page_context(
        request,
        params,
        title=f"{figure.zh}：{what}",
        subtitle=f"{params.union.name} · {params.year} · {params.kind_label}",
        entry=figure,
        which=which,
        listing=shown,
        page=page,
        table=table,
        release=release,
    )
    return TemplateResponse(request, "reports/changed_records.html", context)
