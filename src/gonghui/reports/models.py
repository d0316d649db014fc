"""What the report engine stores: finalised reports (values frozen when signed, with the
records each figure counted) and the federation's own text of the draft's paragraphs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    CALENDAR = "calendar", _("自然年度（1月1日至12月31日）")
    STATISTICAL = "statistical", _("统计年度（上年10月1日至当年9月30日）")


class ReportRelease(models.Model):
    """A finalised annual report of one union's subtree for one reference period: each
    computed figure's value (``values``, decimal strings by figure id) and the model its
    records are (``record_models``), frozen when signed, with who signed, when, and the logic
    checks' findings they signed despite. The records each figure counted are
    :class:`ReleaseRecord` rows, so later changes show as records added and dropped."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("工会组织"),
        on_delete=models.PROTECT,
        related_name="report_releases",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period_kind = models.CharField(
        _("统计期间"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.CALENDAR
    )
    values = models.JSONField(_("定稿数值"), default=dict)
    record_models = models.JSONField(_("依据记录的类型"), default=dict)
    findings = models.JSONField(_("签发时的逻辑校验问题"), default=list, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签发时间"))
    note = models.CharField(_("签发说明"), max_length=500, blank=True)

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("定稿报告")
        verbose_name_plural = _("定稿报告")
        ordering = ["-year", "union__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year", "period_kind"],
                name="report_release_one_per_period",
                violation_error_message=_("该工会该报告期的报告已定稿。"),
            ),
            models.CheckConstraint(
                condition=Q(period_kind__in=PeriodKind.values), name="report_release_period_kind"
            ),
        ]

    def __str__(self) -> str:
        return _("%(union)s %(year)s年度报告（%(kind)s）") % {
            "union": self.union,
            "year": self.year,
            "kind": self.get_period_kind_display(),
        }

    def value(self, metric_id: str) -> Decimal | None:
        raw = self.values.get(metric_id)
        return None if raw is None else Decimal(raw)


class ReleaseRecord(models.Model):
    """One record a figure of a finalised report counted (by primary key; its model is the
    release's ``record_models[metric_id]``)."""

    release = models.ForeignKey(
        ReportRelease, verbose_name=_("定稿报告"), on_delete=models.PROTECT, related_name="+"
    )
    metric_id = models.CharField(_("指标"), max_length=64)
    object_id = models.BigIntegerField(_("记录编号"))

    class Meta:
        verbose_name = _("定稿依据的记录")
        verbose_name_plural = _("定稿依据的记录")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "metric_id", "object_id"], name="release_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric_id}#{self.object_id}"


class ParagraphText(models.Model):
    """The federation's own wording of one paragraph of a union's work-report draft (by the
    paragraph's registered key); an empty text means the registered default again. The text
    holds placeholders for figures (``{org.members_joined|万}``), never template code."""

    union = models.ForeignKey(
        "organisation.Union",
        verbose_name=_("工会组织"),
        on_delete=models.PROTECT,
        related_name="report_paragraphs",
    )
    key = models.CharField(_("段落"), max_length=64)
    text = models.TextField(_("文稿段落"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"))

    scope_lookup = "union__path"

    class Meta:
        verbose_name = _("工作报告文稿段落")
        verbose_name_plural = _("工作报告文稿段落")
        ordering = ["union__path", "key"]
        constraints = [
            models.UniqueConstraint(fields=["union", "key"], name="paragraph_text_once_per_union")
        ]

    def __str__(self) -> str:
        return f"{self.union} · {self.key}"
