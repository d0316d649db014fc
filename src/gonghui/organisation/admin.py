from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ScopedModelAdmin, ServiceForm
from gonghui.core.backoffice import panels_for

from . import services
from .models import Cadre, Coverage, Enterprise, Union
from .selectors import coverage_list


class UnionForm(ServiceForm):
    class Meta:
        model = Union
        fields = ["parent", "name", "code", "kind", "joint_kind", "founded_on", "address", "phone"]

    def run_service(self) -> Union:
        data = self.cleaned_data
        if self.instance.pk is None:
            return services.union_create(actor=self.actor, **data)
        changed = {k: data[k] for k in self.changed_data if k in services.UNION_EDITABLE}
        return services.union_update(actor=self.actor, union=self.instance, **changed)


class DissolveForm(ActionForm):
    on = forms.DateField(label=_("撤销日期"))
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class ActiveFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("存续")), ("dissolved", _("已撤销"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "active":
            return queryset.filter(dissolved_on__isnull=True)
        if self.value() == "dissolved":
            return queryset.filter(dissolved_on__isnull=False)
        return queryset


@admin.register(Union)
class UnionAdmin(ScopedModelAdmin):
    form = UnionForm
    list_display = [
        "indented_name",
        "code",
        "kind",
        "joint_kind",
        "parent",
        "founded_on",
        "dissolved_on",
        "current_members",
    ]
    export_fields = (
        "name",
        "code",
        "kind",
        "joint_kind",
        "parent",
        "founded_on",
        "dissolved_on",
        "current_members",
    )
    list_filter = ["kind", "joint_kind", ActiveFilter, ("founded_on", admin.DateFieldListFilter)]
    search_fields = ["name", "code"]
    search_help_text = _("工会名称或组织代码")
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    actions_detail = ["dissolve"]
    end_field = "dissolved_on"  # decision 0017
    actions_by_state = {"open": ["dissolve"]}
    date_hierarchy = "founded_on"
    # The panels other apps register for a union (members, cadres, activities, aid, report).
    change_form_template = "organisation/union_change_form.html"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        panels = panels_for(request, obj) if obj is not None else []
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "panels": panels}
        )

    def get_queryset(self, request: HttpRequest) -> Any:
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_members=Count(
                    "memberships",
                    filter=Q(memberships__started_on__lte=today)
                    & (Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gt=today)),
                )
            )
            .order_by("path")  # Meta.ordering is dropped from GROUP BY queries
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None:
            # The tree path is internal (the tree shows where a union stands).
            return ["parent", "kind", "dissolved_on", "dissolution_reason"]
        return []

    @display(description=_("名称"), ordering="path")
    def indented_name(self, obj: Union) -> str:
        return format_html("{}{}", "\u3000" * obj.depth, obj.name)

    @display(description=_("现有会员"), ordering="n_members")
    def current_members(self, obj: Union) -> int:
        return getattr(obj, "n_members", 0)

    @action(description=_("撤销该工会"), url_path="dissolve", icon="block")
    def dissolve(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=DissolveForm,
            title=_("撤销工会组织"),
            run=lambda obj, d: services.union_dissolve(
                actor=request.user, union=obj, on=d["on"], reason=d["reason"]
            ),
            success=_("工会组织已撤销。"),
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {"tree_url": reverse("admin:union_tree"), **(extra_context or {})}
        return super().changelist_view(request, extra)


class EnterpriseForm(ServiceForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "union",
            "industry",
            "above_scale",
            "workforce",
            "address",
            "contact_phone",
        ]

    def run_service(self) -> Enterprise:
        data = self.cleaned_data
        if self.instance.pk is None:
            return services.enterprise_create(actor=self.actor, **data)
        changed = {k: data[k] for k in self.changed_data}
        return services.enterprise_update(actor=self.actor, enterprise=self.instance, **changed)


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedModelAdmin):
    form = EnterpriseForm
    list_display = [
        "name",
        "uscc",
        "union",
        "industry",
        "above_scale",
        "workforce",
        "covering_union",
    ]
    # RelatedOnly: a plain filter on "union" would list every union of the district.
    list_filter = ["above_scale", "industry", ("union", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "uscc"]
    search_help_text = _("企业名称或统一社会信用代码")
    autocomplete_fields = ["union"]
    list_select_related = ["union"]
    # Shows the panels other apps register for an enterprise (contracts, honours...).
    change_form_template = "organisation/enterprise_change_form.html"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        panels = panels_for(request, obj) if obj is not None else []
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "panels": panels}
        )

    def get_queryset(self, request: HttpRequest) -> Any:
        from django.db.models import OuterRef, Subquery

        # Scoped: a covering union of another street is not named to this user.
        open_cov = coverage_list(actor=request.user).filter(
            enterprise=OuterRef("pk"), ended_on__isnull=True
        )
        return (
            super()
            .get_queryset(request)
            .annotate(covering_name=Subquery(open_cov.values("union__name")[:1]))
        )

    @display(description=_("覆盖工会"))
    def covering_union(self, obj: Enterprise) -> str:
        return getattr(obj, "covering_name", None) or "—"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return []


