"""Honours: titles awarded to a person or a unit (kind, level, year)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

YEAR_MIN, YEAR_MAX = 1950, 2100


class HonourKind(models.TextChoices):
    WORKER_PIONEER = "worker_pioneer", _("工人先锋号")
    ADVANCED_WORKERS_HOME = "advanced_workers_home", _("先进职工之家")
    ADVANCED_WORKER = "advanced_worker", _("先进工作者")
    MODEL_WORKER = "model_worker", _("劳动模范")
    MAYDAY_AWARD = "mayday_award", _("五一劳动奖状")
    MAYDAY_MEDAL = "mayday_medal", _("五一劳动奖章")
    YIHUI_YIPIN = "yihui_yipin", _("一会一品")
    OTHER = "other", _("其他")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    DISTRICT = "district", _("区级")


#: kinds awarded to a person; the unit kinds go to a union or an enterprise ("other": either)
PERSON_KINDS = (HonourKind.MODEL_WORKER, HonourKind.ADVANCED_WORKER, HonourKind.MAYDAY_MEDAL)
UNIT_KINDS = (
    HonourKind.WORKER_PIONEER,
    HonourKind.ADVANCED_WORKERS_HOME,
    HonourKind.MAYDAY_AWARD,
    HonourKind.YIHUI_YIPIN,
)
#: unit kinds that only a union can hold (a workers' home, a union's showcase project)
UNION_KINDS = (HonourKind.ADVANCED_WORKERS_HOME, HonourKind.YIHUI_YIPIN)

_PERSON = Q(person__isnull=False)
_UNION = Q(recipient_union__isnull=False)
_ENTERPRISE = Q(enterprise__isnull=False)


def _unique_per_recipient(field: str) -> models.UniqueConstraint:
    # "Other" titles are many and differently named: the same recipient may get two a year.
    return models.UniqueConstraint(
        fields=[field, "kind", "level", "year"],
        condition=Q(**{f"{field}__isnull": False}) & ~Q(kind=HonourKind.OTHER),
        name=f"honour_once_per_{field}_kind_level_year",
        violation_error_message=_("该获得者已获得同一年度、同一级别的该类荣誉，不能重复登记。"),
    )


class Honour(models.Model):
    """A title (kind, level, year) awarded to exactly one recipient: a person, a union or an
    enterprise. ``union`` is the union that keeps the record; the recipient is inside its
    subtree. A revoked honour stays on file with the day and reason of the revocation.
    """

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("保管工会"),
        on_delete=models.PROTECT,
        related_name="honours_kept",
        help_text=_("登记和保管该荣誉记录的工会；获得者须在其管辖范围内"),
    )
    kind = models.CharField(_("类别"), max_length=32, choices=HonourKind.choices)
    level = models.CharField(_("级别"), max_length=16, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_on = models.DateField(_("授予日期"), null=True, blank=True)
    title = models.CharField(
        _("称号全称"),
        max_length=200,
        blank=True,
        help_text=_("例如“2015年度杭州市工人先锋号”，或“一会一品”项目名称"),
    )
    person = models.ForeignKey(
        "membership.Person",
        verbose_name=_("获得者（个人）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    recipient_union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("获得者（工会）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours_received",
    )
    enterprise = models.ForeignKey(
        "organisation.Enterprise",
        verbose_name=_("获得者（企业）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True, editable=False)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-year", "kind", "level", "id"]
        indexes = [models.Index(fields=["year", "kind", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=(_PERSON & ~_UNION & ~_ENTERPRISE)
                | (~_PERSON & _UNION & ~_ENTERPRISE)
                | (~_PERSON & ~_UNION & _ENTERPRISE),
                name="honour_exactly_one_recipient",
                violation_error_message=_("获得者须是一个人员、一个工会或一家企业，且只能填一项。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=PERSON_KINDS) | _PERSON,
                name="honour_person_kind_has_person",
                violation_error_message=_("劳动模范、先进工作者、五一劳动奖章须授予个人。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=UNIT_KINDS) | ~_PERSON,
                name="honour_unit_kind_has_no_person",
                violation_error_message=_(
                    "工人先锋号、先进职工之家、五一劳动奖状、一会一品须授予集体（工会或企业）。"
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=UNION_KINDS) | _UNION,
                name="honour_union_kind_has_union",
                violation_error_message=_("先进职工之家、一会一品须授予工会。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="honour_year_in_range",
                violation_error_message=_("年度须在 1950 至 2100 之间。"),
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True, revoked_reason="")
                | (Q(revoked_on__isnull=False) & ~Q(revoked_reason="")),
                name="honour_revoked_with_reason",
                violation_error_message=_("撤销荣誉须同时填写撤销日期和原因。"),
            ),
            # "awarded_on falls in year" needs a date function, which SQLite check constraints
            # cannot call portably: honour_award checks it.
            _unique_per_recipient("person"),
            _unique_per_recipient("recipient_union"),
            _unique_per_recipient("enterprise"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.year}年{self.get_level_display()}{self.get_kind_display()} · {self.recipient}"
        )

    @property
    def recipient(self) -> object:
        return self.person or self.recipient_union or self.enterprise

    def is_in_force_on(self, day: dt.date) -> bool:
        return self.revoked_on is None or self.revoked_on > day
