"""Aid programmes and their disbursements (proposed → approved → paid) and reversals.

Money is ``Decimal`` yuan with two places. A disbursement goes proposed → approved (by a
different person) → paid; a paid disbursement's facts never change, and a correction is a
:class:`DisbursementReversal` (once per disbursement). The invariants the database holds:
amounts > 0, approver ≠ proposer, the fields of each state present, a programme never
committed beyond its budget, and one live disbursement per person (and per family) under a
programme and period (docs/decisions/0009).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gonghui.core import numbers
from gonghui.core.money import ZERO, MoneyField

from .hardship import HardshipFile


class ProgrammeKind(models.TextChoices):
    FESTIVAL = "festival", _("节日慰问（送温暖）")
    SUMMER_COOLING = "summer_cooling", _("高温送清凉")
    DIALYSIS = "dialysis", _("爱心透析（特殊疾病救助）")
    CORPORATE_MEDICAL = "corporate_medical", _("企业出资助医")
    ACCIDENT = "accident", _("职工意外伤害补助")
    EDUCATION = "education", _("助学援助")
    MUTUAL_AID = "mutual_aid", _("职工医疗互助")
    CANCER_SCREENING = "cancer_screening", _("女职工“两癌”筛查")
    OTHER = "other", _("其他帮扶")


class RecipientKind(models.TextChoices):
    PERSON = "person", _("个人")
    HOUSEHOLD = "household", _("家庭（户）")


class Programme(models.Model):
    """An aid programme of one year, run by a union for its subtree: who is eligible, the cap
    per payment, the budget, and what is committed (approved or paid) and paid so far.

    ``committed`` and ``paid`` change only by ``F()`` updates of the disbursement services,
    under a lock on this row; the database refuses a commitment beyond the budget.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("主办工会"),
        on_delete=models.PROTECT,
        related_name="aid_programmes",
    )
    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("项目类别"), max_length=32, choices=ProgrammeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    recipient_kind = models.CharField(
        _("发放对象"), max_length=16, choices=RecipientKind.choices, default=RecipientKind.PERSON
    )
    eligibility = models.TextField(_("申领条件"), blank=True)
    requires_member = models.BooleanField(_("限工会会员"), default=False)
    requires_hardship_file = models.BooleanField(_("限建档困难职工家庭"), default=False)
    women_only = models.BooleanField(_("限女职工"), default=False)
    max_amount = MoneyField(
        _("单笔上限（元）"), null=True, blank=True, help_text=_("留空表示不设单笔上限")
    )
    budget = MoneyField(_("预算（元）"))
    committed = MoneyField(_("已批准（元）"), default=ZERO, editable=False)
    paid = MoneyField(_("已发放（元）"), default=ZERO, editable=False)
    funder = models.CharField(
        _("出资方"), max_length=100, blank=True, help_text=_("企业出资的项目须填写出资企业")
    )
    portal_open = models.BooleanField(
        _("接受网上申请"), default=False, help_text=_("职工可在网上职工之家提交申请")
    )
    applications_open_on = models.DateField(
        _("网上申请开始日期"), null=True, blank=True, help_text=_("不填表示从项目年度的1月1日起")
    )
    applications_close_on = models.DateField(
        _("网上申请截止日期"),
        null=True,
        blank=True,
        help_text=_("不填表示到项目年度的12月31日止"),
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("帮扶项目")
        verbose_name_plural = _("帮扶项目")
        ordering = ["-year", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year", "name"],
                name="programme_unique_name",
                violation_error_message=_("该工会当年已有同名帮扶项目。"),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="programme_budget_not_negative",
                violation_error_message=_("预算不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("committed")),
                name="programme_paid_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(committed__lte=F("budget")),
                name="programme_committed_within_budget",
                violation_error_message=_("预算不能低于已批准的金额。"),
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gt=0),
                name="programme_cap_positive",
                violation_error_message=_("单笔上限须大于 0。"),
            ),
            models.CheckConstraint(
                condition=Q(applications_open_on__isnull=True)
                | Q(applications_close_on__isnull=True)
                | Q(applications_close_on__gte=F("applications_open_on")),
                name="programme_application_window_ordered",
                violation_error_message=_("网上申请截止日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="corporate_medical") | ~Q(funder=""),
                name="programme_corporate_has_funder",
                violation_error_message=_("企业出资助医项目须填写出资方。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed


class DisbursementState(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已审批待发放")
    PAID = "paid", _("已发放")
    REJECTED = "rejected", _("未批准")
    CANCELLED = "cancelled", _("已取消")
    REVERSED = "reversed", _("已冲正")


LIVE_STATES = (DisbursementState.PROPOSED, DisbursementState.APPROVED, DisbursementState.PAID)
COMMITTED_STATES = (DisbursementState.APPROVED, DisbursementState.PAID)


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("银行转账")
    CASH = "cash", _("现金")
    IN_KIND = "in_kind", _("实物/服务")


class Disbursement(models.Model):
    """A payment (or goods, or a service) to one person or family under a programme and
    period: proposed → approved (by someone else) → paid, or rejected/cancelled before
    payment. A paid disbursement's facts never change; a correction is a reversal.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("经办工会"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("帮扶项目"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    period = models.CharField(
        _("期次"), max_length=16, help_text=_("例如 2015 或 2015-春节；同一项目同一期次每人一次")
    )
    person = models.ForeignKey(
        "membership.Person",
        verbose_name=_("受助人"),
        on_delete=models.PROTECT,
        related_name="disbursements",
        help_text=_("按户发放时为户主"),
    )
    family = models.ForeignKey(
        HardshipFile,
        verbose_name=_("困难家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    visit = models.ForeignKey(
        "assistance.CondolenceVisit",
        verbose_name=_("走访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    application = models.OneToOneField(
        "assistance.AidApplication",
        verbose_name=_("网上申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursement",
    )
    amount = MoneyField(_("金额（元）"))
    method = models.CharField(
        _("发放方式"), max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.BANK
    )
    payee_account_encrypted = models.TextField(_("收款账号（密文）"), blank=True, editable=False)
    payee_account_masked = models.CharField(
        _("收款账号"), max_length=40, blank=True, editable=False
    )
    reason = models.CharField(_("发放事由"), max_length=200)
    medical_details = models.TextField(
        _("病情/医疗情况（敏感）"),
        blank=True,
        help_text=_("仅有查看权限的干部可见，每次查看均记录"),
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=DisbursementState.choices,
        default=DisbursementState.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("发放登记时间"), null=True, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("驳回/取消人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("驳回/取消时间"), null=True, blank=True)
    close_reason = models.CharField(_("驳回/取消理由"), max_length=200, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("帮扶发放")
        verbose_name_plural = _("帮扶发放")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "state"]),
            models.Index(fields=["person", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                violation_error_message=_("金额必须大于 0 元。"),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="disbursement_four_eyes",
                violation_error_message=_("审批人不能是提出人本人。"),
            ),
            models.CheckConstraint(
                condition=Q(period__regex=r"^[0-9]{4}(-.{1,11})?$"),
                name="disbursement_period_format",
                violation_error_message=_("期次须以四位年份开头，例如 2015 或 2015-春节。"),
            ),
            # An approved disbursement may still be cancelled before payment: it keeps its
            # approval; one that was never approved (proposed, rejected) has none.
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "paid", "reversed"])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="disbursement_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["proposed", "rejected"])
                | Q(approved_by__isnull=True, approved_at__isnull=True),
                name="disbursement_unapproved_has_no_approver",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state__in=["paid", "reversed"])
                    & Q(paid_by__isnull=False, paid_at__isnull=False, paid_on__isnull=False)
                )
                | (
                    ~Q(state__in=["paid", "reversed"])
                    & Q(paid_by__isnull=True, paid_at__isnull=True, paid_on__isnull=True)
                ),
                name="disbursement_payment_iff_paid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state__in=["rejected", "cancelled"])
                    & Q(closed_by__isnull=False, closed_at__isnull=False)
                    & ~Q(close_reason="")
                )
                | (
                    ~Q(state__in=["rejected", "cancelled"])
                    & Q(closed_by__isnull=True, closed_at__isnull=True, close_reason="")
                ),
                name="disbursement_closed_with_reason",
            ),
            models.UniqueConstraint(
                fields=["programme", "period", "person"],
                condition=Q(state__in=["proposed", "approved", "paid"]),
                name="disbursement_once_per_person_and_period",
                violation_error_message=_("该人员在本项目本期次已有发放记录，不能重复发放。"),
            ),
            models.UniqueConstraint(
                fields=["programme", "period", "family"],
                condition=Q(state__in=["proposed", "approved", "paid"], family__isnull=False),
                name="disbursement_once_per_family_and_period",
                violation_error_message=_("该家庭在本项目本期次已有发放记录，不能重复发放。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} · {self.person.name} · {numbers.yuan(self.amount)} 元"

    @property
    def is_final(self) -> bool:
        return self.state in (
            DisbursementState.PAID,
            DisbursementState.REVERSED,
            DisbursementState.REJECTED,
            DisbursementState.CANCELLED,
        )


class DisbursementReversal(models.Model):
    """The correction of a paid disbursement: the same amount, taken back, with the reason.

    One per disbursement (the one-to-one is the database's "reversed once only"). The paid
    disbursement keeps its amount, payee and payment facts; only its state becomes
    "reversed", in the same transaction, so it no longer counts and a corrected payment may
    be proposed for the same programme and period.
    """

    disbursement = models.OneToOneField(
        Disbursement, verbose_name=_("原发放"), on_delete=models.PROTECT, related_name="reversal"
    )
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("经办工会"),
        on_delete=models.PROTECT,
        related_name="disbursement_reversals",
    )
    amount = MoneyField(_("冲正金额（元）"))
    reason = models.CharField(_("冲正原因"), max_length=200)
    reversed_on = models.DateField(_("冲正日期"))
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("冲正人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversed_at = models.DateTimeField(_("登记时间"))

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("发放冲正")
        verbose_name_plural = _("发放冲正")
        ordering = ["-reversed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="reversal_amount_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="reversal_has_reason"),
        ]

    def __str__(self) -> str:
        return _("冲正：%s") % self.disbursement
