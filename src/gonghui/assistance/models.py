"""Hardship files, aid programmes and their disbursements, and the Spring Breeze campaign.

Money is ``Decimal`` yuan with two places. A disbursement goes proposed → approved (by a
different person) → paid; a paid disbursement's facts never change, and a correction is a
:class:`DisbursementReversal` (once per disbursement). The invariants the database holds:
amounts > 0, approver ≠ proposer, the fields of each state present, a programme never
committed beyond its budget, and one live disbursement per person (and per family) under a
programme and period (docs/decisions/0009).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


# --- hardship files (困难职工档案) ---------------------------------------------------------------
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
    income_per_head = models.DecimalField(
        _("家庭月人均收入（元）"), **MONEY, help_text=_("家庭月总收入除以家庭人口")
    )
    threshold = models.DecimalField(
        _("当地困难标准（元/人·月）"), **MONEY, help_text=_("建档或复核时当地的困难职工认定标准")
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
    income_per_head = models.DecimalField(_("复核时月人均收入（元）"), **MONEY)
    threshold = models.DecimalField(_("复核时困难标准（元）"), **MONEY)
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


# --- documents ----------------------------------------------------------------------------
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
    view, which checks scope and the reveal permission and logs every view.
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

    def owner_person(self) -> Any:
        if self.hardship_file_id:
            return self.hardship_file.head  # type: ignore[union-attr]
        return self.application.person  # type: ignore[union-attr]


# --- programmes and disbursements ---------------------------------------------------------------
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
    max_amount = models.DecimalField(
        _("单笔上限（元）"), **MONEY, null=True, blank=True, help_text=_("留空表示不设单笔上限")
    )
    budget = models.DecimalField(_("预算（元）"), **MONEY)
    committed = models.DecimalField(_("已批准（元）"), **MONEY, default=ZERO, editable=False)
    paid = models.DecimalField(_("已发放（元）"), **MONEY, default=ZERO, editable=False)
    funder = models.CharField(
        _("出资方"), max_length=100, blank=True, help_text=_("企业出资的项目须填写出资企业")
    )
    portal_open = models.BooleanField(
        _("接受网上申请"), default=False, help_text=_("职工可在网上职工之家提交申请")
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
    amount = models.DecimalField(_("金额（元）"), **MONEY)
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
        return f"{self.programme.name} · {self.person.name} · {self.amount} 元"

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
    amount = models.DecimalField(_("冲正金额（元）"), **MONEY)
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


class CondolenceVisit(models.Model):
    """A visit to an enterprise during a festival condolence campaign (节前走访)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("慰问项目"), on_delete=models.PROTECT, related_name="visits"
    )
    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("走访工会"),
        on_delete=models.PROTECT,
        related_name="condolence_visits",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("走访企业"),
        on_delete=models.PROTECT,
        related_name="condolence_visits",
    )
    visited_on = models.DateField(_("走访日期"))
    visitors = models.CharField(_("走访人员"), max_length=200)
    note = models.CharField(_("走访情况"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("节前走访")
        verbose_name_plural = _("节前走访")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "enterprise", "visited_on"],
                name="visit_once_per_enterprise_day",
                violation_error_message=_("该企业当天的走访已登记。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise}"


# --- applications from the portal ---------------------------------------------------------------
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
    amount_requested = models.DecimalField(_("申请金额（元）"), **MONEY)
    statement = models.TextField(_("申请理由"))
    medical_details = models.TextField(_("病情/医疗情况（敏感）"), blank=True)
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


# --- Spring Breeze Action (春风行动) ---------------------------------------------------------
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
    target = models.DecimalField(_("募集目标（元）"), **MONEY, null=True, blank=True)

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
    amount = models.DecimalField(_("金额（元）"), **MONEY)
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
        return f"{self.receipt_no} {self.donor_name} {self.amount} 元"


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
    total = models.DecimalField(_("捐款合计（元）"), **MONEY)
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
