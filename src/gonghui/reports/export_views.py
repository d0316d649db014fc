"""The report printed: the figures (with the leaders' dashboard and its charts) and the
draft, each as an A4 PDF in Chinese."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.replica import replica_view

from .draft import Draft, draft_subtitle, draft_title
from .printing import render_pdf, report_print_context
from .selectors import annual_report
from .views import ReportParams, page_context, report_params

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download named ``filename`` with the time it was made (``…-20160105-0930.pdf``)."""
    response = HttpResponse(content, content_type=content_type)
    stem, _dot, ext = filename.rpartition(".")
    name = f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{ext}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _unavailable(request: HttpRequest, params: ReportParams, err: DomainError) -> HttpResponse:
    context = page_context(request, params, title=_("暂时不能导出 PDF"), message=err.message)
    return TemplateResponse(request, "reports/pdf_unavailable.html", context, status=503)


@replica_view
def report_pdf_view(request: HttpRequest) -> HttpResponse:
    params = report_params(request)
    report = annual_report(
        actor=request.user, union=params.union, year=params.year, kind=params.kind
    )
    context = report_print_context(request.user, report)
    try:
        content = render_pdf("reports/print/report.html", context)
    except DomainError as err:
        return _unavailable(request, params, err)
    return attachment(content, PDF, f"{context['title']}.pdf")


def draft_pdf_response(request: HttpRequest, params: ReportParams, draft: Draft) -> HttpResponse:
    context = {
        "title": draft_title(draft),
        "subtitle": draft_subtitle(params.period),
        "draft": draft,
    }
    try:
        content = render_pdf("reports/print/draft.html", context)
    except DomainError as err:
        return _unavailable(request, params, err)
    return attachment(content, PDF, f"{context['title']}.pdf")
