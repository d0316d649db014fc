from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from .selectors import overdue


def overdue_view(request: HttpRequest) -> HttpResponse:
    loans = overdue(actor=request.user, on=timezone.localdate())
    context = {**admin.site.each_context(request), "title": "逾期未还", "loans": loans}
    return TemplateResponse(request, "sampledomain/overdue.html", context)
