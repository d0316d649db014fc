"""Back office of hardship files: filing, the yearly review, leaving, household members,
documents, and the filters of dynamic management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ReadOnlyInline, ScopedModelAdmin, ServiceForm
from gonghui.core.errors import DomainError

from .. import selectors, services
from ..models import (
    CAUSES,
    DocumentKind,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    LeaveReason,
    Relation,
)
from .common import documents_html, run_action

CAUSE_NAMES = [name for name, _label in CAUSES]


class HardshipFileForm(ServiceForm):
    class Meta:
        model = HardshipFile
        fields = [
            "union",
            "head",
            "filed_on",
            "household_size",
            "income_per_head",
            "threshold",
            *CAUSE_NAMES,
            "situation",
            "address",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in ("union", "head", "filed_on", "income_per_head", "threshold"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def run_service(self) -> HardshipFile:
        data = dict(self.cleaned_data)
        causes = [n for n in CAUSE_NAMES if data.pop(n, False)]
        if self.instance.pk is None:
            return services.hardship_file_create(actor=self.actor, causes=causes, **data)
        changed = {
            k: self.cleaned_data[k] for k in self.changed_data if k in services.HARDSHIP_EDITABLE
        }
        return services.hardship_file_update(actor=self.actor, file=self.instance, **changed)


class MemberInline(ReadOnlyInline):
    model = HouseholdMember
    fk_name = "file"
    verbose_name_plural = _("家庭成员")
    fields = ["name", "relation", "birth_year", "situation"]
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = HardshipReview
    fk_name = "file"
    verbose_name_plural = _("年度复核")
    fields = ["reviewed_on", "income_per_head", "threshold", "outcome", "note", "reviewed_by"]
    readonly_fields = fields


class OnFileFilter(admin.SimpleListFilter):
    title = _("档案状态")
    parameter_name = "on_file"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("在档")), ("0", _("已退出"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "1":
            return queryset.filter(left_on__isnull=True)
        if self.value() == "0":
            return queryset.filter(left_on__isnull=False)
        return queryset


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("年度复核")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("overdue", _("已逾期")), ("due", _("30 天内到期"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = timezone.localdate()
        # The same selectors count the workbench's to-dos: its link lists exactly those files.
        if self.value() == "overdue":
            ids = selectors.files_review_overdue(actor=request.user, on=today).values("pk")
            return queryset.filter(pk__in=ids)
        if self.value() == "due":
            ids = selectors.files_review_due_soon(actor=request.user, on=today).values("pk")
            return queryset.filter(pk__in=ids)
        return queryset


class NeverHelpedFilter(admin.SimpleListFilter):
    title = _("帮扶情况")
    parameter_name = "helped"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("never", _("在档但从未获得帮扶"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "never":
            ids = selectors.files_never_helped(actor=request.user, on=timezone.localdate())
            return queryset.filter(pk__in=ids.values("pk"))
        return queryset


class ReviewForm(ActionForm):
    reviewed_on = forms.DateField(label=_("复核日期"))
    income_per_head = forms.DecimalField(label=_("家庭月人均收入（元）"), decimal_places=2)
    threshold = forms.DecimalField(label=_("当地困难标准（元/人·月）"), decimal_places=2)
    keep = forms.TypedChoiceField(
        label=_("复核结论"),
        choices=[("1", _("继续在档")), ("0", _("退出档案"))],
        coerce=lambda v: v == "1",
    )
    leave_reason = forms.ChoiceField(
        label=_("退出原因（退出时填写）"), choices=LeaveReason.choices, required=False
    )
    note = forms.CharField(label=_("复核说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threshold"].initial = self.obj.threshold
        self.fields["reviewed_on"].initial = timezone.localdate()


class LeaveForm(ActionForm):
    on = forms.DateField(label=_("退出日期"))
    reason = forms.ChoiceField(label=_("退出原因"), choices=LeaveReason.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MemberForm(ActionForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
    birth_year = forms.IntegerField(label=_("出生年份"), required=False)
    situation = forms.CharField(label=_("就业/就学/健康情况"), max_length=200, required=False)


class DocumentForm(ActionForm):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    upload = forms.FileField(
        label=_("文件"), help_text=_("PDF、JPG 或 PNG，单个文件不超过 10 MB；文件保存在非公开目录")
    )

    def __init__(self, data: Any = None, files: Any = None, **kwargs: Any) -> None:
        super().__init__(data, files=files, **kwargs)


@admin.register(HardshipFile)
class HardshipFileAdmin(ScopedModelAdmin):
    form = HardshipFileForm
    inlines = [MemberInline, ReviewInline]
    list_display = [
        "head_name",
        "head_ric",
        "union",
        "filed_on",
        "household_size",
        "status",
        "review_due_on",
        "last_reviewed_on",
        "left_reason",
    ]
    export_fields = (
        "head_name",
        "head_ric",
        "union",
        "filed_on",
        "household_size",
        "status",
        "review_due_on",
        "last_reviewed_on",
        "left_on",
        "left_reason",
    )
    list_filter = [OnFileFilter, ReviewDueFilter, NeverHelpedFilter, "left_reason", *CAUSE_NAMES]
    search_fields = ["head__name"]
    list_select_related = ["union", "head"]
    autocomplete_fields = ["head"]
    actions_detail = ["review", "leave", "add_member", "upload_document", "benefits"]
    end_field = "left_on"  # decision 0017: a family that left the file is history
    actions_by_state = {"open": ["review", "leave", "add_member", "upload_document"]}
    readonly_fields = [
        "review_due_on",
        "last_reviewed_on",
        "left_on",
        "left_reason",
        "left_note",
        "documents",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(HardshipFileForm.Meta.fields)
        if obj is not None:
            fields += self.readonly_fields
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    @display(description=_("户主"), ordering="head__name")
    def head_name(self, obj: HardshipFile) -> str:
        return obj.head.name

    @display(description=_("身份证号"))
    def head_ric(self, obj: HardshipFile) -> str:
        return obj.head.ric_masked

    @display(description=_("状态"), boolean=False)
    def status(self, obj: HardshipFile) -> str:
        return str(_("在档") if obj.left_on is None else _("已退出"))

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # the documents the page lists (read only if shown), in scope
            obj.document_list = selectors.documents_of(actor=request.user, file=obj)
        return obj

    @display(description=_("证明材料"))
    def documents(self, obj: HardshipFile) -> str:
        return documents_html(getattr(obj, "document_list", []))

    @action(description=_("年度复核"), url_path="review", icon="fact_check")
    def review(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            ReviewForm,
            _("年度复核"),
            lambda f, d: services.hardship_review(actor=request.user, file=f, **d),
            _("已记录年度复核。"),
        )

    @action(description=_("退出档案"), url_path="leave", icon="logout")
    def leave(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            LeaveForm,
            _("退出困难职工档案"),
            lambda f, d: services.hardship_file_leave(actor=request.user, file=f, **d),
            _("已办理退出档案。"),
        )

    @action(description=_("添加家庭成员"), url_path="member", icon="group_add")
    def add_member(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return run_action(
            self,
            request,
            object_id,
            MemberForm,
            _("添加家庭成员"),
            lambda f, d: services.hardship_member_add(actor=request.user, file=f, **d),
            _("已添加家庭成员。"),
        )

    @action(description=_("上传证明材料"), url_path="upload", icon="upload_file")
    def upload_document(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not ScopedModelAdmin.has_change_permission(self, request, obj):
            raise PermissionDenied
        form = DocumentForm(
            request.POST or None, request.FILES or None, actor=request.user, obj=obj
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.hardship_document_add(
                    actor=request.user,
                    file=obj,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["upload"],
                )
            except DomainError as err:
                form.add_error("upload", str(err.message))
            else:
                messages.success(request, str(_("已上传证明材料。")))
                return HttpResponseRedirect(
                    reverse("admin:assistance_hardshipfile_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("上传证明材料"),
            "subtitle": str(obj),
            "form": form,
            "object": obj,
            "opts": self.opts,
            "multipart": True,
        }
        return TemplateResponse(request, "assistance/upload.html", context)

    @action(description=_("受助记录"), url_path="benefits", icon="receipt_long")
    def benefits(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(reverse("admin:assistance_benefits") + f"?file={obj.pk}")
