"""The back office of bargaining: offers (answer, rounds, agreement, the contract drafted)
and offer campaigns with their progress."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ReadOnlyInline, ScopedModelAdmin, ServiceForm
from gonghui.core.numbers import count, percent

from .. import selectors, services
from ..models import BargainingOffer, BargainingRound, OfferCampaign, OfferStatus
from .common import BLUE, GREEN, GREY, ORANGE, RED, badge, deadline, run_action, today_field

O = OfferStatus  # noqa: E741
STATUS_COLOURS = {
    O.SENT: ORANGE,
    O.ANSWERED: BLUE,
    O.IN_TALKS: BLUE,
    O.AGREED: GREEN,
    O.REFUSED: RED,
    O.WITHDRAWN: GREY,
}


class OfferForm(ServiceForm):
    class Meta:
        model = BargainingOffer
        fields = [
            "union",
            "enterprise",
            "employer_party",
            "kind",
            "level",
            "offered_by",
            "offered_on",
            "received_on",
            "renews",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("employer_party", "received_on"):
            if name in self.fields:  # the add page (an offer on file is read-only)
                self.fields[name].required = False

    def run_service(self) -> BargainingOffer:
        return services.offer_create(actor=self.actor, **self.cleaned_data)


class AnswerForm(ActionForm):
    answered_on = today_field(_("书面回应日期"))
    accepts = forms.TypedChoiceField(
        label=_("回应"),
        choices=[("1", _("同意协商")), ("0", _("拒绝协商"))],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(
        label=_("回应内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RoundForm(ActionForm):
    held_on = today_field(_("协商日期"))
    summary = forms.CharField(
        label=_("协商情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgreeForm(ActionForm):
    agreed_on = today_field(_("达成一致日期"))


class DraftForm(ActionForm):
    title = forms.CharField(label=_("合同名称"), max_length=200)
    starts_on = forms.DateField(label=_("约定起始日期"), required=False)
    expires_on = forms.DateField(label=_("期满日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer = self.obj
        year = (offer.agreed_on or timezone.localdate()).year
        self.fields["title"].initial = f"{offer.employer_party}{year}年{offer.get_kind_display()}"


class WithdrawForm(ActionForm):
    on = today_field(_("撤回日期"))
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


class OverdueFilter(admin.SimpleListFilter):
    title = _("期限")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("answer", _("逾期未书面回应")), ("talks", _("逾期未开始协商"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = timezone.localdate()
        if self.value() == "answer":
            return queryset.filter(status=O.SENT, answer_due_on__lt=today)
        if self.value() == "talks":
            return queryset.filter(status=O.ANSWERED, talks_due_on__lt=today)
        return queryset


class RoundInline(ReadOnlyInline):
    model = BargainingRound
    fields = ["number", "held_on", "summary"]
    readonly_fields = fields


@admin.register(BargainingOffer)
class BargainingOfferAdmin(ScopedModelAdmin):
    form = OfferForm
    plain_edit = False
    inlines = [RoundInline]
    list_display = [
        "employer_party",
        "kind",
        "union",
        "offered_on",
        "status_badge",
        "next_deadline",
        "contract",
    ]
    export_fields = (
        "employer_party",
        "enterprise",
        "kind",
        "level",
        "offered_by",
        "union",
        "offered_on",
        "received_on",
        "answer_due_on",
        "answered_on",
        "talks_due_on",
        "agreed_on",
        "status",
        "renews",
        "contract",
    )
    list_filter = [OverdueFilter, "status", "kind", "offered_by"]
    search_fields = ["employer_party", "enterprise__name"]
    search_help_text = _("企业方或企业名称")
    list_select_related = ["union", "contract"]
    autocomplete_fields = ["union", "enterprise", "renews"]
    date_hierarchy = "offered_on"
    actions_detail = ["answer", "round_", "agree", "draft_contract", "withdraw"]
    actions_by_state = {  # decision 0017: as the services' transitions
        "sent": ["answer", "withdraw"],
        "answered": ["round_", "withdraw"],
        "in_talks": ["round_", "agree", "withdraw"],
        "agreed": ["draft_contract"],
        "refused": [],
        "withdrawn": [],
    }
    readonly_fields = [
        *OfferForm.Meta.fields,
        "status",
        "answer_due_on",
        "answered_on",
        "answer",
        "talks_due_on",
        "agreed_on",
        "contract",
        "deadlines_now",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else OfferForm.Meta.fields

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # The related lists belong to a record on file, not to the add page.
        return list(self.inlines) if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @display(description=_("状态"), ordering="status")
    def status_badge(self, obj: BargainingOffer) -> str:
        return badge(STATUS_COLOURS[O(obj.status)], obj.get_status_display())

    @display(description=_("当前期限"))
    def next_deadline(self, obj: BargainingOffer) -> str:
        if obj.status == O.SENT:
            return deadline(obj.answer_due_on, _("书面回应"))
        if obj.status == O.ANSWERED:
            return deadline(obj.talks_due_on, _("开始协商"))
        return "—"

    @display(description=_("期限提醒"))
    def deadlines_now(self, obj: BargainingOffer) -> str:
        return format_html(
            "<p>{}</p><p class='text-xs text-base-500'>{}</p>",
            self.next_deadline(obj),
            _(
                "收到要约之日起20日内书面回应（末日为节假日的顺延）；"
                "回应之日起10个工作日内开始协商（按国家法定节假日和调休安排计算）。"
            ),
        )

    def _step(self, request, object_id, form, title, run, ok) -> HttpResponse:
        return run_action(self, request, object_id, form, title, run, ok)

    @action(description=_("登记书面回应"), url_path="answer", icon="mark_email_read")
    def answer(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            AnswerForm,
            _("登记对方书面回应"),
            lambda o, d: services.offer_answer(actor=request.user, offer=o, **d),
            _("已登记书面回应。"),
        )

    @action(description=_("登记协商"), url_path="round", icon="forum")
    def round_(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            RoundForm,
            _("登记一轮协商"),
            lambda o, d: services.offer_record_round(actor=request.user, offer=o, **d),
            _("已登记协商。"),
        )

    @action(description=_("达成一致"), url_path="agree", icon="handshake")
    def agree(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            AgreeForm,
            _("协商达成一致"),
            lambda o, d: services.offer_agree(actor=request.user, offer=o, **d),
            _("已登记达成一致。"),
        )

    @action(description=_("形成合同草案"), url_path="draft", icon="description")
    def draft_contract(self, request: HttpRequest, object_id: str) -> HttpResponse:
        response = self._step(
            request,
            object_id,
            DraftForm,
            _("根据协商结果起草集体合同"),
            lambda o, d: services.offer_draft_contract(actor=request.user, offer=o, **d),
            _("已形成集体合同草案，请提交职代会表决。"),
        )
        if isinstance(response, HttpResponseRedirect):
            offer = self.get_object(request, object_id)
            if offer is not None and offer.contract_id:
                return HttpResponseRedirect(
                    reverse("admin:relations_collectivecontract_change", args=[offer.contract_id])
                )
        return response

    @action(description=_("撤回"), url_path="withdraw", icon="undo")
    def withdraw(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            WithdrawForm,
            _("撤回要约"),
            lambda o, d: services.offer_withdraw(actor=request.user, offer=o, **d),
            _("要约已撤回。"),
        )


class CampaignForm(ServiceForm):
    class Meta:
        model = OfferCampaign
        fields = ["union", "name", "starts_on", "ends_on", "target"]

    def run_service(self) -> OfferCampaign:
        return services.campaign_create(actor=self.actor, **self.cleaned_data)


@admin.register(OfferCampaign)
class OfferCampaignAdmin(ScopedModelAdmin):
    form = CampaignForm
    plain_edit = False
    list_display = ["name", "union", "starts_on", "ends_on", "target", "offers_link"]
    list_select_related = ["union"]
    search_fields = ["name"]
    autocomplete_fields = ["union"]
    readonly_fields = [*CampaignForm.Meta.fields, "progress"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else CampaignForm.Meta.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.progress_now = selectors.campaign_progress(actor=request.user, campaign=obj)
        return obj

    @display(description=_("要约"))
    def offers_link(self, obj: OfferCampaign) -> str:
        url = reverse("admin:relations_bargainingoffer_changelist") + (
            f"?offered_on__gte={obj.starts_on}&offered_on__lte={obj.ends_on}"
        )
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("查看"))

    @display(description=_("行动进展"))
    def progress(self, obj: OfferCampaign) -> str:
        p = getattr(obj, "progress_now", None)
        if p is None:
            return "—"
        return format_html(
            "<ul><li>{}：{}</li><li>{}：{}</li><li>{}：{}</li><li>{}：{}</li><li>{}：{}</li>"
            "<li>{}：{}</li><li>{}：{}{}</li></ul>",
            _("发出要约"),
            count(p.sent),
            _("已书面回应"),
            count(p.answered),
            _("协商中"),
            count(p.in_talks),
            _("已达成一致"),
            count(p.agreed),
            _("拒绝协商"),
            count(p.refused),
            _("已签订合同"),
            count(p.contracts_signed),
            _("要约企业"),
            count(p.enterprises),
            f"（{_('目标完成')} {percent(p.percent)}）" if p.percent is not None else "",
        )
