"""The platform's own records: the audit trail and the log of personal-data reveals."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
