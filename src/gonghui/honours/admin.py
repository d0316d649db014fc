from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ScopedModelAdmin, ServiceForm

from . import services
from .models import Honour


class HonourForm(ServiceForm):
    class Meta:
        model = Honour
        fields = [
            "union",
            "kind",
            "level",
            "year",
            "awarded_on",
            "title",
            "person",
            "recipient_union",
            "enterprise",
        ]

    def run_service(self) -> Honour:
        return services.honour_award(actor=self.actor, **self.cleaned_data)


class RevokeForm(ActionForm):
    on = forms.DateField(label=_("撤销日期"))
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


@admin.register(Honour)
class HonourAdmin(ScopedModelAdmin):
    form = HonourForm
    plain_edit = False
    list_display = ["year", "kind", "level", "recipient_name", "union", "revoked"]
    export_fields = (
        "year",
        "kind",
        "level",
        "title",
        "recipient_name",
        "awarded_on",
        "union",
        "revoked",
        "revoked_reason",
    )
    list_filter = ["kind", "level", "year", ("revoked_on", admin.EmptyFieldListFilter)]
    search_fields = ["person__name", "recipient_union__name", "enterprise__name", "title"]
    search_help_text = _("获得者（个人、工会或企业）名称或称号全称")
    list_select_related = ["union", "person", "recipient_union", "enterprise"]
    autocomplete_fields = ["union", "person", "recipient_union", "enterprise"]
    actions_detail = ["revoke"]
    end_field = "revoked_on"  # decision 0017
    actions_by_state = {"open": ["revoke"]}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An honour on file is not edited: it is revoked (and a wrong one re-registered).
        return obj is None and super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["revoked_on", "revoked_reason"] if obj is not None else []

    @display(description=_("获得者"))
    def recipient_name(self, obj: Honour) -> str:
        return str(obj.recipient or "")

    @display(description=_("撤销"))
    def revoked(self, obj: Honour) -> str:
        return str(obj.revoked_on) if obj.revoked_on else ""

    @action(description=_("撤销荣誉"), url_path="revoke", icon="block")
    def revoke(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=RevokeForm,
            title=_("撤销荣誉"),
            run=lambda obj, d: services.honour_revoke(
                actor=request.user, honour=obj, on=d["on"], reason=d["reason"]
            ),
            success=_("荣誉已撤销。"),
        )
