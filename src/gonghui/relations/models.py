"""Labour relations: collective contracts and the enterprises they cover, bargaining offers
and their rounds of talks, offer campaigns, the harmony-index assessment, demonstration
sites, CSR building and tripartite meetings.

Every record belongs to a union (``union``): a contract or an offer to the union that signs or
sends it, an assessment, site or rating to the enterprise's local union, an indicator set or
a meeting to the union that holds it. Scope follows that union's path, as everywhere.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from .constraints import PostgresExclusionConstraint


class ContractKind(models.TextChoices):
    GENERAL = "general", _("综合性集体合同")
    WAGE = "wage", _("工资专项集体合同")
    WOMEN = "women", _("女职工权益保护专项集体合同")


class ContractLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业集体合同")
    SECTOR = "sector", _("行业性集体合同")
    AREA = "area", _("区域性集体合同")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    ADOPTED = "adopted", _("职代会已通过")
    SIGNED = "signed", _("已签订")
    FILED = "filed", _("已报送审查")
    OBJECTED = "objected", _("审查有异议")
    EFFECTIVE = "effective", _("已生效")
    PUBLISHED = "published", _("已公布")
    CANCELLED = "cancelled", _("已作废")


#: statuses of a contract that took effect (it is in force between its dates)
TOOK_EFFECT = (ContractStatus.EFFECTIVE, ContractStatus.PUBLISHED)


class Fulfilment(models.TextChoices):
    FULFILLED = "fulfilled", _("全面履行")
    PARTLY = "partly", _("部分履行")
    NOT_FULFILLED = "not_fulfilled", _("未履行")


class CollectiveContract(models.Model):
    """A collective contract of a kind (general, wage, women workers'), signed by ``union``
    for one enterprise or, by a joint union, for the enterprises it covers (sector, area).

    It follows the statutory path draft → workers' congress vote → signed → filed with the
    labour bureau → effective → published; each deadline is stored when the step that starts
    it is recorded (``deadlines.py`` computes them). ``renews`` links a renewal to the
    contract it follows.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("签约工会"),
        on_delete=models.PROTECT,
        related_name="collective_contracts",
    )
    kind = models.CharField(_("合同类别"), max_length=16, choices=ContractKind.choices)
    level = models.CharField(
        _("合同层级"),
        max_length=16,
        choices=ContractLevel.choices,
        default=ContractLevel.ENTERPRISE,
    )
    title = models.CharField(_("合同名称"), max_length=200)
    employer_party = models.CharField(
        _("企业方"),
        max_length=200,
        help_text=_("企业名称；行业性、区域性合同填企业方代表组织（如行业协会）"),
    )
    renews = models.ForeignKey(
        "self",
        verbose_name=_("续签自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    starts_on = models.DateField(
        _("约定起始日期"), null=True, blank=True, help_text=_("不早于生效日期；可不填")
    )
    expires_on = models.DateField(_("期满日期"))
    # workers' congress
    voted_on = models.DateField(_("职代会表决日期"), null=True, blank=True)
    delegates = models.PositiveIntegerField(_("应到代表"), null=True, blank=True)
    delegates_present = models.PositiveIntegerField(_("实到代表"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成票"), null=True, blank=True)
    # signing, filing, review, effect, publication
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    filing_due_on = models.DateField(_("报送期限"), null=True, blank=True, editable=False)
    filed_on = models.DateField(_("报送审查日期"), null=True, blank=True)
    objection_ends_on = models.DateField(_("审查期满"), null=True, blank=True, editable=False)
    objection = models.TextField(_("审查意见"), blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    publish_due_on = models.DateField(_("公布期限"), null=True, blank=True, editable=False)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    terminated_on = models.DateField(
        _("提前终止日期"), null=True, blank=True, help_text=_("自该日起不再有效")
    )
    termination_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    # the fulfilment check
    checked_on = models.DateField(_("履约检查日期"), null=True, blank=True)
    fulfilment = models.CharField(
        _("履约情况"), max_length=16, choices=Fulfilment.choices, blank=True
    )
    document = models.FileField(
        _("合同文本"), upload_to="relations/contracts/%Y/", blank=True, max_length=200
    )
    note = models.TextField(_("备注"), blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("集体合同")
        verbose_name_plural = _("集体合同")
        ordering = ["-expires_on", "-id"]
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["signed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(expires_on__gt=F("starts_on")),
                name="contract_expires_after_start",
                violation_error_message=_("期满日期必须晚于起始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(expires_on__gte=F("effective_on")),
                name="contract_expires_after_effect",
                violation_error_message=_("期满日期不能早于生效日期。"),
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | Q(voted_on__isnull=True)
                | Q(signed_on__gte=F("voted_on")),
                name="contract_signed_after_vote",
                violation_error_message=_("签订日期不能早于职代会表决日期。"),
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(filed_on__gte=F("signed_on")),
                name="contract_filed_after_signing",
                violation_error_message=_("报送日期不能早于签订日期。"),
            ),
            models.CheckConstraint(
                # The workers' congress: at least two-thirds of the delegates present, a
                # majority of all delegates in favour (集体合同规定 第三十六条).
                condition=Q(voted_on__isnull=True)
                | Q(
                    GreaterThanOrEqual(F("delegates_present") * 3, F("delegates") * 2),
                    GreaterThan(F("votes_for") * 2, F("delegates")),
                    delegates_present__lte=F("delegates"),
                    votes_for__lte=F("delegates_present"),
                ),
                name="contract_vote_quorum_and_majority",
                violation_error_message=_(
                    "职代会表决须有三分之二以上代表出席，且赞成票超过全体代表半数。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True, termination_reason="")
                | (Q(terminated_on__isnull=False) & ~Q(termination_reason="")),
                name="contract_terminated_with_reason",
                violation_error_message=_("提前终止须同时填写终止日期和原因。"),
            ),
            models.CheckConstraint(
                condition=Q(checked_on__isnull=True, fulfilment="")
                | (Q(checked_on__isnull=False) & ~Q(fulfilment="")),
                name="contract_check_with_result",
                violation_error_message=_("履约检查须同时填写检查日期和履约情况。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=TOOK_EFFECT) | Q(effective_on__isnull=False),
                name="contract_in_force_has_effective_date",
            ),
            models.UniqueConstraint(
                fields=["renews"],
                condition=Q(renews__isnull=False) & ~Q(status=ContractStatus.CANCELLED),
                name="contract_renewed_once",
                violation_error_message=_("该合同已有续签合同。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:relations_collectivecontract_change", args=[self.pk])

    @property
    def last_day(self) -> dt.date | None:
        """The last day in force (the expiry date, or the day before an early end)."""
        if self.effective_on is None:
            return None
        if self.terminated_on is not None:
            return min(self.expires_on, self.terminated_on - dt.timedelta(days=1))
        return self.expires_on

    def is_in_force_on(self, day: dt.date) -> bool:
        last = self.last_day
        return (
            self.status in TOOK_EFFECT
            and self.effective_on is not None
            and last is not None
            and self.effective_on <= day <= last
        )


class DateRange(Func):
    function = "daterange"
    output_field = DateRangeField()


class ContractEnterprise(models.Model):
    """An enterprise a contract covers, with the workers it covers there.

    ``kind`` and the in-force stretch (``in_force_from``..``in_force_until``, both days
    included) repeat the contract's, written by the services when the contract takes effect
    or ends early, so that the database can hold "one contract of a kind in force per
    enterprise at a time" as a constraint on this table (decision 0020).
    """

    contract = models.ForeignKey(
        CollectiveContract,
        verbose_name=_("集体合同"),
        on_delete=models.CASCADE,
        related_name="coverages",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="contract_coverages",
    )
    workers_covered = models.PositiveIntegerField(_("覆盖职工人数"))
    kind = models.CharField(_("合同类别"), max_length=16, choices=ContractKind.choices)
    in_force_from = models.DateField(_("生效日期"), null=True, blank=True, editable=False)
    in_force_until = models.DateField(_("有效至"), null=True, blank=True, editable=False)

    scope_lookup = "contract__union__path"

    class Meta:
        verbose_name = _("合同覆盖企业")
        verbose_name_plural = _("合同覆盖企业")
        ordering = ["contract", "enterprise__name"]
        indexes = [models.Index(fields=["enterprise", "kind", "in_force_from"])]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "enterprise"],
                name="contract_enterprise_once",
                violation_error_message=_("同一合同不能重复覆盖同一企业。"),
            ),
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True, in_force_until__isnull=True)
                | Q(in_force_until__gte=F("in_force_from")),
                name="contract_enterprise_stretch",
            ),
            PostgresExclusionConstraint(
                name="contract_one_in_force_per_enterprise_kind",
                expressions=[
                    ("enterprise", RangeOperators.EQUAL),
                    ("kind", RangeOperators.EQUAL),
                    (
                        DateRange("in_force_from", "in_force_until", Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(in_force_from__isnull=False),
                violation_error_message=_("该企业同类集体合同的有效期重叠。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.enterprise}"


# --- bargaining ------------------------------------------------------------------------------


class OfferParty(models.TextChoices):
    UNION = "union", _("工会方")
    EMPLOYER = "employer", _("企业方")


class OfferStatus(models.TextChoices):
    SENT = "sent", _("已发出")
    ANSWERED = "answered", _("已书面回应")
    IN_TALKS = "in_talks", _("协商中")
    AGREED = "agreed", _("已达成一致")
    REFUSED = "refused", _("对方拒绝协商")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_OFFER = (OfferStatus.SENT, OfferStatus.ANSWERED, OfferStatus.IN_TALKS)


class BargainingOffer(models.Model):
    """A written request to bargain collectively (要约), sent by the union or the employer.

    The other party answers in writing within 20 days of receiving it; the talks open within
    10 working days of the answer; rounds of talks lead to an agreement and the agreement to
    a contract (``contract``). An offer made to renew an expiring contract names it
    (``renews``).
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("工会"),
        on_delete=models.PROTECT,
        related_name="bargaining_offers",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bargaining_offers",
        help_text=_("行业性、区域性协商可不填，填写企业方"),
    )
    employer_party = models.CharField(_("企业方"), max_length=200)
    kind = models.CharField(_("协商内容"), max_length=16, choices=ContractKind.choices)
    level = models.CharField(
        _("协商层级"),
        max_length=16,
        choices=ContractLevel.choices,
        default=ContractLevel.ENTERPRISE,
    )
    offered_by = models.CharField(
        _("要约方"), max_length=16, choices=OfferParty.choices, default=OfferParty.UNION
    )
    offered_on = models.DateField(_("要约日期"))
    received_on = models.DateField(_("对方收到日期"))
    answer_due_on = models.DateField(_("书面回应期限"), editable=False)
    answered_on = models.DateField(_("书面回应日期"), null=True, blank=True)
    answer = models.TextField(_("回应内容"), blank=True)
    talks_due_on = models.DateField(_("开始协商期限"), null=True, blank=True, editable=False)
    agreed_on = models.DateField(_("达成一致日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.SENT
    )
    renews = models.ForeignKey(
        CollectiveContract,
        verbose_name=_("拟续签合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_offers",
    )
    contract = models.OneToOneField(
        CollectiveContract,
        verbose_name=_("形成的集体合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offer",
    )
    note = models.TextField(_("备注"), blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("集体协商要约")
        verbose_name_plural = _("集体协商要约")
        ordering = ["-offered_on", "-id"]
        indexes = [models.Index(fields=["status", "answer_due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__gte=F("offered_on")),
                name="offer_received_after_sent",
                violation_error_message=_("收到日期不能早于要约日期。"),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="offer_answered_after_received",
                violation_error_message=_("回应日期不能早于收到日期。"),
            ),
            models.CheckConstraint(
                condition=Q(agreed_on__isnull=True) | Q(agreed_on__gte=F("answered_on")),
                name="offer_agreed_after_answer",
                violation_error_message=_("达成一致日期不能早于回应日期。"),
            ),
            models.CheckConstraint(
                condition=Q(level=ContractLevel.ENTERPRISE, enterprise__isnull=False)
                | ~Q(level=ContractLevel.ENTERPRISE),
                name="offer_enterprise_level_has_enterprise",
                violation_error_message=_("企业层级的要约须选择企业。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(party)s%(kind)s要约（%(on)s）") % {
            "party": self.employer_party,
            "kind": self.get_kind_display(),
            "on": self.offered_on,
        }


class BargainingRound(models.Model):
    """One round of the talks an offer opened."""

    offer = models.ForeignKey(
        BargainingOffer, verbose_name=_("要约"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    held_on = models.DateField(_("协商日期"))
    summary = models.TextField(_("协商情况"), blank=True)

    scope_lookup = "offer__union__path"

    class Meta:
        verbose_name = _("协商轮次")
        verbose_name_plural = _("协商轮次")
        ordering = ["offer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="round_number_once"),
        ]

    def __str__(self) -> str:
        return _("第%(n)s轮（%(on)s）") % {"n": self.number, "on": self.held_on}


class OfferCampaign(models.Model):
    """A drive that sends offers in a period (e.g. 百日要约): the offers of the union's subtree
    sent between its dates are its offers."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("组织工会"),
        on_delete=models.PROTECT,
        related_name="offer_campaigns",
    )
    name = models.CharField(_("行动名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    target = models.PositiveIntegerField(_("目标要约企业数"), default=0)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("集中要约行动")
        verbose_name_plural = _("集中要约行动")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="offer_campaign_dates",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- the harmony-index assessment --------------------------------------------------------------


class Aggregation(models.TextChoices):
    MEAN = "mean", _("抽样企业指数的算术平均")
    WORKFORCE = "workforce", _("按职工人数加权平均")


class IndicatorSet(models.Model):
    """The year's indicators and weights of the harmony-index assessment, kept by a
    federation; the weights sum to 100 (checked by the service that writes them).

    A set is a rule for the federation's whole tree, not a record of one union's subtree: it
    has no ``scope_lookup``; the unions at or below the federation read it
    (``selectors.indicator_set_list``) and only writers over the federation change it.
    """

    federation = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("制定总工会"),
        on_delete=models.PROTECT,
        related_name="indicator_sets",
        limit_choices_to={"kind": "federation"},
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    aggregation = models.CharField(
        _("区域指数计算方式"), max_length=16, choices=Aggregation.choices, default=Aggregation.MEAN
    )

    class Meta:
        verbose_name = _("和谐指数测评指标体系")
        verbose_name_plural = _("和谐指数测评指标体系")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "year"],
                name="indicator_set_once_per_year",
                violation_error_message=_("该总工会该年度已有测评指标体系。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.name}"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("指标体系"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("编号"), max_length=16)
    name = models.CharField(_("指标"), max_length=100)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("测评指标")
        verbose_name_plural = _("测评指标")
        ordering = ["indicator_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_code_once"),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100),
                name="indicator_weight_range",
                violation_error_message=_("权重须大于 0 且不超过 100。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}（{self.weight}）"


class AssessmentStatus(models.TextChoices):
    SAMPLED = "sampled", _("已抽样")
    REPORTED = "reported", _("企业已报送")
    COLLECTED = "collected", _("已实地采集")
    SCORED = "scored", _("已评分")


class Assessment(models.Model):
    """A sampled enterprise's assessment of a year: sampled → reported by the enterprise →
    collected on site → scored; ``index`` is Σ weight × score / 100 (Decimal)."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("属地工会"),
        on_delete=models.PROTECT,
        related_name="harmony_assessments",
    )
    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("指标体系"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="harmony_assessments",
    )
    status = models.CharField(
        _("进度"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.SAMPLED,
    )
    sampled_on = models.DateField(_("抽样日期"))
    reported_on = models.DateField(_("报送日期"), null=True, blank=True)
    collected_on = models.DateField(_("实地采集日期"), null=True, blank=True)
    scored_on = models.DateField(_("评分日期"), null=True, blank=True)
    index = models.DecimalField(
        _("和谐指数"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("和谐指数测评")
        verbose_name_plural = _("和谐指数测评")
        ordering = ["-sampled_on", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "enterprise"],
                name="assessment_once_per_set",
                violation_error_message=_("该企业本年度已被抽样。"),
            ),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | Q(reported_on__gte=F("sampled_on")),
                name="assessment_reported_after_sampled",
            ),
            models.CheckConstraint(
                condition=Q(collected_on__isnull=True) | Q(collected_on__gte=F("reported_on")),
                name="assessment_collected_after_reported",
            ),
            models.CheckConstraint(
                condition=Q(index__isnull=True) | Q(index__gte=0, index__lte=100),
                name="assessment_index_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.indicator_set.year}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("测评"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="score_range",
                violation_error_message=_("得分须在 0 至 100 之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.score}"


# --- demonstration sites, CSR building, tripartite meetings ------------------------------------


class SiteLevel(models.TextChoices):
    DISTRICT = "district", _("区级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")


class DemoSite(models.Model):
    """An enterprise designated a harmony demonstration site at a level, until withdrawn."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("属地工会"),
        on_delete=models.PROTECT,
        related_name="demo_sites",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="demo_sites",
    )
    level = models.CharField(_("级别"), max_length=16, choices=SiteLevel.choices)
    designated_on = models.DateField(_("认定日期"))
    withdrawn_on = models.DateField(_("撤销日期"), null=True, blank=True, editable=False)
    withdrawal_reason = models.CharField(_("撤销原因"), max_length=200, blank=True, editable=False)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("和谐示范点")
        verbose_name_plural = _("和谐示范点")
        ordering = ["-designated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "level"],
                condition=Q(withdrawn_on__isnull=True),
                name="demo_site_once_per_level",
                violation_error_message=_("该企业已是该级别的和谐示范点。"),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=F("designated_on")),
                name="demo_site_withdrawn_after_designation",
                violation_error_message=_("撤销日期必须晚于认定日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}和谐示范点 · {self.enterprise}"


class CsrLevel(models.TextChoices):
    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级")


#: a CSR rating is re-reviewed this many years after it was given
CSR_REVIEW_YEARS = 3


class CsrParticipation(models.Model):
    """An enterprise taking part in CSR building from ``joined_on`` (an SME or not)."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("属地工会"),
        on_delete=models.PROTECT,
        related_name="csr_participations",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="csr_participations",
    )
    joined_on = models.DateField(_("参与日期"))
    sme = models.BooleanField(_("中小企业"), default=True)
    left_on = models.DateField(_("退出日期"), null=True, blank=True, editable=False)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("企业社会责任建设参与")
        verbose_name_plural = _("企业社会责任建设参与")
        ordering = ["-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(left_on__isnull=True),
                name="csr_participation_one_open",
                violation_error_message=_("该企业已在参与企业社会责任建设。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}（{self.joined_on}）"


class CsrRating(models.Model):
    """A CSR rating (A/B/C) of an enterprise; a re-review is a new rating that names the one
    it reviews (``reviews``), due ``CSR_REVIEW_YEARS`` after it."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("属地工会"),
        on_delete=models.PROTECT,
        related_name="csr_ratings",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="csr_ratings",
    )
    level = models.CharField(_("评定等级"), max_length=1, choices=CsrLevel.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    rated_on = models.DateField(_("评定日期"))
    review_due_on = models.DateField(_("复核期限"), editable=False)
    reviews = models.OneToOneField(
        "self",
        verbose_name=_("复核的评定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review",
    )

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("企业社会责任评定")
        verbose_name_plural = _("企业社会责任评定")
        ordering = ["-rated_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_on__gt=F("rated_on")), name="csr_review_after_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_level_display()}（{self.rated_on}）"


class TripartiteMeeting(models.Model):
    """A tripartite labour-relations meeting: the labour bureau, the union and the
    employers' body (quarterly in the district)."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("召集工会"),
        on_delete=models.PROTECT,
        related_name="tripartite_meetings",
    )
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200)
    bureau_participants = models.CharField(_("人社部门参会人员"), max_length=300)
    union_participants = models.CharField(_("工会参会人员"), max_length=300)
    employer_participants = models.CharField(_("企业方代表组织参会人员"), max_length=300)
    topics = models.TextField(_("议题"))
    minutes = models.TextField(_("会议纪要"), blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("协调劳动关系三方会议")
        verbose_name_plural = _("协调劳动关系三方会议")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title