class CoverageForm(ServiceForm):
    class Meta:
        model = Coverage
        fields = ["union", "enterprise", "started_on"]

    def run_service(self) -> Coverage:
        return services.coverage_start(
            actor=self.actor,
            union=self.cleaned_data["union"],
            enterprise=self.cleaned_data["enterprise"],
            on=self.cleaned_data["started_on"],
        )


class EndForm(ActionForm):
    on = forms.DateField(label=_("终止日期"))


@admin.register(Coverage)
class CoverageAdmin(ScopedModelAdmin):
    form = CoverageForm
    list_display = ["enterprise", "union", "started_on", "ended_on"]
    list_filter = ["union__kind", "union__joint_kind", ("ended_on", admin.EmptyFieldListFilter)]
    search_fields = ["enterprise__name", "enterprise__uscc", "union__name"]
    list_select_related = ["enterprise", "union"]
    autocomplete_fields = ["enterprise", "union"]
    actions_detail = ["end_coverage"]
    end_field = "ended_on"  # decision 0017
    actions_by_state = {"open": ["end_coverage"]}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @action(description=_("终止覆盖"), url_path="end", icon="event_busy")
    def end_coverage(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=EndForm,
            title=_("终止覆盖"),
            run=lambda obj, d: services.coverage_end(actor=request.user, coverage=obj, on=d["on"]),
            success=_("覆盖已终止。"),
        )


class CadreForm(ServiceForm):
    class Meta:
        model = Cadre
        fields = [
            "union",
            "person",
            "position",
            "full_time",
            "appointed_on",
            "recruited_by_exam",
        ]

    def run_service(self) -> Cadre:
        return services.cadre_appoint(actor=self.actor, **self.cleaned_data)


@admin.register(Cadre)
class CadreAdmin(ScopedModelAdmin):
    form = CadreForm
    list_display = [
        "person",
        "union",
        "position",
        "full_time",
        "appointed_on",
        "ended_on",
        "recruited_by_exam",
    ]
    list_filter = [
        "position",
        "full_time",
        "recruited_by_exam",
        ("ended_on", admin.EmptyFieldListFilter),
    ]
    search_fields = ["person__name", "union__name"]
    list_select_related = ["person", "union"]
    autocomplete_fields = ["person", "union"]
    actions_detail = ["end_post"]
    end_field = "ended_on"  # decision 0017
    actions_by_state = {"open": ["end_post"]}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @action(description=_("离任"), url_path="end", icon="logout")
    def end_post(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=EndForm,
            title=_("办理离任"),
            run=lambda obj, d: services.cadre_end(actor=request.user, cadre=obj, on=d["on"]),
            success=_("已办理离任。"),
        )
