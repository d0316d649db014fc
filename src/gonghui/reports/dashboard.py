"""The back office's landing page: the user's unions at a glance."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gonghui.membership.selectors import member_counts_by_union, person_list
from gonghui.organisation.selectors import enterprise_list, union_list, union_roots


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    unions = union_list(actor=user)
    context.update(
        {
            "dash_roots": list(union_roots(actor=user)[:5]),
            "dash_unions": unions.filter(dissolved_on__isnull=True).count(),
            "dash_members": sum(member_counts_by_union(actor=user, on=today).values()),
            "dash_people": person_list(actor=user).count(),
            "dash_enterprises": enterprise_list(actor=user).count(),
            "dash_tree_url": reverse("admin:union_tree"),
            "dash_report_url": reverse("admin:annual_report"),
        }
    )
    return context
