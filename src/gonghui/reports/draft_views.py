"""The draft of the work report: read it with its figures linked, edit a paragraph's wording,
take it away as .docx or PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gonghui.core.errors import CoreError, DomainError
from gonghui.core.metrics import catalogue, implemented
from gonghui.core.replica import replica_view

from .draft import Segment, draft_subtitle, draft_title, report_draft
from .export_views import DOCX, attachment, draft_pdf_response
from .exports import draft_docx
from .services import paragraph_text_save
from .views import page_context, report_params


@replica_view
def report_draft_view(request: HttpRequest) -> HttpResponse:
    params = report_params(request)
    draft = report_draft(actor=request.user, union=params.union, period=params.period)
    fmt = request.GET.get("format")
    if fmt == "docx":
        content = draft_docx(draft, subtitle=draft_subtitle(params.period))
        return attachment(content, DOCX, f"{draft_title(draft)}.docx")
    if fmt == "pdf":
        return draft_pdf_response(request, params, draft)

    def link(segment: Segment) -> str:
        return f"{reverse('admin:metric_drilldown', args=[segment.metric_id])}?{params.query}"

    sections = [
        (section, [(p, p.html(link)) for p in section.paragraphs]) for section in draft.sections
    ]
    figures = [(e.id, e.zh) for e in catalogue() if e.id in implemented()]
    context = page_context(
        request,
        params,
        title=draft_title(draft),
        subtitle=draft_subtitle(params.period),
        draft=draft,
        sections=sections,
        figures=figures,
    )
    return TemplateResponse(request, "reports/draft.html", context)


@require_POST
def paragraph_save_view(request: HttpRequest) -> HttpResponse:
    params = report_params(request)
    key = request.POST.get("key", "")
    text = "" if "reset" in request.POST else request.POST.get("text", "")
    try:
        paragraph_text_save(actor=request.user, union=params.union, key=key, text=text)
    except DomainError as err:
        if err.code == CoreError.READ_ONLY:
            raise PermissionDenied(err.message) from None
        messages.error(request, err.message)
    else:
        messages.success(request, _("文稿段落已保存。") if text.strip() else _("已恢复默认文字。"))
    return HttpResponseRedirect(f"{reverse('admin:report_draft')}?{params.query}#p-{key}")
