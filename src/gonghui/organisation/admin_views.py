"""Back-office pages of the organisation domain that are more than a form."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.backoffice import union_counters

from .selectors import union_tree


def _parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def union_tree_view(request: HttpRequest) -> HttpResponse:
    """The visible union tree with member counts (own and whole subtree) on a chosen day."""
    on = _parse_date(request.GET.get("on")) or timezone.localdate()
    nodes = union_tree(actor=request.user, on=on)
    show_dissolved = request.GET.get("dissolved") == "1"
    if not show_dissolved:
        nodes = [n for n in nodes if n.union.dissolved_on is None or n.union.dissolved_on > on]
    context = {
        **admin.site.each_context(request),
        "title": _("工会组织树"),
        "subtitle": None,
        "nodes": nodes,
        "counters": union_counters(),
        "on": on,
        "show_dissolved": show_dissolved,
    }
    return TemplateResponse(request, "organisation/union_tree.html", context)
