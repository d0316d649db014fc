"""Back-office pages of the organisation domain that are more than a form: the folding union
tree, its children endpoint (one union's sub-unions, loaded when it is unfolded) and its
search."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.backoffice import union_counters
from gonghui.core.errors import DomainError

from .models import Union
from .selectors import tree_children, tree_top, union_get, union_roots, union_search


def _parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _union_or_404(request: HttpRequest, pk: int | str) -> Union:
    try:
        return union_get(actor=request.user, id=int(pk))
    except (DomainError, ValueError):
        raise Http404(_("找不到该工会组织，或不在您的管辖范围内。")) from None


def _base_depth(request: HttpRequest) -> int:
    tops = list(union_roots(actor=request.user).values_list("depth", flat=True)[:50])
    return min(tops, default=0)


def union_tree_view(request: HttpRequest) -> HttpResponse:
    """The union tree folded below its first two levels (or below ``?root=``), with the
    registered counters on a chosen day; a search by name or code shows the path to each
    match."""
    on = _parse_date(request.GET.get("on")) or timezone.localdate()
    show_dissolved = request.GET.get("dissolved") == "1"
    raw_root = request.GET.get("root")
    root = _union_or_404(request, raw_root) if raw_root else None
    nodes = tree_top(actor=request.user, on=on, root=root, show_dissolved=show_dissolved)
    query = request.GET.get("q", "").strip()[:100]
    context = {
        **admin.site.each_context(request),
        "title": _("工会组织树"),
        "subtitle": None,
        "nodes": nodes,
        "expanded": {n.union.parent_id for n in nodes if n.level > 0},
        "counters": union_counters(),
        "on": on,
        "show_dissolved": show_dissolved,
        "root": root,
        "q": query,
        "matches": union_search(actor=request.user, text=query) if query else None,
    }
    return TemplateResponse(request, "organisation/union_tree.html", context)


def union_tree_children_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows of one union's sub-unions (HTML, for the tree's script): 404 for a union
    outside the reader's scope."""
    union = _union_or_404(request, pk)
    on = _parse_date(request.GET.get("on")) or timezone.localdate()
    show_dissolved = request.GET.get("dissolved") == "1"
    raw_base = request.GET.get("base", "")
    base = int(raw_base) if raw_base.isdigit() else _base_depth(request)
    nodes = tree_children(
        actor=request.user, union=union, on=on, show_dissolved=show_dissolved, base_depth=base
    )
    context = {"nodes": nodes, "counters": union_counters(), "on": on, "expanded": set()}
    return TemplateResponse(request, "organisation/_tree_rows.html", context)
