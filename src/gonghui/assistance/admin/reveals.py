"""The back-office pages that reveal personal data of assistance: a supporting document, the
medical details of a disbursement or application."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.admin_base import ActionForm, ScopedModelAdmin
from gonghui.core.errors import DomainError
from gonghui.core.scope import can_reveal

from .. import selectors, services


def document_view(request: HttpRequest, pk: int) -> FileResponse:
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


def medical_view(model_admin: ScopedModelAdmin, request: HttpRequest, object_id: str):
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
