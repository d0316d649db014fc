"""Hardship files (困难职工档案): the family on file, its household members and its yearly
reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.money import MoneyField


class LeaveReason(models.TextChoices):
    INCOME_RAISED = "income_raised", _("收入提高，已脱困")
    RE_EMPLOYED = "re_employed", _("实现再就业")
    MOVED_AWAY = "moved_away", _("迁出本区")
    DECEASED = "deceased", _("户主去世")
    OTHER = "other", _("其他")


CAUSES: tuple[tuple[str, Any], ...] = (
    ("cause_illness", _("因病")),
    ("cause_disability", _("因残")),
    ("cause_unemployment", _("失业")),
    ("cause_education", _("因学")),
    ("cause_accident", _("意外事故")),
)


class HardshipFile(models.Model):
    """A hardship family on file (建档): its head, household and income against the local
    threshold, the causes, yearly reviews, and — when it leaves the file — when and why.

    A family is on file on day D when ``filed_on <= D`` and it had not left by then
    (``left_on`` is null or after D), so "families on file at year end" is one query.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("承办工会"),
        on_delete=models.PROTECT,
        related_name="hardship_files",
    )
    head = models.ForeignKey(
        "membership.Person",
        verbose_name=_("户主"),
        on_delete=models.PROTECT,
        related_name="hardship_files",
    )
    filed_on = models.DateField(_("建档日期"))
    household_size = models.PositiveSmallIntegerField(_("家庭人口"))
    income_per_head = MoneyField(_("家庭月人均收入（元）"), help_text=_("家庭月总收入除以家庭人口"))
    threshold = MoneyField(
        _("当地困难标准（元/人·月）"), help_text=_("建档或复核时当地的困难职工认定标准")
    )
    cause_illness = models.BooleanField(_("因病"), default=False)
    cause_disability = models.BooleanField(_("因残"), default=False)
    cause_unemployment = models.BooleanField(_("失业"), default=False)
    cause_education = models.BooleanField(_("因学"), default=False)
    cause_accident = models.BooleanField(_("意外事故"), default=False)
    situation = models.TextField(_("困难情况说明"), blank=True)
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    last_reviewed_on = models.DateField(_("最近复核日期"), null=True, blank=True)
    review_due_on = models.DateField(_("下次复核到期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    left_reason = models.CharField(
        _("退出原因"), max_length=32, choices=LeaveReason.choices, blank=True
    )
    left_note = models.CharField(_("退出说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建档人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["filed_on", "left_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["head"],
                condition=Q(left_on__isnull=True),
                name="hardship_one_open_file_per_head",
                violation_error_message=_("该户主已有在档的困难职工档案，请勿重复建档。"),
            ),
            models.CheckConstraint(
                condition=(Q(left_on__isnull=True) & Q(left_reason=""))
                | (Q(left_on__isnull=False) & ~Q(left_reason="")),
                name="hardship_left_reason_iff_left",
                violation_error_message=_("退出档案须同时填写退出日期和原因。"),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("filed_on")),
                name="hardship_left_after_filed",
                violation_error_message=_("退出日期不能早于建档日期。"),
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1),
                name="hardship_household_not_empty",
                violation_error_message=_("家庭人口至少为 1 人。"),
            ),
            models.CheckConstraint(
                condition=Q(income_per_head__gte=0) & Q(threshold__gt=0),
                name="hardship_income_threshold_valid",
                violation_error_message=_("人均收入不能为负，困难标准必须大于 0。"),
            ),
            models.CheckConstraint(
                condition=Q(cause_illness=True)
                | Q(cause_disability=True)
                | Q(cause_unemployment=True)
                | Q(cause_education=True)
                | Q(cause_accident=True),
                name="hardship_has_a_cause",
                violation_error_message=_("请至少选择一项致困原因。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s 家庭（%(on)s 建档）") % {"name": self.head.name, "on": self.filed_on}

    def is_on_file(self, day: dt.date) -> bool:
        return self.filed_on <= day and (self.left_on is None or self.left_on > day)

    @property
    def causes(self) -> str:
        return "、".join(str(label) for name, label in CAUSES if getattr(self, name))


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    OTHER = "other", _("其他亲属")


class HouseholdMember(models.Model):
    """A member of a hardship family's household other than its head."""

    file = models.ForeignKey(
        HardshipFile, verbose_name=_("困难档案"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    situation = models.CharField(_("就业/就学/健康情况"), max_length=200, blank=True)

    scope_lookup = "file__union__path"

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"


class ReviewOutcome(models.TextChoices):
    KEEP = "keep", _("继续在档")
    LEAVE = "leave", _("退出档案")


class HardshipReview(models.Model):
    """One yearly review of a hardship file: the income found and what was decided."""

    file = models.ForeignKey(
        HardshipFile, verbose_name=_("困难档案"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("复核日期"))
    income_per_head = MoneyField(_("复核时月人均收入（元）"))
    threshold = MoneyField(_("复核时困难标准（元）"))
    outcome = models.CharField(_("复核结论"), max_length=16, choices=ReviewOutcome.choices)
    note = models.CharField(_("复核说明"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_lookup = "file__union__path"

    class Meta:
        verbose_name = _("档案复核")
        verbose_name_plural = _("档案复核")
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "reviewed_on"],
                name="hardship_review_once_a_day",
                violation_error_message=_("该档案当天已复核。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewed_on} {self.get_outcome_display()}"
