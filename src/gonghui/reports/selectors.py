"""The annual report: every catalogue figure for one union's subtree and one reference period,
beside the period before it, grouped by the seed report's areas.

Every figure is computed by its domain (``core.metrics``) for the reader (``actor``): a cadre
sees its own subtree's records only, so the same report read by two people may differ, and
each row keeps the records behind its value for the drill-down. Numbers are written by
``core.numbers`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gonghui.core import numbers
from gonghui.core.metrics import (
    CatalogueEntry,
    MetricQuery,
    MetricResult,
    Period,
    PeriodKind,
    catalogue,
    compute,
    entry,
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

PERIOD_KINDS: dict[str, Any] = {
    "calendar": _("自然年度（1月1日至12月31日）"),
    "statistical": _("统计年度（上年10月1日至当年9月30日）"),
}


def _chinese() -> bool:
    return (get_language() or "zh").startswith("zh")


def area_label(area: str) -> str:
    return str(AREA_LABELS.get(area, area))


def area_order() -> list[str]:
    """The areas in the order the catalogue first names them (the seed report's order)."""
    seen: dict[str, None] = {}
    for e in catalogue():
        seen.setdefault(e.area, None)
    return list(seen)


def _signed(text: str, delta: Decimal) -> str:
    return f"+{text}" if delta > 0 else f"-{text}" if delta < 0 else text


@dataclass
class ReportRow:
    """One figure of the report: this period's result and the previous period's."""

    entry: CatalogueEntry
    result: MetricResult | None
    previous: MetricResult | None = None

    @property
    def computed(self) -> bool:
        return self.result is not None

    @property
    def value(self) -> Decimal | int | None:
        return None if self.result is None else self.result.value

    @property
    def last(self) -> Decimal | int | None:
        return None if self.previous is None else self.previous.value

    @property
    def is_rate(self) -> bool:
        return self.entry.unit in numbers.PERCENT_UNITS

    @property
    def change(self) -> Decimal | None:
        """This period's value minus the previous period's."""
        if self.value is None or self.last is None:
            return None
        return Decimal(self.value) - Decimal(self.last)

    @property
    def change_pct(self) -> Decimal | None:
        """The change in percent of the previous value (none for a rate, or from zero)."""
        change, last = self.change, self.last
        if change is None or last is None or not last or self.is_rate:
            return None
        return change * 100 / Decimal(last)

    @property
    def value_text(self) -> str:
        return numbers.figure(self.value, self.entry.unit)

    @property
    def last_text(self) -> str:
        return numbers.figure(self.last, self.entry.unit)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return ""
        if self.is_rate:
            points = numbers.percent(abs(change)).removesuffix("%")
            return str(_("%(n)s个百分点") % {"n": _signed(points, change)})
        return _signed(numbers.figure(abs(change), self.entry.unit), change)

    @property
    def change_pct_text(self) -> str:
        pct = self.change_pct
        return "" if pct is None else _signed(numbers.percent(abs(pct)), pct)

    @property
    def has_excluded(self) -> bool:
        return self.result is not None and self.result.excluded is not None

    @property
    def label(self) -> str:
        return self.entry.zh if _chinese() else self.entry.en

    @property
    def definition(self) -> str:
        if _chinese():
            return self.entry.definition_zh or self.entry.definition
        return self.entry.definition

    @property
    def area_label(self) -> str:
        return area_label(self.entry.area)

    @property
    def unit_label(self) -> str:
        if _chinese():
            return self.entry.unit_zh
        return str(UNIT_LABELS.get(self.entry.unit, self.entry.unit))


@dataclass
class AreaSection:
    key: str
    label: str
    rows: list[ReportRow] = field(default_factory=list)


@dataclass
class AnnualReport:
    """The report of ``union``'s subtree over ``period`` as its reader may see it."""

    union: Union
    period: Period
    rows: list[ReportRow]

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def kind(self) -> str:
        return self.period.kind

    @property
    def kind_label(self) -> str:
        return str(PERIOD_KINDS[self.period.kind])

    @property
    def n_computed(self) -> int:
        return sum(1 for r in self.rows if r.computed)

    @property
    def areas(self) -> list[AreaSection]:
        sections = {key: AreaSection(key, area_label(key)) for key in area_order()}
        for row in self.rows:
            sections.setdefault(row.entry.area, AreaSection(row.entry.area, row.area_label))
            sections[row.entry.area].rows.append(row)
        return [s for s in sections.values() if s.rows]

    def row(self, metric_id: str) -> ReportRow | None:
        return next((r for r in self.rows if r.entry.id == metric_id), None)

    def values(self) -> dict[str, Decimal | int]:
        """The computed figures by id (what a finalised report freezes)."""
        return {r.entry.id: r.value for r in self.rows if r.value is not None}


def report_period(year: int, kind: str = "calendar") -> Period:
    period_kind: PeriodKind = "statistical" if kind == "statistical" else "calendar"
    return Period.of(year, period_kind)


def annual_report(
    *, actor: Actor, union: Union, year: int, kind: str = "calendar", compare: bool = True
) -> AnnualReport:
    """Every figure of the catalogue for ``union``'s subtree in the ``year`` (calendar or
    statistical), as ``actor`` may read the records, with the previous period's values when
    ``compare``; figures whose domain has not landed yet come back with no result."""
    period = report_period(year, kind)
    query = MetricQuery(actor=actor, union=union, period=period)
    before = query.with_period(period.previous())
    rows = [
        ReportRow(
            entry=e,
            result=compute(e.id, query),
            previous=compute(e.id, before) if compare else None,
        )
        for e in catalogue()
    ]
    return AnnualReport(union=union, period=period, rows=rows)


def figure_result(
    *, actor: Actor, union: Union, metric_id: str, period: Period
) -> tuple[CatalogueEntry, MetricResult] | None:
    """One figure and its records (``None``: not in the catalogue, or not computed yet)."""
    found = entry(metric_id)
    if found is None:
        return None
    result = compute(metric_id, MetricQuery(actor=actor, union=union, period=period))
    return None if result is None else (found, result)


def format_value(value: Decimal | int | None) -> str:
    """A figure as a machine reads it (csv): integers as they are, decimals without trailing
    zeros; people read :attr:`ReportRow.value_text`."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def default_report_year(*, actor: Actor) -> int:
    """The latest year in which the actor's unions recorded a membership, else last year."""
    from gonghui.membership.selectors import membership_list

    latest = membership_list(actor=actor).aggregate(m=Max("started_on"))["m"]
    return latest.year if latest else timezone.localdate().year - 1
