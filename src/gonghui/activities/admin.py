"""Back office for activities: the list, the form, publish/close/cancel/copy, the door list for
check-in (by scanning the membership card's QR code or from the list) and consultations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import ActionForm, ScopedModelAdmin, ServiceForm
from gonghui.core.errors import DomainError
from gonghui.core.export import Column, xlsx_bytes, xlsx_response
from gonghui.core.scope import user_scope

from . import services
from .models import (
    Activity,
    ActivityKind,
    Consultation,
    ConsultationTopic,
    Registration,
    RegistrationStatus,
)
from .selectors import activities_to_close, registration_list

S = RegistrationStatus

FORM_FIELDS = [
    "union",
    "kind",
    "series",
    "title",
    "description",
    "place",
    "starts_on",
    "start_time",
    "ends_on",
    "capacity",
    "allocation",
    "opens_at",
    "closes_at",
    "members_only",
    "migrants_only",
    "women_only",
    "hardship_only",
    "hardship_priority",
    "child_min_age",
    "child_max_age",
    "jobs_offered",
]


class ActivityForm(ServiceForm):
    class Meta:
        model = Activity
        fields = FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "ends_on" in self.fields:
            self.fields["ends_on"].required = False
            self.fields["ends_on"].help_text = _("一天的活动可不填")
        if self.instance.pk is not None and "union" in self.fields:
            self.fields["union"].disabled = True

    def run_service(self) -> Activity:
        data = dict(self.cleaned_data)
        union = data.pop("union")
        if self.instance.pk is None:
            if data.get("ends_on") is None:
                data["ends_on"] = data.get("starts_on")
            return services.activity_create(actor=self.actor, union=union, **data)
        changed = {k: data[k] for k in self.changed_data if k in services.ACTIVITY_EDITABLE}
        if "ends_on" in changed and changed["ends_on"] is None:
            changed["ends_on"] = data.get("starts_on")
        return services.activity_update(actor=self.actor, activity=self.instance, **changed)


class CancelForm(ActionForm):
    reason = forms.CharField(label=_("取消原因"), max_length=300, help_text=_("将通知所有报名人"))


class CloseForm(ActionForm):
    seed = forms.IntegerField(
        label=_("抽签种子"),
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("抽签活动使用；不填则随机生成。种子会公布，任何人可据此复核抽签结果。"),
    )


class CopyForm(ActionForm):
    starts_on = forms.DateField(
        label=_("新活动开始日期"), required=False, help_text=_("默认次年同日")
    )


class ConsultationForm(ActionForm):
    topic = forms.ChoiceField(label=_("咨询类别"), choices=ConsultationTopic.choices)
    count = forms.IntegerField(label=_("咨询人次"), min_value=1, max_value=100000)


class RegisterForm(ActionForm):
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    ric_or_name = forms.CharField(
        label=_("报名人"),
        max_length=40,
        help_text=_("输入完整身份证号，或在本工会范围内唯一的姓名"),
    )
    child_name = forms.CharField(label=_("子女姓名"), max_length=50, required=False)
    child_birth_date = forms.DateField(label=_("子女出生日期"), required=False)

    def clean(self) -> dict[str, Any]:
        from gonghui.membership.selectors import person_list

        data = super().clean() or {}
        text = (data.get("ric_or_name") or "").strip()
        if text:
            found = list(person_list(actor=self.actor, search=text)[:2])
            exact = [p for p in found if p.name == text] or found
            if len(exact) != 1:
                self.add_error(
                    "ric_or_name",
                    _("找不到此人") if not exact else _("有重名，请输入身份证号"),
                )
            else:
                data["person_obj"] = exact[0]
        return data


def _confirm(
    admin_obj: ScopedModelAdmin, request: HttpRequest, object_id: str, fn: Any, ok: Any
) -> HttpResponse:
    """A detail action without input: GET asks ``ok["question"]``, POST runs ``fn(obj)`` and
    returns to the object's page with ``ok["done"]`` or the service's refusal."""
    obj = admin_obj.get_object(request, object_id)
    opts = admin_obj.opts
    if obj is None:
        return admin_obj._get_obj_does_not_exist_redirect(request, opts, object_id)
    if request.method != "POST":
        context = {
            **admin_obj.admin_site.each_context(request),
            "title": ok["title"],
            "subtitle": str(obj),
            "question": ok["question"],
            "object": obj,
            "opts": opts,
        }
        return TemplateResponse(request, "activities/confirm.html", context)
    try:
        fn(obj)
    except DomainError as err:
        messages.error(request, str(err.message))
    else:
        messages.success(request, str(ok["done"]))
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )


class ToCloseFilter(admin.SimpleListFilter):
    """The workbench's to-dos: registration to close, or a lottery to draw (the same selector
    counts them there)."""

    title = _("待办")
    parameter_name = "todo"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("close", _("报名已截止待关闭")), ("draw", _("报名已截止待抽签"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() not in ("close", "draw"):
            return queryset
        due = activities_to_close(
            actor=request.user, now=timezone.now(), lottery=self.value() == "draw"
        )
        return queryset.filter(pk__in=due.values("pk"))


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    form = ActivityForm
    list_display = [
        "title",
        "kind",
        "union",
        "starts_on",
        "status",
        "places",
        "waiting",
        "series",
    ]
    export_fields = (
        "title",
        "kind",
        "union",
        "starts_on",
        "ends_on",
        "place",
        "status",
        "capacity",
        "taken",
        "waiting",
        "series",
        "jobs_offered",
    )
    list_filter = [
        ToCloseFilter,
        "kind",
        "status",
        "series",
        "allocation",
        ("starts_on", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "place", "union__name"]
    search_help_text = _("活动名称、地点或主办工会")
    date_hierarchy = "starts_on"
    list_select_related = ["union"]
    autocomplete_fields = ["union"]
    readonly_fields = ["status", "taken", "waiting", "lottery_seed", "lottery_drawn_at"]
    actions_detail = [
        "door_list",
        "publish",
        "close",
        "register_someone",
        {
            "title": _("更多"),
            "icon": "more_horiz",
            "items": ["record_consultation", "no_shows", "copy", "cancel"],
        },
    ]
    # What each state offers (decision 0017); "past" is an activity whose last day is over.
    # copy is offered in every state.
    actions_by_state = {
        "draft": ["publish", "cancel"],
        "published": ["door_list", "close", "register_someone", "record_consultation", "cancel"],
        "closed": ["door_list", "record_consultation", "cancel"],
        "past": ["door_list", "record_consultation", "no_shows"],
        "cancelled": [],
    }

    def state_of(self, obj: Activity) -> str:
        if obj.status != "cancelled" and obj.ends_on < timezone.localdate():
            return "past"
        return str(obj.status)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        extra = ["cancelled_reason", "copied_from"]
        return [*self.readonly_fields, *extra]

    @display(description=_("名额"), ordering="capacity")
    def places(self, obj: Activity) -> str:
        if obj.capacity is None:
            return "—"
        return f"{obj.taken}/{obj.capacity}"

    @action(description=_("发布"), url_path="publish", icon="campaign")
    def publish(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return _confirm(
            self,
            request,
            object_id,
            lambda obj: services.activity_publish(actor=request.user, activity=obj),
            {
                "title": _("发布活动"),
                "question": _("发布后职工即可在网上职工之家看到并报名。"),
                "done": _("活动已发布。"),
            },
        )

    @action(description=_("登记未到场"), url_path="no-shows", icon="person_off")
    def no_shows(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return _confirm(
            self,
            request,
            object_id,
            lambda obj: services.record_no_shows(actor=request.user, activity=obj),
            {
                "title": _("登记未到场"),
                "question": _("把所有已报名但未签到的人登记为未到场。"),
                "done": _("已登记未到场人员。"),
            },
        )

    @action(description=_("截止报名/抽签"), url_path="close", icon="event_busy")
    def close(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=CloseForm,
            title=_("截止报名"),
            run=lambda obj, d: services.activity_close(
                actor=request.user, activity=obj, seed=d["seed"]
            ),
            success=_("已截止报名。"),
        )

    @action(description=_("取消活动"), url_path="cancel", icon="cancel")
    def cancel(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=CancelForm,
            title=_("取消活动"),
            run=lambda obj, d: services.activity_cancel(
                actor=request.user, activity=obj, reason=d["reason"]
            ),
            success=_("活动已取消，报名人已收到通知。"),
        )

    @action(description=_("复制为新活动"), url_path="copy", icon="content_copy")
    def copy(self, request: HttpRequest, object_id: str) -> HttpResponse:
        made: list[Activity] = []

        def run(obj: Activity, d: dict[str, Any]) -> None:
            made.append(
                services.activity_copy(actor=request.user, activity=obj, starts_on=d["starts_on"])
            )

        response = self.service_form_view(
            request,
            object_id,
            form_class=CopyForm,
            title=_("复制为新活动"),
            run=run,
            success=_("已复制为草稿，请核对后发布。"),
        )
        if made:
            return HttpResponseRedirect(
                reverse("admin:activities_activity_change", args=[made[0].pk])
            )
        return response

    @action(description=_("登记咨询"), url_path="consultation", icon="support_agent")
    def record_consultation(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=ConsultationForm,
            title=_("登记流动服务日咨询人次"),
            run=lambda obj, d: services.consultation_record(
                actor=request.user, activity=obj, topic=d["topic"], count=d["count"]
            ),
            success=_("咨询人次已登记。"),
        )

    @action(description=_("代为报名"), url_path="register", icon="person_add")
    def register_someone(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=RegisterForm,
            title=_("代职工报名"),
            run=lambda obj, d: services.registration_create(
                actor=request.user,
                activity=obj,
                person=d["person_obj"],
                child_name=d["child_name"],
                child_birth_date=d["child_birth_date"],
            ),
            success=_("已报名。"),
        )

    @action(description=_("签到名单"), url_path="door", icon="qr_code_scanner")
    def door_list(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The door: scan a membership card (a phone camera or a hand scanner types the code
        into the box) or tick people off the list."""
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        may_write = user_scope(request.user).covers(obj.union.path, mode="write")
        if request.method == "POST":
            if not may_write:
                raise PermissionDenied
            try:
                if request.POST.get("token"):
                    done = services.checkin_by_card(
                        actor=request.user, activity=obj, token=request.POST["token"]
                    )
                else:
                    reg = registration_list(actor=request.user, activity=obj).get(
                        pk=request.POST.get("registration") or 0
                    )
                    done = [services.checkin(actor=request.user, registration=reg)]
            except Registration.DoesNotExist:
                messages.error(request, str(_("找不到该报名记录。")))
            except (DomainError, ValueError) as err:
                messages.error(request, str(getattr(err, "message", err)))
            else:
                names = "、".join(
                    r.person.name + (f"（{r.child_name}）" if r.child_name else "") for r in done
                )
                messages.success(request, str(_("%s 签到成功。") % names))
            query = request.GET.urlencode()
            return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        q = request.GET.get("q", "").strip()
        regs = registration_list(actor=request.user, activity=obj).filter(
            status__in=(S.REGISTERED, S.ATTENDED, S.NO_SHOW)
        )
        counts = regs.aggregate(
            total=Count("id"), attended=Count("id", filter=Q(status=S.ATTENDED))
        )
        if q:
            regs = regs.filter(Q(person__name__contains=q) | Q(child_name__contains=q))
        sheet = request.GET.get("sheet")
        if sheet in ("print", "xlsx"):
            return self._door_sheet(request, obj, regs, counts, printable=sheet == "print")
        context = {
            **self.admin_site.each_context(request),
            "title": _("签到：%s") % obj.title,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "registrations": regs.order_by("status", "person__name")[:500],
            "counts": counts,
            "q": q,
            "may_write": may_write,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "activities/door_list.html", context)

    def _door_sheet(
        self,
        request: HttpRequest,
        obj: Activity,
        regs: Any,
        counts: dict[str, int],
        *,
        printable: bool,
    ) -> HttpResponse:
        """The sign-in sheet of the people holding a place (as the door list filters them,
        read through the same scoped selector): a page to print, with a column to sign, or a
        spreadsheet. Mobiles are masked, as on every list."""
        rows = list(regs.order_by("person__name", "child_name", "pk"))
        if not printable:
            columns: list[Column] = [
                (_("序号"), lambda row: row[0]),
                (_("姓名"), lambda row: row[1].person.name),
                (_("子女姓名"), lambda row: row[1].child_name),
                (_("手机号码"), lambda row: row[1].person.mobile_masked),
                (_("状态"), lambda row: row[1].get_status_display()),
                (_("签到时间"), lambda row: row[1].attended_at),
            ]
            content = xlsx_bytes(str(_("签到表")), columns, enumerate(rows, start=1))
            return xlsx_response(f"{obj.title}-{_('签到表')}", content)
        context = {
            "object": obj,
            "registrations": rows,
            "counts": counts,
            "printed_at": timezone.localtime(),
        }
        return TemplateResponse(request, "activities/door_sheet.html", context)


