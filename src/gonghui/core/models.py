"""The platform's own records: the audit trail, the log of personal-data reveals,
notifications, and the record of every import."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """One change to one record, by whom and when, readable in Chinese."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=64)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    # The path of the union the record belongs to, so the trail itself is scoped.
    union_path = models.CharField(_("所属工会路径"), max_length=255, blank=True, db_index=True)
    message = models.TextField(_("说明"))
    changes = models.JSONField(_("字段变更"), default=dict, blank=True)

    scope_lookup = "union_path"

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_repr}: {self.message}"


class PiiAccessLog(models.Model):
    """Every reveal of a person's full identity number (or other sensitive field)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "membership.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("字段"), max_length=32)
    reason = models.CharField(_("查看事由"), max_length=200)
    union_path = models.CharField(_("所属工会路径"), max_length=255, db_index=True)
    # The record the value was read from (a person, a disbursement, a document, a union
    # whose roster was exported); empty on entries written before it was recorded.
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("记录类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("记录编号"), max_length=64, blank=True)

    scope_lookup = "union_path"

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} → {self.person}"


class Notification(models.Model):
    """A message to a worker (a place given, an activity cancelled...), shown in the portal
    and, where the person has a mobile number, sent by SMS."""

    person = models.ForeignKey(
        "membership.Person",
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"], name="notification_person")]

    def __str__(self) -> str:
        return self.text


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    CHECKING = "checking", _("校验中")
    CHECKED = "checked", _("待确认")
    APPLYING = "applying", _("写入中")
    APPLIED = "applied", _("已导入")
    UNDONE = "undone", pgettext_lazy("import status", "已撤销")
    FAILED = "failed", _("失败")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部行有效才写入")
    VALID_ONLY = "valid_only", _("只写入有效行")


IMPORT_KIND_MAX_LENGTH = 32


def validate_import_kind(value: str) -> None:
    """A batch's kind is the key of a registered importer (``core.importing.engine``)."""
    from .importing.engine import importer_keys

    if value not in importer_keys():
        raise ValidationError(_("“%s”不是已登记的导入内容。") % value, code="invalid_choice")


class ImportBatch(models.Model):
    """One file imported into one union: who, when, which file, what it did."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("导入工会"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # The key of the importer that reads the file (the domains register theirs).
    kind = models.CharField(
        _("导入内容"), max_length=IMPORT_KIND_MAX_LENGTH, validators=[validate_import_kind]
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sha256 = models.CharField(_("文件散列"), max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(_("文件大小"))
    stored_file = models.CharField(_("存储位置"), max_length=255, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    mode = models.CharField(_("写入方式"), max_length=16, choices=ImportMode.choices, blank=True)
    rows = models.PositiveIntegerField(_("数据行"), default=0)
    new = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    invalid = models.PositiveIntegerField(_("无效"), default=0)
    report_file = models.CharField(_("错误报告"), max_length=255, blank=True, editable=False)
    message = models.TextField(_("说明"), blank=True)
    applied_at = models.DateTimeField(_("写入时间"), null=True, blank=True)
    # What the importer needs to undo the batch (ids created, fields changed), unless it keeps
    # records of its own (the roster's ImportChange).
    undo_log = models.JSONField(_("撤销记录"), default=dict, blank=True, editable=False)
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    # The uploaded file and its error report hold full ID numbers: they are removed after
    # settings.IMPORT_FILE_RETENTION_DAYS (core/importing/retention.py); the batch stays.
    files_removed_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("数据导入")
        verbose_name_plural = _("数据导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.file_name}（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"
            if self.created_at
            else self.file_name
        )

    @property
    def kind_label(self) -> str:
        """What the upload page calls this batch's kind."""
        from .importing.engine import kind_label

        return kind_label(self.kind)
