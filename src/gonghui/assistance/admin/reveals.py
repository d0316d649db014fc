"""The back-office pages that reveal personal data of assistance: a supporting document, the
medical details of a disbursement or application. Each asks the reason first and reveals
through the service (``core.reveal``: scope, permission, reason, one access-log row)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.admin_base import ReasonForm, ScopedModelAdmin
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.scope import can_reveal

from .. import selectors, services
from ..models import AidDocument


def _refusal(err: DomainError, form: forms.Form) -> None:
    """A refused reveal: "not found" and "forbidden" end the page; a reason too short is
    shown beside the field."""
    if err.code == CoreError.NOT_FOUND:
        raise Http404(str(err.message)) from None
    if err.code == CoreError.PII_FORBIDDEN:
        raise PermissionDenied(str(err.message)) from None
    form.add_error("reason" if err.field == "reason" else None, str(err.message))


def _owner_url(doc: AidDocument) -> str:
    if doc.hardship_file_id:
        return reverse("admin:assistance_hardshipfile_change", args=[doc.hardship_file_id])
    return reverse("admin:assistance_aidapplication_change", args=[doc.application_id])


def document_view(model_admin: ScopedModelAdmin, request: HttpRequest, pk: int) -> HttpResponseBase:
    """A document: a page asking the reason, whose POST answers the file inline. Out of scope
    is "not found" and without the reveal permission "forbidden", before anything is asked;
    each opening is logged (``services.document_open``)."""
    try:
        doc = selectors.document_get(actor=request.user, id=pk)
    except DomainError as err:
        raise Http404(str(err.message)) from None
    if not can_reveal(request.user, doc.union.path):
        raise PermissionDenied(str(_("您没有查看帮扶证明材料的权限。")))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handle = services.document_open(
                actor=request.user, document=doc, reason=form.cleaned_data["reason"]
            )
        except DomainError as err:
            _refusal(err, form)
        else:
            response = FileResponse(handle, content_type=doc.content_type)
            response["Content-Disposition"] = "inline"
            response["Cache-Control"] = "no-store"
            response["X-Content-Type-Options"] = "nosniff"
            return response
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("查看证明材料"),
        # Not the uploaded file's name: it may say a diagnosis.
        "subtitle": _("%(kind)s（第 %(n)s 号材料）")
        % {"kind": doc.get_kind_display(), "n": doc.pk},
        "form": form,
        "opts": model_admin.opts,
        "back_url": _owner_url(doc),
    }
    request.current_app = model_admin.admin_site.name
    page = TemplateResponse(request, "assistance/reveal_document.html", context)
    page["Cache-Control"] = "no-store"
    return page


def medical_view(model_admin: ScopedModelAdmin, request: HttpRequest, object_id: str) -> Any:
    """The medical details of a disbursement or application, shown once the reason is given
    (``services.medical_details_reveal`` logs it)."""
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    form = ReasonForm(request.POST or None)
    revealed = None
    if not can_reveal(request.user, obj.union.path):
        form.cleaned_data = {}  # add_error needs it, and an unbound form (a GET) has none
        form.add_error(None, _("您没有查看病情等敏感信息的权限。"))
    elif request.method == "POST" and form.is_valid():
        try:
            revealed = services.medical_details_reveal(
                actor=request.user, obj=obj, reason=form.cleaned_data["reason"]
            ) or _("（未填写）")
        except DomainError as err:
            _refusal(err, form)
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
