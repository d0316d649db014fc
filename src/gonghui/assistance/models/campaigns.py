"""The Spring Breeze Action (春风行动): campaigns, donations with numbered receipts, and the
donor units commended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.core import numbers
from gonghui.core.money import MoneyField


class Campaign(models.Model):
    """One year's Spring Breeze Action of a federation: donations with numbered receipts."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("主办工会"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("活动名称"), max_length=100)
    receipt_prefix = models.CharField(
        _("收据编号前缀"), max_length=12, help_text=_("例如 CF2015，收据号为 CF2015-000001")
    )
    next_receipt_no = models.PositiveIntegerField(_("下一收据序号"), default=1, editable=False)
    target = MoneyField(_("募集目标（元）"), null=True, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("春风行动")
        verbose_name_plural = _("春风行动")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year"],
                name="campaign_one_per_union_year",
                violation_error_message=_("该工会当年已有春风行动。"),
            ),
            models.UniqueConstraint(
                fields=["receipt_prefix"],
                name="campaign_unique_receipt_prefix",
                violation_error_message=_("收据编号前缀已被使用。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DonorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNION = "union", _("工会组织")
    INSTITUTION = "institution", _("机关事业单位")
    PERSON = "person", _("个人")


UNIT_DONOR_KINDS = (DonorKind.ENTERPRISE, DonorKind.UNION, DonorKind.INSTITUTION)


class Donation(models.Model):
    """A donation to a campaign, with its numbered receipt. A mistaken donation is voided
    (with a reason), never deleted or changed; its receipt number is not reused."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("春风行动"), on_delete=models.PROTECT, related_name="donations"
    )
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("收款工会"),
        on_delete=models.PROTECT,
        related_name="donations",
    )
    donor_kind = models.CharField(_("捐款方类型"), max_length=16, choices=DonorKind.choices)
    donor_name = models.CharField(_("捐款单位/个人"), max_length=200)
    donor_enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("捐款企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    donor_union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("捐款工会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations_given",
    )
    donor_person = models.ForeignKey(
        "membership.Person",
        verbose_name=_("捐款人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    amount = MoneyField(_("金额（元）"))
    donated_on = models.DateField(_("捐款日期"))
    receipt_no = models.CharField(_("收据编号"), max_length=24, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作废人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("春风行动捐款")
        verbose_name_plural = _("春风行动捐款")
        ordering = ["-donated_on", "-id"]
        indexes = [models.Index(fields=["campaign", "donor_kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_no"],
                name="donation_unique_receipt_no",
                violation_error_message=_("收据编号重复。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="donation_amount_positive",
                violation_error_message=_("捐款金额必须大于 0 元。"),
            ),
            models.CheckConstraint(
                condition=(
                    Q(voided_at__isnull=True) & Q(voided_by__isnull=True) & Q(void_reason="")
                )
                | (Q(voided_at__isnull=False) & Q(voided_by__isnull=False) & ~Q(void_reason="")),
                name="donation_void_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(donor_kind="person") | Q(donor_enterprise__isnull=True),
                name="donation_person_has_no_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no} {self.donor_name} {numbers.yuan(self.amount)} 元"


class DonorCommendation(models.Model):
    """A donor unit commended (捐款先进单位) for a campaign, with its total and rank."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("春风行动"), on_delete=models.PROTECT, related_name="commendations"
    )
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("表彰工会"),
        on_delete=models.PROTECT,
        related_name="donor_commendations",
    )
    donor_kind = models.CharField(_("单位类型"), max_length=16, choices=DonorKind.choices)
    donor_name = models.CharField(_("捐款单位"), max_length=200)
    total = MoneyField(_("捐款合计（元）"))
    rank = models.PositiveSmallIntegerField(_("名次"))
    commended_on = models.DateField(_("表彰日期"))
    commended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("捐款先进单位")
        verbose_name_plural = _("捐款先进单位")
        ordering = ["campaign", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "donor_name"],
                name="commendation_once_per_donor",
                violation_error_message=_("该单位已受表彰。"),
            ),
            models.CheckConstraint(
                condition=~Q(donor_kind="person"), name="commendation_units_only"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.donor_name}"
