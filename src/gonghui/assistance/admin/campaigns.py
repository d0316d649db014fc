"""Back office of the Spring Breeze Action: campaigns and their summary, donations with
printable receipts, voiding, and the donor units commended."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core import money, numbers
from gonghui.core.admin_base import ActionForm, ScopedModelAdmin, ServiceForm, money_display
from gonghui.core.money import ZERO

from .. import selectors, services
from ..models import Campaign, Donation, DonorCommendation
from .common import run_action


class CampaignForm(ServiceForm):
    class Meta:
        model = Campaign
        fields = ["union", "year", "name", "receipt_prefix", "target"]

    def run_service(self) -> Campaign:
        return services.campaign_create(actor=self.actor, **self.cleaned_data)


class CommendForm(ActionForm):
    n = forms.IntegerField(label=_("表彰单位数"), initial=10, min_value=1, max_value=100)
    on = forms.DateField(label=_("表彰日期"))


@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin):
    form = CampaignForm
    list_display = ["name", "year", "union", "target", "total", "donations_link"]
    list_totals = ("target",)
    list_select_related = ["union"]
    list_filter = ["year"]
    search_fields = ["name"]
    plain_edit = False
    actions_detail = ["commend"]
    readonly_fields = ["union", "year", "name", "receipt_prefix", "target", "summary"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.readonly_fields if obj is not None else CampaignForm.Meta.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        raised = Sum("donations__amount", filter=Q(donations__voided_at__isnull=True))
        return super().get_queryset(request).annotate(raised=raised)

    @money_display(_("已募集（元）"), ordering="raised")
    def total(self, obj: Campaign) -> Decimal:
        return getattr(obj, "raised", None) or ZERO

    @display(description=_("捐款记录"))
    def donations_link(self, obj: Campaign) -> str:
        url = reverse("admin:assistance_donation_changelist") + f"?campaign__id__exact={obj.pk}"
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("查看"))

    @display(description=_("募集情况"))
    def summary(self, obj: Campaign) -> str:
        qs = selectors.campaign_donations(campaign=obj)
        by_kind = selectors.donation_totals_by_kind(qs)
        labels = dict(Donation._meta.get_field("donor_kind").choices or [])
        by_street = selectors.donation_totals_by_street(qs, obj.union)
        commended = selectors.campaign_commendations(campaign=obj)
        return format_html(
            "<p><b>{}</b> {} 元（{} 笔）</p><p><b>{}</b></p><ul>{}</ul><p><b>{}</b></p><ul>{}</ul>"
            "<p><b>{}</b></p><ol>{}</ol>",
            _("合计"),
            numbers.yuan(money.total(qs)),
            qs.count(),
            _("按捐款方类型"),
            format_html_join(
                "",
                "<li>{}：{} 元（{} 笔）</li>",
                ((labels.get(r["donor_kind"]), numbers.yuan(r["total"]), r["n"]) for r in by_kind),
            ),
            _("按街道"),
            format_html_join(
                "",
                "<li>{}：{} 元（{} 笔）</li>",
                ((r["street"], numbers.yuan(r["total"]), r["n"]) for r in by_street),
            ),
            _("捐款先进单位"),
            format_html_join(
                "",
                "<li>{}（{} 元）</li>",
                ((c.donor_name, numbers.yuan(c.total)) for c in commended),
            ),
        )

    @action(description=_("表彰捐款先进单位"), url_path="commend", icon="military_tech")
    def commend(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            CommendForm,
            _("表彰捐款最多的单位"),
            lambda c, d: services.campaign_commend_top_donors(
                actor=request.user, campaign=c, n=d["n"], on=d["on"]
            ),
            _("已登记捐款先进单位。"),
        )


class DonationForm(ServiceForm):
    class Meta:
        model = Donation
        fields = [
            "campaign",
            "union",
            "donor_kind",
            "donor_name",
            "donor_enterprise",
            "donor_union",
            "donor_person",
            "amount",
            "donated_on",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "campaign" not in self.fields:
            return
        self.fields["donor_name"].required = False
        self.fields["campaign"].queryset = selectors.campaigns_recordable(  # type: ignore[attr-defined]
            actor=self.actor
        )

    def run_service(self) -> Donation:
        return services.donation_record(actor=self.actor, **self.cleaned_data)


class VoidForm(ActionForm):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class VoidedFilter(admin.SimpleListFilter):
    title = _("是否作废")
    parameter_name = "voided"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("0", _("有效")), ("1", _("已作废"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() in ("0", "1"):
            return queryset.filter(voided_at__isnull=self.value() == "0")
        return queryset


@admin.register(Donation)
class DonationAdmin(ScopedModelAdmin):
    form = DonationForm
    list_totals = ((_("有效捐款金额（元）"), Sum("amount", filter=Q(voided_at__isnull=True))),)
    list_display = [
        "receipt_no",
        "donor_name",
        "donor_kind",
        "amount",
        "donated_on",
        "union",
        "voided",
        "receipt_link",
    ]
    export_fields = (
        "receipt_no",
        "donor_name",
        "donor_kind",
        "amount",
        "donated_on",
        "union",
        "voided",
    )
    list_filter = [
        "donor_kind",
        VoidedFilter,
        "campaign__year",
        ("donated_on", admin.DateFieldListFilter),
    ]
    search_fields = ["donor_name", "receipt_no"]
    list_select_related = ["union", "campaign"]
    autocomplete_fields = ["donor_enterprise", "donor_person"]
    plain_edit = False
    actions_detail = ["receipt", "void"]
    end_field = "voided_at"  # decision 0017
    actions_by_state = {"open": ["void"]}
    VIEW_FIELDS = [
        "receipt_no",
        "campaign",
        "union",
        "donor_kind",
        "donor_name",
        "donor_enterprise",
        "donor_union",
        "donor_person",
        "amount",
        "donated_on",
        "recorded_by",
        "recorded_at",
        "voided_by",
        "voided_at",
        "void_reason",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.VIEW_FIELDS if obj is not None else DonationForm.Meta.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.VIEW_FIELDS if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description=_("作废"), boolean=True)
    def voided(self, obj: Donation) -> bool:
        return obj.voided_at is not None

    @display(description=_("收据"))
    def receipt_link(self, obj: Donation) -> str:
        url = reverse("admin:assistance_donation_receipt", args=[obj.pk])
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("打印"))

    @action(description=_("打印收据"), url_path="receipt", icon="print")
    def receipt(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        from .receipts import amount_in_words

        context = {"donation": obj, "words": amount_in_words(obj.amount)}
        return TemplateResponse(request, "assistance/receipt.html", context)

    @action(description=_("作废"), url_path="void", icon="block")
    def void(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            VoidForm,
            _("作废捐款记录"),
            lambda d, data: services.donation_void(
                actor=request.user, donation=d, reason=data["reason"]
            ),
            _("已作废。"),
        )


@admin.register(DonorCommendation)
class DonorCommendationAdmin(ScopedModelAdmin):
    list_display = ["rank", "donor_name", "donor_kind", "total", "campaign", "commended_on"]
    list_totals = ("total",)
    list_filter = ["campaign__year", "donor_kind"]
    search_fields = ["donor_name"]
    list_select_related = ["campaign", "union"]
    plain_edit = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by the campaign's "commend" action

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
