"""The worker's own aid applications in the portal: apply with documents, follow the status.

A worker sees only their own applications (selected by ``request.user.person``); another
worker's application id is "not found". No JavaScript: plain forms, mobile first.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gonghui.core import numbers
from gonghui.core.errors import DomainError

from . import selectors, services
from .models import (
    AidApplication,
    ApplicationStatus,
    DisbursementState,
    DocumentKind,
    ProgrammeKind,
)

LOGIN = reverse_lazy("portal:login")
CHILD_FIELDS = ("child_name", "child_school", "child_grade")
MEDICAL_KINDS = {ProgrammeKind.MUTUAL_AID, ProgrammeKind.DIALYSIS, ProgrammeKind.CORPORATE_MEDICAL}


class AidApplyForm(forms.Form):
    amount_requested = forms.DecimalField(
        label=_("申请金额（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    statement = forms.CharField(
        label=_("申请理由"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("家庭情况、就读学校与年级，或住院与自付费用情况"),
    )
    medical_details = forms.CharField(
        label=_("病情说明（仅承办干部可见）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )
    # Education aid only (the service says which one is missing, in the worker's words).
    child_name = forms.CharField(label=_("子女姓名"), max_length=50, required=False)
    child_school = forms.CharField(label=_("就读学校"), max_length=100, required=False)
    child_grade = forms.CharField(
        label=_("就读年级"), max_length=30, required=False, help_text=_("例如“高一”或“大二”")
    )
    kind1 = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    file1 = forms.FileField(label=_("证明材料"), required=False)
    kind2 = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    file2 = forms.FileField(label=_("证明材料（可选）"), required=False)

    def documents(self) -> list[tuple[str, Any]]:
        data = self.cleaned_data
        return [(data[f"kind{i}"], data[f"file{i}"]) for i in (1, 2) if data.get(f"file{i}")]


def _person(request: HttpRequest) -> Any:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404(_("您的账号尚未关联人员档案。"))
    return person


def progress(application: AidApplication) -> tuple[str, str]:
    """(text, tag class) of where an application stands, in the worker's words."""
    if application.status == ApplicationStatus.SUBMITTED:
        return str(_("已提交，等待工会审核")), "wait"
    if application.status == ApplicationStatus.WITHDRAWN:
        return str(_("已撤回")), "off"
    if application.status == ApplicationStatus.REJECTED:
        return str(_("未批准")), "off"
    d = getattr(application, "disbursement", None)
    if d is None or d.state == DisbursementState.PROPOSED:
        return str(_("已受理，等待审批")), "wait"
    if d.state == DisbursementState.APPROVED:
        return str(_("已批准，等待发放")), "wait"
    if d.state == DisbursementState.PAID:
        paid = {"a": numbers.yuan(d.amount), "on": d.paid_on}
        return str(_("已发放 %(a)s 元（%(on)s）") % paid), "ok"
    return str(_("发放未完成：%s") % (d.close_reason or d.get_state_display())), "off"


@login_required(login_url=LOGIN)
def index(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    applications = list(selectors.own_applications(person=person)) if person else []
    programmes = (
        selectors.programmes_open_to(person=person, on=timezone.localdate()) if person else []
    )
    rows = [(a, *progress(a)) for a in applications]
    return render(
        request,
        "portal/assistance/index.html",
        {"person": person, "rows": rows, "programmes": programmes},
    )


@login_required(login_url=LOGIN)
def apply(request: HttpRequest, programme_id: int) -> HttpResponse:
    person = _person(request)
    programme = (
        selectors.programmes_open_to(person=person, on=timezone.localdate())
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise Http404(_("该项目不接受网上申请。"))
    form = AidApplyForm(request.POST or None, request.FILES or None)
    if programme.kind not in MEDICAL_KINDS:
        form.fields.pop("medical_details")
    if programme.kind != ProgrammeKind.EDUCATION:
        for name in CHILD_FIELDS:
            form.fields.pop(name)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=request.user,
                programme=programme,
                amount_requested=form.cleaned_data["amount_requested"],
                statement=form.cleaned_data["statement"],
                medical_details=form.cleaned_data.get("medical_details", ""),
                documents=form.documents(),
                **{name: form.cleaned_data.get(name, "") for name in CHILD_FIELDS},
            )
        except DomainError as err:
            field = {"file": "file1"}.get(err.field or "", err.field)
            form.add_error(field if field in form.fields else None, str(err.message))
        else:
            messages.success(request, _("申请已提交，请留意审核进度。"))
            return redirect("assistance_portal:detail", application.pk)
    return render(request, "portal/assistance/apply.html", {"form": form, "programme": programme})


@login_required(login_url=LOGIN)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    try:
        application = selectors.own_application_get(person=person, id=pk)
    except DomainError:
        raise Http404 from None
    text, tag = progress(application)
    context = {
        "a": application,
        "progress": text,
        "tag": tag,
        "documents": selectors.own_application_documents(person=person, application=application),
        "d": getattr(application, "disbursement", None),
    }
    return render(request, "portal/assistance/detail.html", context)


@require_POST
@login_required(login_url=LOGIN)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    try:
        application = selectors.own_application_get(person=person, id=pk)
        services.application_withdraw(actor=request.user, application=application)
    except DomainError:
        raise Http404 from None
    messages.success(request, _("申请已撤回。"))
    return redirect("assistance_portal:detail", pk)
