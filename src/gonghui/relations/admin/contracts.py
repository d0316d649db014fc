"""The back office of collective contracts: the register, each step of the statutory path
as an action on the contract's page, and the deadlines shown and filtered."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminSelect2MultipleWidget

from gonghui.core.admin_base import ActionForm, ReadOnlyInline, ScopedModelAdmin, ServiceForm
from gonghui.core.scope import scope_queryset
from gonghui.organisation.models import Enterprise

from .. import deadlines, services
from ..models import (
    TOOK_EFFECT,
    CollectiveContract,
    ContractEnterprise,
    ContractStatus,
    Fulfilment,
)
from .common import BLUE, GREEN, GREY, ORANGE, RED, badge, deadline, run_action, today_field

S = ContractStatus
STATUS_COLOURS = {
    S.DRAFT: GREY,
    S.ADOPTED: BLUE,
    S.SIGNED: ORANGE,
    S.FILED: BLUE,
    S.OBJECTED: RED,
    S.EFFECTIVE: GREEN,
    S.PUBLISHED: GREEN,
    S.CANCELLED: GREY,
}


class ContractForm(ServiceForm):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("覆盖企业"),
        queryset=Enterprise.objects.none(),
        widget=UnfoldAdminSelect2MultipleWidget,
        help_text=_("企业集体合同选一家；行业性、区域性合同选联合工会覆盖的企业"),
    )

    class Meta:
        model = CollectiveContract
        fields = [
            "union",
            "kind",
            "level",
            "title",
            "employer_party",
            "enterprises",
            "renews",
            "starts_on",
            "expires_on",
            "document",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "employer_party" in self.fields:  # the add page (a contract on file is read-only)
            firms = self.fields["enterprises"]
            firms.queryset = scope_queryset(self.actor, Enterprise.objects.all())  # type: ignore[attr-defined]
            self.fields["employer_party"].required = False

    def run_service(self) -> CollectiveContract:
        return services.contract_create(actor=self.actor, **self.cleaned_data)


class VoteForm(ActionForm):
    voted_on = today_field(_("职代会表决日期"))
    delegates = forms.IntegerField(label=_("应到代表"), min_value=1)
    present = forms.IntegerField(label=_("实到代表"), min_value=0)
    votes_for = forms.IntegerField(label=_("赞成票"), min_value=0)


class SignForm(ActionForm):
    signed_on = today_field(_("签订日期"))


class FileForm(ActionForm):
    filed_on = today_field(_("报送审查日期"))


class ReviewForm(ActionForm):
    on = today_field(_("审查意见日期"))
    objection = forms.CharField(
        label=_("审查意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("无异议请留空：合同自该日（或约定起始日期）起生效"),
    )


class ConfirmForm(ActionForm):
    pass


class PublishForm(ActionForm):
    published_on = today_field(_("公布日期"))


class TerminateForm(ActionForm):
    on = today_field(_("终止日期"))
    reason = forms.CharField(label=_("终止原因"), max_length=200)


class CheckForm(ActionForm):
    on = today_field(_("检查日期"))
    fulfilment = forms.ChoiceField(label=_("履约情况"), choices=Fulfilment.choices)


class CancelForm(ActionForm):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class RenewForm(ActionForm):
    offered_on = today_field(_("要约日期"))


class DeadlineFilter(admin.SimpleListFilter):
    title = _("期限")
    parameter_name = "deadline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("filing_overdue", _("逾期未报送审查")),
            ("filing_due", _("待报送审查")),
            ("review_lapsed", _("审查期满待生效")),
            ("publish_overdue", _("逾期未公布")),
            ("publish_due", _("待公布")),
            ("expiring", _("60日内到期")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = timezone.localdate()
        value = self.value()
        if value == "filing_overdue":
            return queryset.filter(status=S.SIGNED, filing_due_on__lt=today)
        if value == "filing_due":
            return queryset.filter(status=S.SIGNED)
        if value == "review_lapsed":
            return queryset.filter(status=S.FILED, objection_ends_on__lt=today)
        if value == "publish_overdue":
            return queryset.filter(status=S.EFFECTIVE, publish_due_on__lt=today)
        if value == "publish_due":
            return queryset.filter(status=S.EFFECTIVE)
        if value == "expiring":
            first, last = deadlines.expiry_window(today)
            return queryset.filter(
                status__in=TOOK_EFFECT,
                terminated_on__isnull=True,
                expires_on__gte=first,
                expires_on__lte=last,
            )
        return queryset


class CoveredInline(ReadOnlyInline):
    model = ContractEnterprise
    fields = ["enterprise", "workers_covered", "in_force_from", "in_force_until"]
    readonly_fields = fields
    verbose_name_plural = _("覆盖企业")


class RenewalInline(ReadOnlyInline):
    model = CollectiveContract
    fk_name = "renews"
    fields = ["title", "status", "signed_on", "effective_on", "expires_on"]
    readonly_fields = fields
    verbose_name_plural = _("续签合同")


PATH_FIELDS = [
    "status",
    "voted_on",
    "delegates",
    "delegates_present",
    "votes_for",
    "signed_on",
    "filing_due_on",
    "filed_on",
    "objection_ends_on",
    "objection",
    "effective_on",
    "publish_due_on",
    "published_on",
    "terminated_on",
    "termination_reason",
    "checked_on",
    "fulfilment",
]


@admin.register(CollectiveContract)
class CollectiveContractAdmin(ScopedModelAdmin):
    form = ContractForm
    plain_edit = False
    inlines = [CoveredInline, RenewalInline]
    list_display = [
        "title",
        "kind",
        "level",
        "union",
        "status_badge",
        "signed_on",
        "effective_on",
        "expires_on",
        "workers",
        "next_deadline",
    ]
    export_fields = (
        "title",
        "kind",
        "level",
        "union",
        "employer_party",
        "enterprise_names",
        "workers",
        "status",
        "voted_on",
        "signed_on",
        "filing_due_on",
        "filed_on",
        "effective_on",
        "published_on",
        "starts_on",
        "expires_on",
        "terminated_on",
        "renews",
        "checked_on",
        "fulfilment",
    )
    list_filter = [DeadlineFilter, "status", "kind", "level", "fulfilment"]
    search_fields = ["title", "employer_party", "coverages__enterprise__name"]
    search_help_text = _("合同名称、企业方或覆盖企业名称")
    list_select_related = ["union"]
    autocomplete_fields = ["union", "renews"]
    date_hierarchy = "expires_on"
    actions_detail = [
        "vote",
        "sign",
        "file",
        "review",
        "take_effect",
        "publish",
        "start_renewal",
        "check_fulfilment",
        "terminate",
        "cancel",
    ]
    # decision 0017: the statutory path, one step after the other; a terminated contract
    # offers nothing more
    actions_by_state = {
        "draft": ["vote", "cancel"],
        "adopted": ["sign", "cancel"],
        "signed": ["file", "cancel"],
        "filed": ["review", "take_effect", "cancel"],
        "objected": ["file", "cancel"],
        "effective": ["publish", "start_renewal", "check_fulfilment", "terminate"],
        "published": ["start_renewal", "check_fulfilment", "terminate"],
        "cancelled": [],
        "terminated": [],
    }

    def state_of(self, obj: Any) -> str:
        return "terminated" if obj.terminated_on is not None else str(obj.status)

    readonly_fields = [
        "union",
        "kind",
        "level",
        "title",
        "employer_party",
        "renews",
        "starts_on",
        "expires_on",
        "document",
        "note",
        *PATH_FIELDS,
        "deadlines_now",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else ContractForm.Meta.fields

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # The related lists belong to a record on file, not to the add page.
        return list(self.inlines) if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A contract on file changes only through the steps of its path (the actions).
        return obj is None and super().has_change_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(n_workers=Sum("coverages__workers_covered"))

    @display(description=_("状态"), ordering="status")
    def status_badge(self, obj: CollectiveContract) -> str:
        return badge(STATUS_COLOURS[S(obj.status)], obj.get_status_display())

    @display(description=_("覆盖职工人数"), ordering="n_workers")
    def workers(self, obj: CollectiveContract) -> int:
        return getattr(obj, "n_workers", None) or 0

    @display(description=_("覆盖企业"))
    def enterprise_names(self, obj: CollectiveContract) -> str:
        return "、".join(c.enterprise.name for c in obj.coverages.select_related("enterprise"))

    @display(description=_("当前期限"))
    def next_deadline(self, obj: CollectiveContract) -> str:
        if obj.status == S.SIGNED:
            return deadline(obj.filing_due_on, _("报送"))
        if obj.status == S.FILED:
            return deadline(obj.objection_ends_on, _("审查期满"))
        if obj.status == S.EFFECTIVE:
            return deadline(obj.publish_due_on, _("公布"))
        if obj.status in TOOK_EFFECT and obj.terminated_on is None:
            first, last = deadlines.expiry_window(timezone.localdate())
            if first <= obj.expires_on <= last:
                return badge(ORANGE, _("%s 到期，待续签") % obj.expires_on)
        return "—"

    @display(description=_("期限提醒"))
    def deadlines_now(self, obj: CollectiveContract) -> str:
        return format_html(
            "<p>{}</p><p class='text-xs text-base-500'>{}</p>",
            self.next_deadline(obj),
            _(
                "签订后10日内报送审查；审查期15日，无异议即生效；生效后10日内向全体职工公布。"
                "期限末日为节假日的，顺延至节后第一个工作日。"
            ),
        )

    # --- the statutory path, one action per step ------------------------------------------
    def _step(self, request, object_id, form, title, run, ok) -> HttpResponse:
        return run_action(self, request, object_id, form, title, run, ok)

    @action(description=_("职代会表决"), url_path="vote", icon="how_to_vote")
    def vote(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            VoteForm,
            _("职工代表大会表决合同草案"),
            lambda c, d: services.contract_vote(actor=request.user, contract=c, **d),
            _("已登记职代会表决通过。"),
        )

    @action(description=_("签订"), url_path="sign", icon="draw")
    def sign(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            SignForm,
            _("签订集体合同"),
            lambda c, d: services.contract_sign(actor=request.user, contract=c, **d),
            _("已登记签订，请在报送期限内报送劳动保障行政部门审查。"),
        )

    @action(description=_("报送审查"), url_path="file", icon="send")
    def file(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            FileForm,
            _("报送劳动保障行政部门审查"),
            lambda c, d: services.contract_file(actor=request.user, contract=c, **d),
            _("已登记报送审查。"),
        )

    @action(description=_("登记审查意见"), url_path="review", icon="rule")
    def review(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            ReviewForm,
            _("登记劳动保障行政部门审查意见"),
            lambda c, d: services.contract_review(actor=request.user, contract=c, **d),
            _("已登记审查意见。"),
        )

    @action(description=_("审查期满生效"), url_path="take-effect", icon="verified")
    def take_effect(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            ConfirmForm,
            _("审查期满未提出异议，合同生效"),
            lambda c, d: services.contract_take_effect(actor=request.user, contract=c),
            _("合同已生效，请在公布期限内向全体职工公布。"),
        )

    @action(description=_("向职工公布"), url_path="publish", icon="campaign")
    def publish(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            PublishForm,
            _("向全体职工公布"),
            lambda c, d: services.contract_publish(actor=request.user, contract=c, **d),
            _("已登记公布。"),
        )

    @action(description=_("发起续签"), url_path="renew", icon="autorenew")
    def start_renewal(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        response = self._step(
            request,
            object_id,
            RenewForm,
            _("发起到期续签：向企业方发出集体协商要约"),
            lambda c, d: services.contract_start_renewal(actor=request.user, contract=c, **d),
            _("已发出续签要约。"),
        )
        if obj is not None and isinstance(response, HttpResponseRedirect):
            offer = obj.renewal_offers.order_by("-pk").first()
            if offer is not None:
                return HttpResponseRedirect(
                    reverse("admin:relations_bargainingoffer_change", args=[offer.pk])
                )
        return response

    @action(description=_("履约检查"), url_path="check", icon="fact_check")
    def check_fulfilment(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            CheckForm,
            _("登记履约检查"),
            lambda c, d: services.contract_check_fulfilment(actor=request.user, contract=c, **d),
            _("已登记履约检查。"),
        )

    @action(description=_("提前终止"), url_path="terminate", icon="block")
    def terminate(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            TerminateForm,
            _("提前终止集体合同"),
            lambda c, d: services.contract_terminate(actor=request.user, contract=c, **d),
            _("合同已终止。"),
        )

    @action(description=_("作废"), url_path="cancel", icon="delete")
    def cancel(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            CancelForm,
            _("作废未生效的合同"),
            lambda c, d: services.contract_cancel(actor=request.user, contract=c, **d),
            _("合同已作废。"),
        )