class ChangePlaceForm(ActionForm):
    to_status = forms.ChoiceField(
        label=_("调整为"),
        choices=[
            (S.REGISTERED, S.REGISTERED.label),
            (S.WAITLISTED, S.WAITLISTED.label),
            (S.CANCELLED, S.CANCELLED.label),
        ],
    )
    position = forms.IntegerField(
        label=_("候补位置"),
        required=False,
        min_value=1,
        help_text=_("调整为候补时排在第几位；留空则排在所有候补者之后。"),
    )
    reason = forms.CharField(label=_("调整原因"), max_length=300)


class ByActivityKind(admin.SimpleListFilter):
    title = _("活动类别")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return ActivityKind.choices

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(activity__kind=self.value()) if self.value() else queryset


@admin.register(Registration)
class RegistrationAdmin(ScopedModelAdmin):
    list_display = [
        "person_name",
        "child_name",
        "activity_link",
        "status",
        "priority",
        "rank",
        "created_at",
        "attended_at",
    ]
    export_fields = (
        "person_name",
        "child_name",
        "activity",
        "status",
        "priority",
        "rank",
        "created_at",
        "attended_at",
    )
    list_filter = ["status", ByActivityKind, "priority", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["person__name", "child_name", "activity__title"]
    search_help_text = _("报名人姓名、子女姓名或活动名称")
    list_select_related = ["person", "activity"]
    plain_edit = False
    readonly_fields = [
        "activity",
        "person",
        "child_name",
        "child_birth_date",
        "status",
        "priority",
        "rank",
        "created_at",
        "cancelled_at",
        "attended_at",
        "checked_in_by",
    ]
    actions_detail = ["change_place", "check_in"]
    actions_by_state = {
        "applied": ["change_place"],
        "registered": ["change_place", "check_in"],
        "waitlisted": ["change_place"],
        "no_show": ["check_in"],
        "attended": [],
        "cancelled": [],
    }

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # workers register in the portal; cadres from the activity's page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description=_("报名人"), ordering="person__name")
    def person_name(self, obj: Registration) -> str:
        return obj.person.name

    @display(description=_("活动"), ordering="activity__starts_on")
    def activity_link(self, obj: Registration) -> str:
        url = reverse("admin:activities_activity_change", args=[obj.activity_id])
        return format_html('<a href="{}" class="text-primary-600">{}</a>', url, obj.activity)

    @action(description=_("调整名额"), url_path="change-place", icon="swap_vert")
    def change_place(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=ChangePlaceForm,
            title=_("人工调整名额"),
            run=lambda obj, d: services.registration_change(
                actor=request.user,
                registration=obj,
                to_status=d["to_status"],
                reason=d["reason"],
                position=d["position"],
            ),
            success=_("已调整，报名人已收到通知。"),
        )

    @action(description=_("签到"), url_path="check-in", icon="how_to_reg")
    def check_in(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return _confirm(
            self,
            request,
            object_id,
            lambda obj: services.checkin(actor=request.user, registration=obj),
            {"title": _("签到"), "question": _("确认此人已到场。"), "done": _("签到成功。")},
        )


class ConsultationAddForm(ServiceForm):
    class Meta:
        model = Consultation
        fields = ["activity", "topic", "count"]

    def run_service(self) -> Consultation:
        d = self.cleaned_data
        return services.consultation_record(
            actor=self.actor, activity=d["activity"], topic=d["topic"], count=d["count"]
        )


@admin.register(Consultation)
class ConsultationAdmin(ScopedModelAdmin):
    form = ConsultationAddForm
    list_display = ["activity", "topic", "count"]
    list_filter = ["topic", ("activity__starts_on", admin.DateFieldListFilter)]
    search_fields = ["activity__title"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "activity":
            field.queryset = field.queryset.filter(kind=ActivityKind.SERVICE_DAY)
        return field

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)
