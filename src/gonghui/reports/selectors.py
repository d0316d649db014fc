"""The annual report: every catalogue figure for one union and one year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gonghui.core.metrics import (
    CatalogueEntry,
    MetricQuery,
    MetricResult,
    Period,
    catalogue,
    compute,
)
from gonghui.core.scope import Actor

if TYPE_CHECKING:
    from gonghui.organisation.models import Union

UNIT_LABELS = {
    "count": _("个"),
    "persons": _("人"),
    "person-times": _("人次"),
    "households": _("户"),
    "10k CNY": _("万元"),
    "percent": "%",
}


def _chinese() -> bool:
    return (get_language() or "zh").startswith("zh")


AREA_LABELS = {
    "organisation": _("组织建设"),
    "labour relations": _("劳动关系"),
    "competitions": _("劳动竞赛"),
    "honours": _("评先评优"),
    "skills": _("技能提升"),
    "May Day": _("五一系列活动"),
    "culture": _("职工文化"),
    "services": _("服务职工"),
    "employment": _("就业服务"),
    "assistance": _("帮扶救助"),
    "migrant workers": _("外来务工人员"),
}


@dataclass
class ReportRow:
    entry: CatalogueEntry
    result: MetricResult | None

    @property
    def computed(self) -> bool:
        return self.result is not None

    @property
    def value(self) -> Decimal | int | None:
        return None if self.result is None else self.result.value

    @property
    def label(self) -> str:
        return self.entry.zh if _chinese() else self.entry.en

    @property
    def definition(self) -> str:
        return (
            (self.entry.definition_zh or self.entry.definition)
            if _chinese()
            else (self.entry.definition)
        )

    @property
    def area_label(self) -> str:
        return str(AREA_LABELS.get(self.entry.area, self.entry.area))

    @property
    def unit_label(self) -> str:
        if _chinese():
            return self.entry.unit_zh
        return str(UNIT_LABELS.get(self.entry.unit, self.entry.unit))


def format_value(value: Decimal | int | None) -> str:
    """A figure as plain text: integers as they are, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def annual_report(*, actor: Actor, union: Union, year: int) -> list[ReportRow]:
    """Every figure of the catalogue for ``union``'s subtree in ``year``, as ``actor`` may
    read the records; figures whose domain has not landed yet come back with no result."""
    query = MetricQuery(actor=actor, union=union, period=Period.of(year))
    return [ReportRow(entry=e, result=compute(e.id, query)) for e in catalogue()]


def default_report_year(*, actor: Actor) -> int:
    """The latest year in which the actor's unions recorded a membership, else last year."""
    from gonghui.membership.selectors import membership_list

    latest = membership_list(actor=actor).aggregate(m=Max("started_on"))["m"]
    return latest.year if latest else timezone.localdate().year - 1
