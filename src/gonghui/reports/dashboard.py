"""The back office's landing page (工作台): what the apps registered for the user's scope —
cards, to-dos — and the way to the tree and the report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gonghui.core.backoffice import cards_for, todos_for
from gonghui.organisation.selectors import union_roots


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    context.update(
        {
            "dash_roots": list(union_roots(actor=user)[:5]),
            "dash_cards": cards_for(user),
            "dash_todos": todos_for(user),
            "dash_tree_url": reverse("admin:union_tree"),
            "dash_report_url": reverse("admin:annual_report"),
        }
    )
    return context
