"""The back office of the harmony-index assessment: the year's indicator set (edited with its
indicators on one page, weights checked by the service) and the sampled enterprises'
assessments moving to scored, with the index and its change from last year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ScopedModelAdmin, ServiceForm
from gonghui.core.scope import can_write_anything, is_back_office, user_scope

from .. import harmony, selectors, services
from ..models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    Indicator,
    IndicatorSet,
)
from .common import run_action, today_field

A = AssessmentStatus


class IndicatorInline(TabularInline):
    """The set's indicators, written together with the set by ``indicator_set_save``."""

    model = Indicator
    fields = ["order", "code", "name", "weight"]
    extra = 0
    can_delete = True

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_back_office(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class IndicatorSetForm(ServiceForm):
    #: the indicator rows of the page's formset, handed over by the admin before the service
    rows: list[dict[str, Any]] = []

    class Meta:
        model = IndicatorSet
        fields = ["federation", "year", "name", "aggregation"]

    def run_service(self) -> IndicatorSet:
        return services.indicator_set_save(
            actor=self.actor,
            indicators=self.rows,
            indicator_set=self.instance if self.instance.pk else None,
            **self.cleaned_data,
        )


@admin.register(IndicatorSet)
class IndicatorSetAdmin(ScopedModelAdmin):
    form = IndicatorSetForm
    plain_edit = False
    inlines = [IndicatorInline]
    list_display = ["year", "name", "federation", "aggregation", "weights"]
    list_select_related = ["federation"]
    search_fields = ["name"]
    readonly_fields = ["index_summary"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(IndicatorSetForm.Meta.fields)
        return [*fields, "index_summary"] if obj is not None else fields

    # A set is read by the unions below its federation and changed by its writers only.
    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.indicator_set_list(actor=request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_back_office(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not can_write_anything(request.user):
            return False
        return obj is None or user_scope(request.user).covers(obj.federation.path, mode="write")

    def _create_formsets(self, request: HttpRequest, obj: Any, change: bool) -> Any:
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        request._indicator_formsets = formsets  # type: ignore[attr-defined]
        return formsets, inline_instances

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        rows = []
        for formset in getattr(request, "_indicator_formsets", []):
            for f in formset.forms:
                data = getattr(f, "cleaned_data", None)
                if data and not data.get("DELETE") and data.get("code"):
                    rows.append({k: data.get(k) for k in ("code", "name", "weight", "order")})
        form.rows = rows
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # indicator_set_save wrote the indicators with the set (weights checked together).
        return None

    def construct_change_message(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []  # the audit trail records the change (the formsets saved nothing themselves)

    @display(description=_("权重合计"))
    def weights(self, obj: IndicatorSet) -> Decimal:
        return harmony.weights_total(i.weight for i in obj.indicators.all())

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.area_now = selectors.area_index(
                actor=request.user, union=obj.federation, year=obj.year
            )
        return obj

    @display(description=_("区域和谐指数"))
    def index_summary(self, obj: IndicatorSet) -> str:
        area = getattr(obj, "area_now", None)
        if area is None or area.value is None:
            return str(_("尚无评分"))
        change = area.change
        return format_html(
            "{}（{}，{} {}）{}",
            area.value,
            obj.get_aggregation_display(),
            area.scored,
            _("家企业"),
            format_html("，{} {}", _("较上年"), f"{change:+}") if change is not None else "",
        )


class SampleForm(ServiceForm):
    class Meta:
        model = Assessment
        fields = ["indicator_set", "enterprise", "sampled_on"]

    def run_service(self) -> Assessment:
        return services.assessment_sample(actor=self.actor, **self.cleaned_data)


class StepForm(ActionForm):
    on = today_field(_("日期"))


class ScoreForm(ActionForm):
    on = today_field(_("评分日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for ind in self.obj.indicator_set.indicators.all():
            self.fields[f"score_{ind.code}"] = forms.DecimalField(
                label=f"{ind.code} {ind.name}（{_('权重')} {ind.weight}）",
                min_value=0,
                max_value=100,
                decimal_places=2,
            )


class PendingFilter(admin.SimpleListFilter):
    title = _("待办")
    parameter_name = "pending"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("not_collected", _("尚未完成实地采集"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "not_collected":
            return queryset.filter(status__in=[A.SAMPLED, A.REPORTED])
        return queryset


class ScoreInline(admin.TabularInline):
    model = AssessmentScore
    fields = ["indicator", "score"]
    readonly_fields = ["indicator", "score"]
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_back_office(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(ScopedModelAdmin):
    form = SampleForm
    plain_edit = False
    inlines = [ScoreInline]
    list_display = [
        "enterprise",
        "year",
        "union",
        "status",
        "sampled_on",
        "reported_on",
        "collected_on",
        "index",
        "change",
    ]
    list_filter = [PendingFilter, "status", "indicator_set__year"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "union", "indicator_set"]
    autocomplete_fields = ["enterprise"]
    actions_detail = ["report", "collect", "score"]
    actions_by_state = {  # decision 0017: one step after the other
        "sampled": ["report"],
        "reported": ["collect"],
        "collected": ["score"],
        "scored": [],
    }
    readonly_fields = [
        "indicator_set",
        "enterprise",
        "union",
        "status",
        "sampled_on",
        "reported_on",
        "collected_on",
        "scored_on",
        "index",
        "change",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else SampleForm.Meta.fields

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # The related lists belong to a record on file, not to the add page.
        return list(self.inlines) if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> Any:
        last_year = Assessment.objects.filter(
            enterprise=OuterRef("enterprise"),
            indicator_set__year=OuterRef("indicator_set__year") - 1,
            status=A.SCORED,
        ).values("index")[:1]
        return super().get_queryset(request).annotate(previous=Subquery(last_year))

    @display(description=_("年度"), ordering="indicator_set__year")
    def year(self, obj: Assessment) -> int:
        return obj.indicator_set.year

    @display(description=_("较上年"))
    def change(self, obj: Assessment) -> str:
        previous = getattr(obj, "previous", None)
        if previous is None and not hasattr(obj, "previous"):
            previous = selectors.previous_index(obj)
        delta = harmony.change(obj.index, previous)
        return "—" if delta is None else f"{delta:+}"

    def _step(self, request, object_id, form, title, run, ok) -> HttpResponse:
        return run_action(self, request, object_id, form, title, run, ok)

    @action(description=_("企业已报送"), url_path="report", icon="upload")
    def report(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            StepForm,
            _("登记企业报送测评数据"),
            lambda a, d: services.assessment_report(actor=request.user, assessment=a, **d),
            _("已登记企业报送。"),
        )

    @action(description=_("实地采集"), url_path="collect", icon="travel_explore")
    def collect(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step(
            request,
            object_id,
            StepForm,
            _("登记实地采集"),
            lambda a, d: services.assessment_collect(actor=request.user, assessment=a, **d),
            _("已登记实地采集。"),
        )

    @action(description=_("评分"), url_path="score", icon="grading")
    def score(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def run(a: Assessment, d: dict[str, Any]) -> Assessment:
            scores = {k.removeprefix("score_"): v for k, v in d.items() if k.startswith("score_")}
            return services.assessment_score(
                actor=request.user, assessment=a, on=d["on"], scores=scores
            )

        return self._step(
            request, object_id, ScoreForm, _("测评评分"), run, _("已完成评分，和谐指数已计算。")
        )
