"""Back office of workers' aid applications: accept (proposing a disbursement) or refuse,
with the reason the worker sees."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ScopedModelAdmin

from .. import selectors, services
from ..models import AidApplication, ProgrammeKind
from .common import documents_html
from .reveals import medical_view


class DecideForm(ActionForm):
    reason = forms.CharField(label=_("审核意见"), max_length=300)
    amount = forms.DecimalField(
        label=_("拟发放金额（元）"),
        decimal_places=2,
        required=False,
        help_text=_("受理时填写，默认为申请金额"),
    )
    payee_account = forms.CharField(label=_("收款银行账号"), max_length=40, required=False)


@admin.register(AidApplication)
class AidApplicationAdmin(ScopedModelAdmin):
    list_display = ["submitted_at", "person", "programme", "amount_requested", "status", "union"]
    list_totals = ("amount_requested",)
    list_filter = ["status", "programme__kind", ("submitted_at", admin.DateFieldListFilter)]
    search_fields = ["person__name"]
    list_select_related = ["person", "programme", "union"]
    plain_edit = False
    readonly_fields = [
        "person",
        "union",
        "programme",
        "amount_requested",
        "statement",
        "status",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "disbursement_link",
        "documents",
    ]
    fields = readonly_fields
    child_fields = ["child_name", "child_school", "child_grade"]
    actions_detail = ["accept", "reject", "benefits", "medical"]
    actions_by_state = {  # decision 0017
        "submitted": ["accept", "reject"],
        "accepted": [],
        "rejected": [],
        "withdrawn": [],
    }

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # workers apply from the portal

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(self.fields)
        if obj is not None and obj.programme.kind == ProgrammeKind.EDUCATION:
            at = fields.index("statement")
            fields[at:at] = self.child_fields  # the child an education aid is for
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, *self.child_fields]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # the documents the page lists (read only if shown), in scope
            obj.document_list = selectors.documents_of(actor=request.user, application=obj)
        return obj

    @display(description=_("证明材料"))
    def documents(self, obj: AidApplication) -> str:
        return documents_html(getattr(obj, "document_list", []))

    @display(description=_("发放记录"))
    def disbursement_link(self, obj: AidApplication) -> str:
        d = getattr(obj, "disbursement", None)
        if d is None:
            return "—"
        url = reverse("admin:assistance_disbursement_change", args=[d.pk])
        return format_html(
            '<a class="text-primary-600" href="{}">{} · {}</a>',
            url,
            d.amount,
            d.get_state_display(),
        )

    def _decide(self, request: HttpRequest, object_id: str, accept: bool) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=DecideForm,
            title=_("受理申请（拟发放）") if accept else _("不予批准"),
            run=lambda a, d: services.application_decide(
                actor=request.user,
                application=a,
                accept=accept,
                reason=d["reason"],
                amount=d.get("amount"),
                payee_account=d.get("payee_account") or "",
            ),
            success=_("已受理，已提出发放，待另一位干部审批。")
            if accept
            else _("已记录不予批准的理由。"),
        )

    @action(description=_("受理"), url_path="accept", icon="check")
    def accept(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decide(request, object_id, accept=True)

    @action(description=_("不予批准"), url_path="reject", icon="close")
    def reject(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decide(request, object_id, accept=False)

    @action(description=_("受助记录"), url_path="benefits", icon="receipt_long")
    def benefits(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(
            reverse("admin:assistance_benefits") + f"?person={obj.person_id}"
        )

    @action(description=_("查看病情信息"), url_path="medical", icon="medical_information")
    def medical(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return medical_view(self, request, object_id)
