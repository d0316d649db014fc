"""The back office of demonstration sites, CSR building and tripartite meetings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ScopedModelAdmin, ServiceForm

from .. import services
from ..models import CsrLevel, CsrParticipation, CsrRating, DemoSite, TripartiteMeeting
from .common import run_action, today_field


class ReadOnlyAfterCreate(ScopedModelAdmin):
    """Records written by a service at creation and changed only by detail actions."""

    plain_edit = False
    create_fields: list[str] = []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else self.create_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)


class DemoSiteForm(ServiceForm):
    class Meta:
        model = DemoSite
        fields = ["enterprise", "level", "designated_on"]

    def run_service(self) -> DemoSite:
        return services.demo_site_designate(actor=self.actor, **self.cleaned_data)


class WithdrawForm(ActionForm):
    on = today_field(_("撤销日期"))
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class OpenFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("有效")), ("0", _("已撤销"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() in ("0", "1"):
            return queryset.filter(withdrawn_on__isnull=self.value() == "1")
        return queryset


@admin.register(DemoSite)
class DemoSiteAdmin(ReadOnlyAfterCreate):
    form = DemoSiteForm
    create_fields = DemoSiteForm.Meta.fields
    list_display = ["enterprise", "level", "union", "designated_on", "withdrawn_on"]
    export_fields = (
        "enterprise",
        "level",
        "union",
        "designated_on",
        "withdrawn_on",
        "withdrawal_reason",
    )
    list_filter = [OpenFilter, "level", ("designated_on", admin.DateFieldListFilter)]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "union"]
    autocomplete_fields = ["enterprise"]
    date_hierarchy = "designated_on"
    actions_detail = ["withdraw"]
    end_field = "withdrawn_on"  # decision 0017
    actions_by_state = {"open": ["withdraw"]}
    readonly_fields = [
        "enterprise",
        "union",
        "level",
        "designated_on",
        "withdrawn_on",
        "withdrawal_reason",
    ]

    @action(description=_("撤销"), url_path="withdraw", icon="block")
    def withdraw(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            WithdrawForm,
            _("撤销和谐示范点"),
            lambda s, d: services.demo_site_withdraw(actor=request.user, site=s, **d),
            _("已撤销。"),
        )


class CsrJoinForm(ServiceForm):
    class Meta:
        model = CsrParticipation
        fields = ["enterprise", "joined_on", "sme"]

    def run_service(self) -> CsrParticipation:
        return services.csr_join(actor=self.actor, **self.cleaned_data)


@admin.register(CsrParticipation)
class CsrParticipationAdmin(ReadOnlyAfterCreate):
    form = CsrJoinForm
    create_fields = CsrJoinForm.Meta.fields
    list_display = ["enterprise", "union", "joined_on", "sme"]
    list_filter = ["sme", ("joined_on", admin.DateFieldListFilter)]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "union"]
    autocomplete_fields = ["enterprise"]
    date_hierarchy = "joined_on"
    readonly_fields = ["enterprise", "union", "joined_on", "sme", "left_on"]


class CsrRateForm(ServiceForm):
    class Meta:
        model = CsrRating
        fields = ["enterprise", "level", "rated_on", "round"]

    def run_service(self) -> CsrRating:
        return services.csr_rate(actor=self.actor, **self.cleaned_data)


class ReReviewForm(ActionForm):
    level = forms.ChoiceField(label=_("复核等级"), choices=CsrLevel.choices)
    rated_on = today_field(_("复核日期"))


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("复核")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("due", _("到期待复核")), ("done", _("复核评定"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        from django.utils import timezone

        if self.value() == "due":
            return queryset.filter(review__isnull=True, review_due_on__lte=timezone.localdate())
        if self.value() == "done":
            return queryset.filter(reviews__isnull=False)
        return queryset


@admin.register(CsrRating)
class CsrRatingAdmin(ReadOnlyAfterCreate):
    form = CsrRateForm
    create_fields = CsrRateForm.Meta.fields
    list_display = ["enterprise", "level", "round", "union", "rated_on", "review_due_on", "kind"]
    list_filter = [ReviewDueFilter, "level", "round"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "union", "reviews"]
    autocomplete_fields = ["enterprise"]
    actions_detail = ["re_review"]
    readonly_fields = [
        "enterprise",
        "union",
        "level",
        "round",
        "rated_on",
        "review_due_on",
        "reviews",
    ]

    @display(description=_("评定类型"))
    def kind(self, obj: CsrRating) -> str:
        return str(_("复核") if obj.reviews_id else _("首次评定"))

    @action(description=_("复核"), url_path="re-review", icon="fact_check")
    def re_review(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            ReReviewForm,
            _("复核企业社会责任评定"),
            lambda r, d: services.csr_rate(
                actor=request.user,
                enterprise=r.enterprise,
                union=r.union,
                reviews=r,
                level=d["level"],
                rated_on=d["rated_on"],
            ),
            _("已登记复核。"),
        )


class MeetingForm(ServiceForm):
    class Meta:
        model = TripartiteMeeting
        fields = [
            "union",
            "held_on",
            "title",
            "bureau_participants",
            "union_participants",
            "employer_participants",
            "topics",
            "minutes",
        ]

    def run_service(self) -> TripartiteMeeting:
        return services.meeting_record(actor=self.actor, **self.cleaned_data)


@admin.register(TripartiteMeeting)
class TripartiteMeetingAdmin(ReadOnlyAfterCreate):
    form = MeetingForm
    create_fields = MeetingForm.Meta.fields
    list_display = ["held_on", "title", "union", "topics"]
    list_filter = [("held_on", admin.DateFieldListFilter)]
    search_fields = ["title", "topics"]
    list_select_related = ["union"]
    autocomplete_fields = ["union"]
    date_hierarchy = "held_on"
    readonly_fields = MeetingForm.Meta.fields
