"""Supporting documents (pdf, jpg, png ≤ 10 MB, content checked against the name), stored
privately, and opened only through a logged reveal."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.reveal import reveal
from gonghui.core.scope import require_write

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


def document_open(*, actor: Any, document: AidDocument, reason: str) -> Any:
    """The document's file, opened for reading, for an actor who may see it: a reveal
    (``core.reveal``) — the document in the actor's read scope (else "not found"), the reveal
    permission of its union, the actor's reason (two characters at least), one access-log row
    naming the person it belongs to and the document, in one transaction."""
    return reveal(
        actor=actor,
        record=document,
        person_id=document.owner_person_id(),
        field="aid_document",
        what=_("证明材料"),
        reason=reason,
        value=lambda: document.file.open("rb"),
    )
