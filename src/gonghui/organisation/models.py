"""The union tree, the enterprises it covers, and the union's cadres."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.identifiers import mask_mobile

PATH_SEGMENT = 4  # digits per tree level: up to 9999 children under one union


class UnionKind(models.TextChoices):
    FEDERATION = "federation", _("区总工会")
    STREET_FEDERATION = "street_federation", _("街道总工会")
    COMMUNITY = "community", _("社区工会")
    ENTERPRISE = "enterprise", _("企业工会")
    JOINT = "joint", _("联合工会")


class JointKind(models.TextChoices):
    TRADE = "trade", _("行业联合工会")
    ONE_STREET = "one_street", _("一条街工会")
    PROJECT = "project", _("项目工会")
    AREA = "area", _("区域性工联会")


class Industry(models.TextChoices):
    """Sections of the national industry classification (GB/T 4754-2017)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class Union(models.Model):
    """A node of the union tree: the federation, a street federation, a community union,
    an enterprise union or a joint union.

    ``path`` is the materialized path (``0001.0003.0012``): the subtree of a union is every
    union whose path starts with its own. It is given once, at creation, by the service.
    """

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("组织代码"),
        max_length=32,
        unique=True,
        help_text=_("全区唯一，由字母、数字和短横线组成，例如 JA-SJ-01"),
    )
    kind = models.CharField(_("类型"), max_length=32, choices=UnionKind.choices)
    joint_kind = models.CharField(
        _("联合工会类别"), max_length=32, choices=JointKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级工会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("树路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), editable=False)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    dissolution_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    scope_lookup = "path"

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind=UnionKind.FEDERATION),
                name="union_only_federation_is_root",
                violation_error_message=_("只有总工会可以没有上级工会。"),
            ),
            models.CheckConstraint(
                condition=(Q(kind=UnionKind.JOINT) & ~Q(joint_kind=""))
                | (~Q(kind=UnionKind.JOINT) & Q(joint_kind="")),
                name="union_joint_kind_iff_joint",
                violation_error_message=_("联合工会必须选择类别；其他类型的工会不填联合工会类别。"),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="union_dissolved_after_founded",
                violation_error_message=_("撤销日期不能早于成立日期。"),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Za-z0-9-]{2,32}$"), name="union_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:organisation_union_change", args=[self.pk])

    def is_active_on(self, day: dt.date) -> bool:
        founded = self.founded_on is None or self.founded_on <= day
        return founded and (self.dissolved_on is None or self.dissolved_on > day)

    def ancestor_paths(self) -> list[str]:
        parts = self.path.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]


class Enterprise(models.Model):
    """An employer, identified by its unified social credit code."""

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    union = models.ForeignKey(
        Union,
        verbose_name=_("属地工会"),
        on_delete=models.PROTECT,
        related_name="local_enterprises",
        help_text=_("企业所在地的街道总工会或社区工会，决定由谁管理该企业的信息"),
    )
    industry = models.CharField(_("行业"), max_length=1, choices=Industry.choices)
    above_scale = models.BooleanField(_("规上企业"), default=False)
    workforce = models.PositiveIntegerField(_("职工人数"), default=0)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=16, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"), name="enterprise_uscc_form"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask_mobile(self.contact_phone) if self.contact_phone else ""


class Coverage(models.Model):
    """A union covers an enterprise from ``started_on`` until the day before ``ended_on``.

    An enterprise union covers its own enterprise; a joint union covers many small ones.
    An enterprise has at most one open coverage at a time.
    """

    union = models.ForeignKey(
        Union, verbose_name=_("覆盖工会"), on_delete=models.PROTECT, related_name="coverages"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="coverages"
    )
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("工会覆盖企业")
        verbose_name_plural = _("工会覆盖企业")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(ended_on__isnull=True),
                name="coverage_one_open_per_enterprise",
                violation_error_message=_("该企业已有正在生效的覆盖工会。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("started_on")),
                name="coverage_ends_after_start",
                violation_error_message=_("终止日期必须晚于起始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} → {self.enterprise}"


class CadrePosition(models.TextChoices):
    CHAIR = "chair", _("工会主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    FULL_TIME_WORKER = "full_time_worker", _("专职工会工作者")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    STAFF = "staff", _("工作人员")


class Cadre(models.Model):
    """A post held by a person in a union, from appointment until it ends."""

    union = models.ForeignKey(
        Union, verbose_name=_("工会组织"), on_delete=models.PROTECT, related_name="cadres"
    )
    person = models.ForeignKey(
        "membership.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts"
    )
    position = models.CharField(_("职务"), max_length=32, choices=CadrePosition.choices)
    full_time = models.BooleanField(_("专职"), default=False)
    appointed_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    recruited_by_exam = models.BooleanField(_("公开招考录用"), default=False)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("工会干部")
        verbose_name_plural = _("工会干部")
        ordering = ["union__path", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "person", "position"],
                condition=Q(ended_on__isnull=True),
                name="cadre_one_open_post",
                violation_error_message=_("该人员已在该工会担任此职务。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("appointed_on")),
                name="cadre_ends_after_appointment",
                violation_error_message=_("离任日期不能早于任职日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} · {self.get_position_display()}"

    def in_post_on(self, day: dt.date) -> bool:
        return self.appointed_on <= day and (self.ended_on is None or self.ended_on > day)
