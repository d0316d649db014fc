"""Workers' own applications for aid, made in the portal and decided by a cadre."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.money import MoneyField

from .programmes import Programme


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交，待审核")
    ACCEPTED = "accepted", _("已受理，进入发放审批")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class AidApplication(models.Model):
    """A worker's own application for aid (education aid, medical mutual aid), decided by the
    handling union's cadre with a reason. Accepting it proposes a disbursement."""

    person = models.ForeignKey(
        "membership.Person",
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="aid_applications",
    )
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("受理工会"),
        on_delete=models.PROTECT,
        related_name="aid_applications",
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("申请项目"), on_delete=models.PROTECT, related_name="applications"
    )
    amount_requested = MoneyField(_("申请金额（元）"))
    statement = models.TextField(_("申请理由"))
    medical_details = models.TextField(_("病情/医疗情况（敏感）"), blank=True)
    # Education aid (助学) is for a child: who, where and in which grade.
    child_name = models.CharField(_("子女姓名"), max_length=50, blank=True)
    child_school = models.CharField(_("就读学校"), max_length=100, blank=True)
    child_grade = models.CharField(_("就读年级"), max_length=30, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("帮扶申请")
        verbose_name_plural = _("帮扶申请")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(status="submitted"),
                name="aid_application_one_open_per_programme",
                violation_error_message=_("您已有一份该项目的申请正在审核。"),
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0),
                name="aid_application_amount_positive",
                violation_error_message=_("申请金额必须大于 0 元。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "withdrawn"])
                | (Q(decided_by__isnull=False, decided_at__isnull=False) & ~Q(decision_reason="")),
                name="aid_application_decision_has_reason",
                violation_error_message=_("审核须填写审核意见。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.programme.name}"
