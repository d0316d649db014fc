"""Festival condolence visits to enterprises (节前走访)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programmes import Programme


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
