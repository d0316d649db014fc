"""Supporting documents of a hardship file or of an application (pdf, jpg, png), stored
privately and opened only through a logged reveal."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .hardship import HardshipFile


class DocumentKind(models.TextChoices):
    INCOME_PROOF = "income_proof", _("收入证明")
    MEDICAL = "medical", _("病历/诊断证明")
    INVOICE = "invoice", _("医疗费用票据")
    DISABILITY = "disability", _("残疾证")
    UNEMPLOYMENT = "unemployment", _("失业证明")
    ENROLMENT = "enrolment", _("录取通知书/在读证明")
    OTHER = "other", _("其他材料")


def document_path(instance: AidDocument, filename: str) -> str:
    # A random name: the stored path must not carry the person's name or the document kind.
    suffix = PurePath(filename).suffix.lower()
    return f"assistance/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class AidDocument(models.Model):
    """A supporting document (pdf, jpg, png) of a hardship file or of an application.

    Stored under ``MEDIA_ROOT`` (never served statically); read only through the document
    page, a reveal (``core.reveal``): scope, the reveal permission and a reason checked, and
    every opening logged.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("承办工会"),
        on_delete=models.PROTECT,
        related_name="aid_documents",
    )
    hardship_file = models.ForeignKey(
        HardshipFile,
        verbose_name=_("困难档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    application = models.ForeignKey(
        "assistance.AidApplication",
        verbose_name=_("帮扶申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("材料类型"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hardship_file__isnull=False, application__isnull=True)
                | Q(hardship_file__isnull=True, application__isnull=False),
                name="aid_document_belongs_to_one_record",
                violation_error_message=_("材料须属于一份困难档案或一份申请。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.original_name}）"

    def owner_person_id(self) -> int:
        """The person whose document it is: the head of the family, or the applicant."""
        if self.hardship_file_id:
            return self.hardship_file.head_id  # type: ignore[union-attr]
        return self.application.person_id  # type: ignore[union-attr]
