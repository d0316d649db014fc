"""The back office of assistance: hardship files, programmes, disbursements, applications,
festival visits and the Spring Breeze campaign.

Every write is a service call (add forms are ServiceForms; state changes are detail actions
through ``service_form_view``); paid disbursements, reversals and donations are read-only.
Lists hide hardship and medical details; documents and medical details open only through
views that check the reveal permission and log each view.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ReadOnlyInline, ScopedModelAdmin, ServiceForm
from gonghui.core.errors import DomainError
from gonghui.core.export import xlsx_bytes, xlsx_response
from gonghui.core.money import ZERO, total
from gonghui.core.scope import can_reveal, is_back_office
from gonghui.membership.selectors import person_get

from . import selectors, services
from .models import (
    CAUSES,
    AidApplication,
    Campaign,
    CondolenceVisit,
    Disbursement,
    DisbursementReversal,
    DisbursementState,
    DocumentKind,
    Donation,
    DonorCommendation,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    LeaveReason,
    PaymentMethod,
    Programme,
    Relation,
)

S = DisbursementState
CAUSE_NAMES = [name for name, _label in CAUSES]


def _run(
    model_admin: ScopedModelAdmin,
    request: HttpRequest,
    object_id: str,
    form: type[forms.Form],
    title: Any,
    run: Any,
    ok: Any,
    *,
    benefits: bool = False,
) -> HttpResponse:
    response = model_admin.service_form_view(
        request, object_id, form_class=form, title=title, run=run, success=ok
    )
    if benefits and isinstance(response, TemplateResponse) and response.context_data:
        obj = response.context_data["object"]
        qs = selectors.benefits_of(actor=request.user, person=obj.person, family=obj.family)
        response.context_data.update(
            benefits=qs[:50], totals=selectors.benefit_totals(qs), current=obj
        )
        response.template_name = "assistance/action_with_benefits.html"
    return response


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


def _documents_html(docs: Any) -> str:
    if not docs:
        return str(_("（无）"))
    return format_html(
        "<ul>{}</ul><p class='text-xs text-base-500'>{}</p>",
        format_html_join(
            "",
            '<li><a class="text-primary-600" href="{}" target="_blank" rel="noopener">{}</a>'
            " · {} KB</li>",
            (
                (
                    reverse("admin:assistance_document", args=[d.pk]),
                    # The uploaded file's name may say a diagnosis: it is shown only inside the
                    # logged document view, to those who may open it.
                    _("%(kind)s（第 %(n)s 号材料）") % {"kind": d.get_kind_display(), "n": d.pk},
                    (d.size + 1023) // 1024,
                )
                for d in docs
            ),
        ),
        _(
            "证明材料属于敏感个人信息：仅有查看权限的干部可以打开，每次打开都会记入个人信息查看记录。"
        ),
    )


# --- hardship files ------------------------------------------------------------------------
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
        if self.value() == "overdue":
            return queryset.filter(left_on__isnull=True, review_due_on__lt=today)
        if self.value() == "due":
            ids = selectors.files_due_for_review(actor=request.user, on=today).values("pk")
            return queryset.filter(pk__in=ids, review_due_on__gte=today)
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
        return _documents_html(getattr(obj, "document_list", []))

    @action(description=_("年度复核"), url_path="review", icon="fact_check")
    def review(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return _run(
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
        return _run(
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
        return _run(
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


# --- programmes ------------------------------------------------------------------------------
class ProgrammeForm(ServiceForm):
    class Meta:
        model = Programme
        fields = [
            "union",
            "name",
            "kind",
            "year",
            "recipient_kind",
            "budget",
            "max_amount",
            "eligibility",
            "requires_member",
            "requires_hardship_file",
            "women_only",
            "funder",
            "portal_open",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in ("union", "kind", "year", "recipient_kind"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def run_service(self) -> Programme:
        data = dict(self.cleaned_data)
        if self.instance.pk is None:
            return services.programme_create(actor=self.actor, **data)
        changed = {k: data[k] for k in self.changed_data if k in services.PROGRAMME_FIELDS}
        return services.programme_update(actor=self.actor, programme=self.instance, **changed)


@admin.register(Programme)
class ProgrammeAdmin(ScopedModelAdmin):
    form = ProgrammeForm
    list_display = [
        "name",
        "kind",
        "year",
        "union",
        "recipient_kind",
        "budget",
        "committed",
        "paid",
        "remaining_display",
        "disbursements_link",
    ]
    export_fields = (
        "name",
        "kind",
        "year",
        "union",
        "recipient_kind",
        "budget",
        "committed",
        "paid",
        "remaining_display",
        "funder",
    )
    list_filter = ["year", "kind", "recipient_kind", "portal_open"]
    search_fields = ["name", "funder"]
    list_select_related = ["union"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["committed", "paid", "remaining_display"] if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(ProgrammeForm.Meta.fields)
        if obj is not None:
            fields[6:6] = ["committed", "paid", "remaining_display"]
        return fields

    @display(description=_("剩余（元）"))
    def remaining_display(self, obj: Programme) -> Decimal:
        return obj.remaining

    @display(description=_("发放记录"))
    def disbursements_link(self, obj: Programme) -> str:
        url = (
            reverse("admin:assistance_disbursement_changelist") + f"?programme__id__exact={obj.pk}"
        )
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("查看"))


# --- disbursements ---------------------------------------------------------------------------
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
        return _run(
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
        return _run(
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
        return _run(
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
        return _run(
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
        return _run(
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
        return _medical_view(self, request, object_id)

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
            queryset.filter(state=S.APPROVED, method=PaymentMethod.BANK).order_by("union", "pk")
        )
        if not rows:
            messages.warning(request, str(_("所选记录中没有已审批、待银行转账的发放。")))
            return None
        if not all(can_reveal(request.user, d.union.path) for d in rows):
            messages.error(request, str(_("导出银行代发清单需要查看完整银行账号的权限。")))
            return None
        accounts = {
            d.pk: services.payee_account_reveal(
                actor=request.user, disbursement=d, reason=str(_("导出银行代发清单"))
            )
            for d in rows
        }
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

    def document_view(self, request: HttpRequest, pk: int) -> FileResponse:
        """Open a document: scope and reveal permission checked, the view logged."""
        try:
            doc = selectors.document_get(actor=request.user, id=pk)
            handle = services.document_open(actor=request.user, document=doc)
        except DomainError as err:
            if err.code == "pii_forbidden":
                raise PermissionDenied(str(err.message)) from None
            raise Http404(str(err.message)) from None
        response = FileResponse(handle, content_type=doc.content_type)
        response["Content-Disposition"] = "inline"
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class RevealMedicalForm(ActionForm):
    confirm = forms.BooleanField(label=_("因审核需要查看病情信息（将记入个人信息查看记录）"))


def _medical_view(model_admin: ScopedModelAdmin, request: HttpRequest, object_id: str):
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    form = RevealMedicalForm(request.POST or None, actor=request.user, obj=obj)
    revealed = None
    if not can_reveal(request.user, obj.union.path):
        form.cleaned_data = {}
        form.add_error(None, _("您没有查看病情等敏感信息的权限。"))
    elif request.method == "POST" and form.is_valid():
        revealed = services.medical_details_reveal(actor=request.user, obj=obj) or _("（未填写）")
    info = (model_admin.opts.app_label, model_admin.opts.model_name)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("查看病情信息"),
        "subtitle": str(obj),
        "form": form,
        "object": obj,
        "opts": model_admin.opts,
        "revealed": revealed,
        "back_url": reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]),
    }
    response = TemplateResponse(request, "assistance/reveal_medical.html", context)
    response["Cache-Control"] = "no-store"
    return response


@admin.register(DisbursementReversal)
class DisbursementReversalAdmin(ScopedModelAdmin):
    list_display = ["disbursement", "amount", "reason", "reversed_on", "reversed_by", "union"]
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


# --- festival visits -------------------------------------------------------------------------
class VisitForm(ServiceForm):
    class Meta:
        model = CondolenceVisit
        fields = ["programme", "union", "enterprise", "visited_on", "visitors", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "programme" in self.fields:
            self.fields["programme"].queryset = selectors.programmes_proposable(  # type: ignore[attr-defined]
                actor=self.actor
            ).filter(kind="festival")

    def run_service(self) -> CondolenceVisit:
        return services.visit_record(actor=self.actor, **self.cleaned_data)


@admin.register(CondolenceVisit)
class CondolenceVisitAdmin(ScopedModelAdmin):
    form = VisitForm
    list_display = ["visited_on", "enterprise", "union", "programme", "visitors", "persons"]
    list_filter = [("visited_on", admin.DateFieldListFilter), "programme__year"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "union", "programme"]
    autocomplete_fields = ["enterprise"]
    plain_edit = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(n_persons=Count("disbursements"))

    @display(description=_("慰问人数"), ordering="n_persons")
    def persons(self, obj: CondolenceVisit) -> int:
        return getattr(obj, "n_persons", 0)


# --- applications ----------------------------------------------------------------------------
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
    actions_detail = ["accept", "reject", "benefits", "medical"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # workers apply from the portal

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # the documents the page lists (read only if shown), in scope
            obj.document_list = selectors.documents_of(actor=request.user, application=obj)
        return obj

    @display(description=_("证明材料"))
    def documents(self, obj: AidApplication) -> str:
        return _documents_html(getattr(obj, "document_list", []))

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
        return _medical_view(self, request, object_id)


# --- the Spring Breeze Action ----------------------------------------------------------------
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

    @display(description=_("已募集（元）"), ordering="raised")
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
            total(qs),
            qs.count(),
            _("按捐款方类型"),
            format_html_join(
                "",
                "<li>{}：{} 元（{} 笔）</li>",
                ((labels.get(r["donor_kind"]), r["total"], r["n"]) for r in by_kind),
            ),
            _("按街道"),
            format_html_join(
                "",
                "<li>{}：{} 元（{} 笔）</li>",
                ((r["street"], r["total"], r["n"]) for r in by_street),
            ),
            _("捐款先进单位"),
            format_html_join(
                "", "<li>{}（{} 元）</li>", ((c.donor_name, c.total) for c in commended)
            ),
        )

    @action(description=_("表彰捐款先进单位"), url_path="commend", icon="military_tech")
    def commend(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return _run(
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
        return _run(
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
    list_filter = ["campaign__year", "donor_kind"]
    search_fields = ["donor_name"]
    list_select_related = ["campaign", "union"]
    plain_edit = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by the campaign's "commend" action

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
