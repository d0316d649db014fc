"""What several assistance admin pages share: a detail action run through a service (with
the person's benefits beside it when deciding money), and the list of a record's documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from gonghui.core.admin_base import ScopedModelAdmin

from .. import selectors


def run_action(
    model_admin: ScopedModelAdmin,
    request: HttpRequest,
    object_id: str,
    form: type[forms.Form],
    title: Any,
    run: Any,
    ok: Any,
    *,
    benefits: bool = False,
) -> HttpResponse:
    response = model_admin.service_form_view(
        request, object_id, form_class=form, title=title, run=run, success=ok
    )
    if benefits and isinstance(response, TemplateResponse) and response.context_data:
        obj = response.context_data["object"]
        qs = selectors.benefits_of(actor=request.user, person=obj.person, family=obj.family)
        response.context_data.update(
            benefits=qs[:50], totals=selectors.benefit_totals(qs), current=obj
        )
        response.template_name = "assistance/action_with_benefits.html"
    return response


def documents_html(docs: Any) -> str:
    if not docs:
        return str(_("（无）"))
    return format_html(
        "<ul>{}</ul><p class='text-xs text-base-500'>{}</p>",
        format_html_join(
            "",
            '<li><a class="text-primary-600" href="{}" target="_blank" rel="noopener">{}</a>'
            " · {} KB</li>",
            (
                (
                    reverse("admin:assistance_document", args=[d.pk]),
                    # The uploaded file's name may say a diagnosis: it is shown only inside the
                    # logged document view, to those who may open it.
                    _("%(kind)s（第 %(n)s 号材料）") % {"kind": d.get_kind_display(), "n": d.pk},
                    (d.size + 1023) // 1024,
                )
                for d in docs
            ),
        ),
        _(
            "证明材料属于敏感个人信息：仅有查看权限的干部填写查看事由后可以打开，"
            "每次打开都会记入个人信息查看记录。"
        ),
    )
