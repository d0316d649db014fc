from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from gonghui.core.admin_base import (
    ActionForm,
    ReadOnlyInline,
    ScopedModelAdmin,
    ServiceForm,
    action_with_reason,
)
from gonghui.core.errors import DomainError
from gonghui.core.scope import Actor, can_reveal
from gonghui.organisation.list_filters import StreetFilter, UnionSubtreeFilter
from gonghui.organisation.models import Cadre, Union
from gonghui.organisation.selectors import union_list

from . import services
from .list_filters import AgeBandFilter, CurrentFilter, MemberAgeBandFilter, PersonMemberFilter
from .models import EndReason, Membership, MembershipApplication, Person, RetainedReason
from .selectors import membership_list, person_list, person_search_q


class PersonForm(ServiceForm):
    ric = forms.CharField(
        label=_("身份证号码"),
        max_length=40,
        required=False,
        help_text=_("18位（或旧版15位）；修改时留空表示不变"),
    )
    joined_on = forms.DateField(
        label=_("入会日期"), required=False, help_text=_("填写则同时办理入会")
    )

    class Meta:
        model = Person
        fields = [
            "union",
            "name",
            "mobile",
            "employer",
            *Person.DETAILS,
            "hukou",
            "migrant",
            "skill_grade",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["ric"].required = True
            self.fields["ric"].help_text = _("18位（或旧版15位）")
        else:
            self.fields.pop("joined_on")
            self.fields["union"].disabled = True

    def run_service(self) -> Person:
        data = dict(self.cleaned_data)
        ric = data.pop("ric", "")
        joined_on = data.pop("joined_on", None)
        if self.instance.pk is None:
            person = services.person_create(actor=self.actor, ric=ric, **data)
            if joined_on:
                services.membership_join(
                    actor=self.actor, person=person, union=data["union"], on=joined_on
                )
            return person
        changed = {k: data[k] for k in self.changed_data if k in services.PERSON_EDITABLE}
        return services.person_update(
            actor=self.actor, person=self.instance, ric=ric or None, **changed
        )


class MembershipInline(ReadOnlyInline):
    model = Membership
    fk_name = "person"
    verbose_name_plural = _("会籍记录")
    fields = ["union", "started_on", "start_reason", "ended_on", "end_reason", "retained_reason"]
    readonly_fields = fields
    ordering = ["started_on", "id"]


class PostInline(ReadOnlyInline):
    model = Cadre
    fk_name = "person"
    verbose_name_plural = _("工会职务")
    fields = ["union", "position", "full_time", "appointed_on", "ended_on"]
    readonly_fields = fields


def _write_unions(actor: Actor) -> Any:
    return union_list(actor=actor, mode="write").filter(dissolved_on__isnull=True)


class JoinForm(ActionForm):
    union = forms.ModelChoiceField(label=_("加入工会"), queryset=Union.objects.none())
    on = forms.DateField(label=_("入会日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = _write_unions(self.actor)  # type: ignore[attr-defined]
        self.fields["union"].initial = self.obj.union_id


class TransferForm(ActionForm):
    to_union = forms.ModelChoiceField(label=_("转入工会"), queryset=Union.objects.none())
    on = forms.DateField(label=_("转会日期"))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_union"].queryset = _write_unions(self.actor)  # type: ignore[attr-defined]


class LeaveForm(ActionForm):
    on = forms.DateField(label=_("退会日期"))
    reason = forms.ChoiceField(
        label=_("原因"),
        choices=[
            (EndReason.LEFT, EndReason.LEFT.label),
            (EndReason.DECEASED, EndReason.DECEASED.label),
        ],
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class RetainForm(ActionForm):
    reason = forms.ChoiceField(label=_("保留会籍原因"), choices=RetainedReason.choices)
    on = forms.DateField(label=_("日期"))


class RevealForm(ActionForm):
    reason = forms.CharField(label=_("查看事由"), max_length=200)


def _open_membership(person: Person) -> Membership:
    m = person.memberships.filter(ended_on__isnull=True).select_related("union").first()
    if m is None:
        raise DomainError("not_member", _("该人员目前不是会员。"))
    return m


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    form = PersonForm
    inlines = [MembershipInline, PostInline]
    list_display = [
        "name",
        "ric_masked",
        "gender",
        "birth_date",
        "mobile_masked",
        "union",
        "employer",
        "migrant",
        "skill_grade",
    ]
    list_filter = [
        StreetFilter,
        ("union", UnionSubtreeFilter),
        PersonMemberFilter,
        "gender",
        "migrant",
        AgeBandFilter,
        "skill_grade",
        "union__kind",
    ]
    list_filter_submit = True
    search_fields = ["name"]
    search_help_text = _("输入姓名、完整身份证号或手机号码")
    list_select_related = ["union", "employer"]
    autocomplete_fields = ["union", "employer"]
    actions_detail = ["join", "transfer", "leave", "retain", "reveal_ric"]
    # decision 0017: a member transfers, leaves or keeps the membership; anyone else joins.
    # Seeing the full ID number is offered in both.
    actions_by_state = {
        "member": ["transfer", "leave", "retain"],
        "not_member": ["join"],
    }

    def state_of(self, obj: Person) -> str:
        return "member" if obj.memberships.filter(ended_on__isnull=True).exists() else "not_member"

    actions = ["export_xlsx", "export_roster", "export_roster_full"]
    readonly_fields = ["ric_masked", "gender", "birth_date"]

    def _open_memberships(self, request: HttpRequest, queryset: Any) -> Any:
        return membership_list(actor=request.user).filter(
            person__in=queryset.values("pk"), ended_on__isnull=True
        )

    @admin.action(description=_("导出在会人员为花名册（身份证号脱敏）"))
    def export_roster(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return _roster_response(request, self._open_memberships(request, queryset))

    @admin.action(description=_("导出在会人员为花名册（含完整身份证号，可修改后重新导入）"))
    def export_roster_full(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return _roster_full(self, request, self._open_memberships(request, queryset), queryset)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["union", "name", "ric"]
        if obj is not None:
            fields = ["union", "name", "ric_masked", "ric", "gender", "birth_date"]
        fields += ["mobile", "employer", *Person.DETAILS, "hukou", "migrant", "skill_grade"]
        if obj is None:
            fields.append("joined_on")
        return fields

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        if not search_term.strip():
            return queryset, False
        return queryset.filter(person_search_q(search_term)), False

    @display(description=_("手机号码"))
    def mobile_masked(self, obj: Person) -> str:
        return obj.mobile_masked

    def _run(
        self, request: HttpRequest, object_id: str, form: Any, title: Any, run: Any, ok: Any
    ) -> HttpResponse:
        return self.service_form_view(
            request, object_id, form_class=form, title=title, run=run, success=ok
        )

    @action(description=_("入会"), url_path="join", icon="person_add")
    def join(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._run(
            request,
            object_id,
            JoinForm,
            _("办理入会"),
            lambda p, d: services.membership_join(
                actor=request.user, person=p, union=d["union"], on=d["on"]
            ),
            _("已办理入会。"),
        )

    @action(description=_("转会"), url_path="transfer", icon="swap_horiz")
    def transfer(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._run(
            request,
            object_id,
            TransferForm,
            _("办理转会"),
            lambda p, d: services.membership_transfer(
                actor=request.user,
                membership=_open_membership(p),
                to_union=d["to_union"],
                on=d["on"],
                note=d["note"],
            ),
            _("已办理转会。"),
        )

    @action(description=_("退会"), url_path="leave", icon="person_remove")
    def leave(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._run(
            request,
            object_id,
            LeaveForm,
            _("办理退会"),
            lambda p, d: services.membership_leave(
                actor=request.user,
                membership=_open_membership(p),
                on=d["on"],
                reason=d["reason"],
                note=d["note"],
            ),
            _("已办理退会。"),
        )

    @action(description=_("保留会籍"), url_path="retain", icon="bookmark")
    def retain(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._run(
            request,
            object_id,
            RetainForm,
            _("保留会籍"),
            lambda p, d: services.membership_retain(
                actor=request.user, membership=_open_membership(p), reason=d["reason"], on=d["on"]
            ),
            _("已保留会籍。"),
        )

    @action(description=_("查看完整身份证号"), url_path="reveal", icon="visibility")
    def reveal_ric(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = self.get_object(request, object_id)
        if person is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = RevealForm(request.POST or None, actor=request.user, obj=person)
        revealed = None
        if not can_reveal(request.user, person.union.path):
            form.cleaned_data = {}  # add_error needs it, and an unbound form (a GET) has none
            form.add_error(None, _("您没有查看完整身份证号的权限。"))
        elif request.method == "POST" and form.is_valid():
            try:
                revealed = services.person_reveal_ric(
                    actor=request.user, person=person, reason=form.cleaned_data["reason"]
                )
            except DomainError as err:
                form.add_error(None, str(err.message))
        context = {
            **self.admin_site.each_context(request),
            "title": _("查看完整身份证号"),
            "subtitle": str(person),
            "form": form,
            "object": person,
            "opts": self.opts,
            "revealed": revealed,
            "back_url": reverse("admin:membership_person_change", args=[person.pk]),
        }
        response = TemplateResponse(request, "membership/reveal.html", context)
        response["Cache-Control"] = "no-store"
        return response


def _roster_response(request: HttpRequest, memberships: Any, reason: str = "") -> HttpResponse:
    from gonghui.core.export import xlsx_response
    from gonghui.organisation.selectors import union_roots

    from .exporting import roster_xlsx

    root = union_roots(actor=request.user).first()
    if root is None:
        raise PermissionDenied
    content = roster_xlsx(
        actor=request.user, memberships=memberships, union=root, reveal_reason=reason
    )
    return xlsx_response(str(_("会员花名册")), content)


def _roster_full(
    model_admin: ScopedModelAdmin, request: HttpRequest, memberships: Any, queryset: Any
) -> HttpResponse:
    """The roster with full ID numbers: asks the reason first; every person exported is a
    logged reveal (``core.reveal``)."""
    return action_with_reason(
        model_admin,
        request,
        queryset,
        title=_("导出含完整身份证号的花名册"),
        explanation=_(
            "导出的文件含完整身份证号，可修改后重新导入。每位导出的人员都会记入个人信息查看记录。"
        ),
        run=lambda reason: _roster_response(request, memberships, reason),
    )


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    list_display = [
        "person_link",
        "ric",
        "union",
        "started_on",
        "start_reason",
        "ended_on",
        "end_reason",
        "retained_reason",
    ]
    export_fields = (
        "person",
        "ric",
        "union",
        "started_on",
        "start_reason",
        "ended_on",
        "end_reason",
        "retained_reason",
    )
    list_filter = [
        CurrentFilter,
        StreetFilter,
        ("union", UnionSubtreeFilter),
        "person__gender",
        "person__migrant",
        MemberAgeBandFilter,
        "person__skill_grade",
        "start_reason",
        "end_reason",
        "retained_reason",
        "union__kind",
        ("started_on", admin.DateFieldListFilter),
    ]
    list_filter_submit = True
    # The name links to the person; a second link around the first column would nest one
    # link in another and leave the outer one without a name.
    list_display_links = None
    date_hierarchy = "started_on"
    search_fields = ["person__name"]
    search_help_text = _("输入姓名、完整身份证号或手机号码")
    list_select_related = ["person", "union"]
    plain_edit = False
    actions = ["export_xlsx", "export_roster", "export_roster_full"]

    @admin.action(description=_("导出为花名册（身份证号脱敏）"))
    def export_roster(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return _roster_response(request, queryset)

    @admin.action(description=_("导出为花名册（含完整身份证号，可修改后重新导入）"))
    def export_roster_full(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return _roster_full(self, request, queryset, queryset)

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        if not search_term.strip():
            return queryset, False
        ids = person_list(actor=request.user, search=search_term).values("pk")
        return queryset.filter(person__in=ids), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # memberships start from a person's page (入会)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description=_("姓名"), ordering="person__name")
    def person_link(self, obj: Membership) -> str:
        url = reverse("admin:membership_person_change", args=[obj.person_id])
        return format_html('<a href="{}" class="text-primary-600">{}</a>', url, obj.person.name)

    @display(description=_("身份证号"))
    def ric(self, obj: Membership) -> str:
        return obj.person.ric_masked


class DecideForm(ActionForm):
    on = forms.DateField(label=_("入会日期"), required=False, help_text=_("批准时填写，默认今天"))
    reason = forms.CharField(label=_("审核意见"), max_length=300, required=False)


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(ScopedModelAdmin):
    list_display = ["submitted_at", "person", "union", "status", "decided_by", "decided_at"]
    list_filter = ["status", ("submitted_at", admin.DateFieldListFilter)]
    search_fields = ["person__name", "union__name"]
    list_select_related = ["person", "union", "decided_by"]
    readonly_fields = [
        "person",
        "union",
        "submitted_at",
        "statement",
        "status",
        "decided_by",
        "decided_at",
        "reason",
        "membership",
    ]
    actions_detail = ["approve", "reject"]
    actions_by_state = {"pending": ["approve", "reject"]}  # decision 0017
    plain_edit = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # workers apply from the portal

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, object_id: str, approve: bool) -> HttpResponse:
        return self.service_form_view(
            request,
            object_id,
            form_class=DecideForm,
            title=_("批准入会申请") if approve else _("不批准入会申请"),
            run=lambda obj, d: services.application_decide(
                actor=request.user,
                application=obj,
                approve=approve,
                reason=d["reason"],
                on=d["on"],
            ),
            success=_("已批准，会籍已建立。") if approve else _("已记录不批准的理由。"),
        )

    @action(description=_("批准"), url_path="approve", icon="check")
    def approve(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decide(request, object_id, approve=True)

    @action(description=_("不批准"), url_path="reject", icon="close")
    def reject(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decide(request, object_id, approve=False)
