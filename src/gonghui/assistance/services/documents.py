"""Supporting documents (pdf, jpg, png ≤ 10 MB, content checked against the name), stored
privately, and opened only through a logged reveal."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.models import PiiAccessLog
from gonghui.core.scope import can_reveal, require_write, user_scope

from ..errors import AssistanceError as E
from ..models import AidDocument, DocumentKind, HardshipFile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The first bytes of each allowed type: the name's extension alone proves nothing.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
_CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_CONTENT_TYPES[".png"] = "image/png"


def check_upload(upload: UploadedFile, *, field: str = "file") -> tuple[str, str]:
    """Refuse anything but a pdf, jpg or png of at most 10 MB whose content matches its name.
    Returns (suffix, content type)."""
    name = upload.name or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in _SIGNATURES:
        raise DomainError(
            E.BAD_FILE,
            _("文件“%s”的类型不允许：只能上传 PDF、JPG 或 PNG 文件。") % name,
            field=field,
        )
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            E.BAD_FILE,
            _("文件“%(name)s”太大（%(mb).1f MB）：单个文件不能超过 10 MB。")
            % {"name": name, "mb": (upload.size or 0) / 1024 / 1024},
            field=field,
        )
    if upload.size == 0:
        raise DomainError(E.BAD_FILE, _("文件“%s”是空文件。") % name, field=field)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        raise DomainError(
            E.BAD_FILE,
            _("文件“%s”的内容与扩展名不符，请上传真实的 PDF、JPG 或 PNG 文件。") % name,
            field=field,
        )
    return suffix, _CONTENT_TYPES[suffix]


def _store_document(
    *, actor: Any, union: Any, kind: str, upload: UploadedFile, **owner: Any
) -> AidDocument:
    _suffix, content_type = check_upload(upload)
    if kind not in DocumentKind.values:
        raise DomainError(E.BAD_FILE, _("请选择材料类型。"), field="kind")
    doc = AidDocument(
        union=union,
        kind=kind,
        original_name=(upload.name or "")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
        **owner,
    )
    doc.file.save(upload.name or "upload", upload, save=False)
    try:
        doc.full_clean(exclude=["file"])
        with transaction.atomic():
            doc.save()
    except Exception:
        doc.file.delete(save=False)  # nothing half-written: no file without its row
        raise
    return doc


@transaction.atomic
def hardship_document_add(
    *, actor: Any, file: HardshipFile, kind: str, upload: UploadedFile
) -> AidDocument:
    """Attach a supporting document (pdf/jpg/png, ≤ 10 MB) to a hardship file."""
    require_write(actor, file.union)
    doc = _store_document(
        actor=actor, union=file.union, kind=kind, upload=upload, hardship_file=file
    )
    audit.record(
        actor=actor,
        obj=file,
        action="hardship.document_add",
        message=_("上传证明材料：%s") % doc.get_kind_display(),
    )
    return doc


def document_open(*, actor: Any, document: AidDocument, reason: str = "") -> Any:
    """Open a document for ``actor``: only a cadre of the handling union's subtree with the
    reveal permission may; each view is written to the personal-data access log."""
    scope = user_scope(actor)
    path = document.union.path
    if not scope.covers(path):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该材料，或不在您的管辖范围内。"))
    if not can_reveal(actor, path):
        raise DomainError(CoreError.PII_FORBIDDEN, _("您没有查看帮扶证明材料的权限。"))
    with transaction.atomic():
        PiiAccessLog.objects.create(
            actor=actor,
            person=document.owner_person(),
            field="aid_document",
            reason=(reason.strip() or str(_("查看帮扶证明材料：%s") % document))[:200],
            union_path=path,
        )
    return document.file.open("rb")
