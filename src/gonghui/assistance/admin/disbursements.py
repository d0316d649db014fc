"""Back office of disbursements: propose, then detail actions (approve, pay, reject, cancel,
reverse), list actions (approve or pay the selection, the bank payment list), the benefits
page, and reversals (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import (
    ActionForm,
    ScopedModelAdmin,
    ServiceForm,
    action_with_reason,
)
from gonghui.core.errors import DomainError
from gonghui.core.export import xlsx_bytes, xlsx_response
from gonghui.core.money import ZERO
from gonghui.core.scope import can_reveal, is_back_office
from gonghui.membership.selectors import person_get

from .. import selectors, services
from ..models import Disbursement, DisbursementReversal, DisbursementState, PaymentMethod
from .common import run_action
from .reveals import document_view, medical_view

S = DisbursementState


def _state_badge(obj: Disbursement) -> str:
    colours: dict[str, str] = {
        S.PROPOSED: "bg-orange-100 text-orange-700",
        S.APPROVED: "bg-blue-100 text-blue-700",
        S.PAID: "bg-green-100 text-green-700",
        S.REVERSED: "bg-red-100 text-red-700",
    }
    cls = colours.get(obj.state, "bg-base-100 text-base-600")
    return format_html(
        '<span class="{} px-2 py-0.5 rounded-default text-xs">{}</span>',
        cls,
        obj.get_state_display(),
    )


def _bank_list(request: HttpRequest, rows: list[Disbursement], reason: str) -> HttpResponse:
    """The bank payment list as a workbook: every payee's full account a logged reveal, with
    ``reason`` (all or none: ``services.payee_accounts_reveal``)."""
    accounts = services.payee_accounts_reveal(actor=request.user, disbursements=rows, reason=reason)
    numbered = list(enumerate(rows, start=1))
    total = sum((d.amount for d in rows), ZERO)
    columns = [
        (_("序号"), lambda r: r[0]),
        (_("收款人"), lambda r: r[1].person.name if r[1] else _("合计")),
        (_("身份证号"), lambda r: r[1].person.ric_masked if r[1] else ""),
        (_("收款账号"), lambda r: accounts.get(r[1].pk, "") if r[1] else ""),
        (_("金额（元）"), lambda r: f"{r[1].amount:.2f}" if r[1] else f"{total:.2f}"),
        (_("用途"), lambda r: f"{r[1].programme.name}（{r[1].period}）" if r[1] else ""),
        (_("经办工会"), lambda r: r[1].union.name if r[1] else ""),
        (_("发放编号"), lambda r: r[1].pk if r[1] else ""),
    ]
    content = xlsx_bytes(str(_("银行代发清单")), columns, [*numbered, (len(rows) + 1, None)])
    return xlsx_response(str(_("银行代发清单")), content)


class ProposeForm(ServiceForm):
    payee_account = forms.CharField(
        label=_("收款银行账号"),
        max_length=40,
        required=False,
        help_text=_("银行转账时填写；列表中只显示前后四位"),
    )

    class Meta:
        model = Disbursement
        fields = [
            "programme",
            "person",
            "family",
            "period",
            "amount",
            "method",
            "reason",
            "medical_details",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "programme" in self.fields:  # an add form (the change page is read-only)
            self.fields["period"].required = False
            self.fields["programme"].queryset = selectors.programmes_proposable(  # type: ignore[attr-defined]
                actor=self.actor
            )

    def run_service(self) -> Disbursement:
        data = dict(self.cleaned_data)
        return services.disbursement_propose(
            actor=self.actor,
            programme=data["programme"],
            person=data["person"],
            family=data.get("family"),
            period=data.get("period") or None,
            amount=data["amount"],
            method=data["method"],
            payee_account=data.get("payee_account", ""),
            reason=data["reason"],
            medical_details=data.get("medical_details", ""),
        )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), max_length=200)


class PayForm(ActionForm):
    paid_on = forms.DateField(label=_("发放日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ConfirmForm(ActionForm):
    confirm = forms.BooleanField(label=_("我已核对该人员（家庭）的全部受助记录"))


class ReverseForm(ActionForm):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)
    on = forms.DateField(label=_("冲正日期"))


class StateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(S.choices)

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(state=self.value()) if self.value() else queryset


@admin.register(Disbursement)
class DisbursementAdmin(ScopedModelAdmin):
    form = ProposeForm
    list_totals = ("amount", (_("其中已发放（元）"), Sum("amount", filter=Q(state=S.PAID))))
    list_display = [
        "person_name",
        "person_ric",
        "programme",
        "period",
        "amount",
        "state_badge",
        "union",
        "proposed_by",
        "approved_by",
        "paid_on",
    ]
    export_fields = (
        "person_name",
        "person_ric",
        "programme",
        "period",
        "amount",
        "method",
        "state",
        "union",
        "reason",
        "proposed_by",
        "proposed_at",
        "approved_by",
        "approved_at",
        "paid_by",
        "paid_on",
    )
    list_filter = [
        StateFilter,
        "programme__kind",
        "programme__year",
        "method",
        ("paid_on", admin.DateFieldListFilter),
    ]
    search_fields = ["person__name", "programme__name"]
    list_select_related = [
        "person",
        "programme",
        "union",
        "proposed_by",
        "approved_by",
        "family__head",
    ]
    autocomplete_fields = ["person", "family"]
    actions = ["export_xlsx", "approve_selected", "pay_selected", "export_bank_list"]
    actions_detail = ["approve", "pay", "reject", "cancel", "reverse_", "benefits", "medical"]
    # decision 0017: as the services' transitions; benefits and medical are always offered
    state_field = "state"
    actions_by_state = {
        S.PROPOSED: ["approve", "reject", "cancel"],
        S.APPROVED: ["pay", "cancel"],
        S.PAID: ["reverse_"],
        S.REJECTED: [],
        S.CANCELLED: [],
        S.REVERSED: [],
    }
    plain_edit = False
    VIEW_FIELDS = [
        "state",
        "programme",
        "period",
        "person",
        "family",
        "union",
        "amount",
        "method",
        "payee_account_masked",
        "reason",
        "application",
        "visit",
        "proposed_by",
        "proposed_at",
        "approved_by",
        "approved_at",
        "paid_by",
        "paid_at",
        "paid_on",
        "closed_by",
        "closed_at",
        "close_reason",
        "reversal_info",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None:
            return self.VIEW_FIELDS
        return [*ProposeForm.Meta.fields, "payee_account"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.VIEW_FIELDS if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every change is a detail action (approve, pay, reverse ...)

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "benefits/",
                self.admin_site.admin_view(self.benefits_view),
                name="assistance_benefits",
            ),
            path(
                "document/<id:pk>/",
                self.admin_site.admin_view(self.document_view),
                name="assistance_document",
            ),
        ]
        return extra + super().get_urls()

    def document_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return document_view(self, request, pk)

    @display(description=_("受助人"), ordering="person__name")
    def person_name(self, obj: Disbursement) -> str:
        return obj.person.name

    @display(description=_("身份证号"))
    def person_ric(self, obj: Disbursement) -> str:
        return obj.person.ric_masked

    @display(description=_("状态"), ordering="state")
    def state_badge(self, obj: Disbursement) -> str:
        return _state_badge(obj)

    @display(description=_("冲正"))
    def reversal_info(self, obj: Disbursement) -> str:
        r = getattr(obj, "reversal", None) if obj.state == S.REVERSED else None
        if r is None:
            return "—"
        return f"{r.reversed_on} {r.reversed_by}：{r.reason}"

    # --- detail actions --------------------------------------------------------------------
    @action(description=_("审批"), url_path="approve", icon="task_alt")
    def approve(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            ConfirmForm,
            _("审批发放"),
            lambda d, _data: services.disbursement_approve(actor=request.user, disbursement=d),
            _("已审批。"),
            benefits=True,
        )

    @action(description=_("登记发放"), url_path="pay", icon="payments")
    def pay(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            PayForm,
            _("登记发放"),
            lambda d, data: services.disbursement_pay(
                actor=request.user, disbursement=d, paid_on=data["paid_on"]
            ),
            _("已登记发放。"),
            benefits=True,
        )

    @action(description=_("驳回"), url_path="reject", icon="block")
    def reject(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            ReasonForm,
            _("驳回发放申请"),
            lambda d, data: services.disbursement_reject(
                actor=request.user, disbursement=d, reason=data["reason"]
            ),
            _("已驳回。"),
        )

    @action(description=_("取消"), url_path="cancel", icon="cancel")
    def cancel(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            ReasonForm,
            _("取消未发放的记录"),
            lambda d, data: services.disbursement_cancel(
                actor=request.user, disbursement=d, reason=data["reason"]
            ),
            _("已取消。"),
        )

    @action(description=_("冲正"), url_path="reverse", icon="undo")
    def reverse_(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            ReverseForm,
            _("冲正已发放的记录"),
            lambda d, data: services.disbursement_reverse(
                actor=request.user, disbursement=d, reason=data["reason"], on=data["on"]
            ),
            _("已冲正。"),
        )

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

    # --- list actions ------------------------------------------------------------------------
    @admin.action(description=_("审批所选"))
    def approve_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._many(request, queryset, "approve", _("已审批 %d 笔。"))

    @admin.action(description=_("登记所选已发放（今天）"))
    def pay_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._many(request, queryset, "pay", _("已登记发放 %d 笔。"))

    def _many(self, request: HttpRequest, queryset: Any, verb: str, ok: Any) -> None:
        if not ScopedModelAdmin.has_change_permission(self, request):
            raise PermissionDenied
        done, errors = services.disbursement_run_many(
            actor=request.user, disbursements=list(queryset), verb=verb
        )
        if done:
            messages.success(request, str(ok) % done)
        for e in errors[:20]:
            messages.error(request, e)

    @admin.action(description=_("导出银行代发清单（已审批、银行转账）"))
    def export_bank_list(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        rows = list(
            queryset.filter(state=S.APPROVED, method=PaymentMethod.BANK)
            .select_related("person", "programme", "union")
            .order_by("union", "pk")
        )
        if not rows:
            messages.warning(request, str(_("所选记录中没有已审批、待银行转账的发放。")))
            return None
        # Not worth asking a reason that could not unlock anything.
        if not all(can_reveal(request.user, d.union.path) for d in rows):
            messages.error(request, str(_("导出银行代发清单需要查看完整银行账号的权限。")))
            return None
        return action_with_reason(
            self,
            request,
            queryset,
            title=_("导出银行代发清单"),
            explanation=_(
                "银行代发清单含收款人的完整银行账号。请填写事由；清单上的每位收款人都会记入个人信息查看记录。"
            ),
            run=lambda reason: _bank_list(request, rows, reason),
        )

    # --- views ------------------------------------------------------------------------------
    def benefits_view(self, request: HttpRequest) -> HttpResponse:
        """Every benefit of one person or family across all programmes (scoped)."""
        if not is_back_office(request.user):
            raise PermissionDenied
        person = family = None
        try:
            if request.GET.get("file"):
                family = selectors.hardship_file_get(actor=request.user, id=request.GET["file"])
            elif request.GET.get("person"):
                person = person_get(actor=request.user, id=request.GET["person"])  # type: ignore[arg-type]
            else:
                raise Http404
        except DomainError as err:
            raise Http404(str(err.message)) from None
        qs = selectors.benefits_of(actor=request.user, person=person, family=family)
        context = {
            **self.admin_site.each_context(request),
            "title": _("受助记录"),
            "subtitle": str(family or person),
            "benefits": qs,
            "totals": selectors.benefit_totals(qs),
            "family": family,
            "person": person or (family.head if family else None),
            "opts": self.opts,
        }
        return TemplateResponse(request, "assistance/benefits.html", context)


@admin.register(DisbursementReversal)
class DisbursementReversalAdmin(ScopedModelAdmin):
    list_display = ["disbursement", "amount", "reason", "reversed_on", "reversed_by", "union"]
    list_totals = ("amount",)
    list_filter = [("reversed_on", admin.DateFieldListFilter)]
    search_fields = ["disbursement__person__name"]
    list_select_related = [
        "disbursement__person",
        "disbursement__programme",
        "reversed_by",
        "union",
    ]
    plain_edit = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a reversal is made from the disbursement's page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
