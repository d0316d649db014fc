"""Helpers the labour-relations admin pages share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gonghui.core.admin_base import ScopedModelAdmin

BADGE = '<span class="{} px-2 py-0.5 rounded-default text-xs whitespace-nowrap">{}</span>'
GREEN = "bg-green-100 text-green-700"
BLUE = "bg-blue-100 text-blue-700"
ORANGE = "bg-orange-100 text-orange-700"
RED = "bg-red-100 text-red-700"
GREY = "bg-base-100 text-base-600"


def badge(colour: str, text: Any) -> str:
    return format_html(BADGE, colour, text)


def deadline(day: dt.date | None, label: Any) -> str:
    """A deadline with its state on today's Asia/Shanghai date: overdue, due, or ahead."""
    if day is None:
        return "—"
    today = timezone.localdate()
    if day < today:
        return badge(RED, _("%(label)s %(day)s 已逾期") % {"label": label, "day": day})
    if (day - today).days <= 3:
        return badge(ORANGE, _("%(label)s %(day)s 即将到期") % {"label": label, "day": day})
    return badge(BLUE, _("%(label)s %(day)s") % {"label": label, "day": day})


def run_action(
    model_admin: ScopedModelAdmin,
    request: HttpRequest,
    object_id: str,
    form: type[forms.Form],
    title: Any,
    run: Any,
    ok: Any,
) -> HttpResponse:
    return model_admin.service_form_view(
        request, object_id, form_class=form, title=title, run=run, success=ok
    )


def today_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, initial=timezone.localdate)
