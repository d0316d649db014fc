"""Report figures are code, owned by their domain: the catalogue and the registry.

A domain's ``metrics.py`` registers each figure it computes, from its ``AppConfig.ready()``::

    @metric("org.members_joined")
    def members_joined(q: MetricQuery) -> MetricResult:
        qs = membership_selectors.members_joined(actor=q.actor, union=q.union, period=q.period)
        return MetricResult(qs.count(), qs)

``q`` says who asks (``actor``: every read goes through the scope mechanism, as any other
read), for which union's subtree and for which reference period. The result carries the
value and the records counted, so every figure can be opened to its records; a rate carries
the records of its denominator that were not counted too.

The catalogue (``catalogue.csv``: the 78 figures of the seed report, with the app that owns
each) says what each id means. A domain may add figures of its own with
:func:`register_figure` before registering their computation.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Model, QuerySet

from .scope import Actor, scope_queryset, subtree_queryset

if TYPE_CHECKING:
    from gonghui.organisation.models import Union

PeriodKind = Literal["calendar", "statistical"]


@dataclass(frozen=True)
class CatalogueEntry:
    """One figure of the report: what it is called, counted in, and what the seed says."""

    id: str
    area: str
    owner: str  # the app label of the domain that computes it
    zh: str
    en: str
    unit: str  # what is counted, in English (count, persons, person-times, 10k CNY...)
    unit_zh: str  # and as a Chinese office writes it (个, 家, 人, 人次, 户, 场, 万元, %)
    value: str  # the seed report's value ("" for a figure the seed does not give)
    bound: str  # exact | about | at_least (how the demo must match the seed)
    definition: str
    definition_zh: str = ""

    @property
    def seed_value(self) -> Decimal | None:
        return Decimal(self.value) if self.value else None


@dataclass(frozen=True)
class Period:
    """The reference period of a report: a calendar year, or the statistical year of the
    national union statistics (1 October of the year before to 30 September)."""

    start: dt.date
    end: dt.date
    year: int
    kind: PeriodKind = "calendar"

    @classmethod
    def of(cls, year: int, kind: PeriodKind = "calendar") -> Period:
        if kind == "statistical":
            return cls(dt.date(year - 1, 10, 1), dt.date(year, 9, 30), year, kind)
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), year, kind)

    def previous(self) -> Period:
        return Period.of(self.year - 1, self.kind)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class MetricQuery:
    """Who asks for a figure (``actor``), for which union's subtree, over which period."""

    actor: Actor
    union: Union
    period: Period

    @property
    def year(self) -> int:
        return self.period.year

    def scoped(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """``qs`` as the actor may read it, inside the union's subtree."""
        return subtree_queryset(scope_queryset(self.actor, qs), self.union)

    def with_period(self, period: Period) -> MetricQuery:
        return replace(self, period=period)


@dataclass
class MetricResult:
    """A computed figure and the records behind it (for a rate: its numerator's records,
    and ``excluded``, the records of the denominator it did not count)."""

    value: Decimal | int
    records: QuerySet[Any] | None = None
    excluded: QuerySet[Any] | None = None


MetricFn = Callable[[MetricQuery], MetricResult]
_REGISTRY: dict[str, MetricFn] = {}
_EXTRA: dict[str, CatalogueEntry] = {}


@cache
def seed_catalogue() -> tuple[CatalogueEntry, ...]:
    """The 78 figures of the seed report (catalogue.csv)."""
    path = Path(__file__).with_name("catalogue.csv")
    with path.open(encoding="utf-8") as fh:
        return tuple(CatalogueEntry(**row) for row in csv.DictReader(fh))


def catalogue() -> tuple[CatalogueEntry, ...]:
    """The seed report's figures, then those the installed domains added."""
    return seed_catalogue() + tuple(_EXTRA.values())


def catalogue_ids() -> set[str]:
    return {e.id for e in catalogue()}


def entry(metric_id: str) -> CatalogueEntry | None:
    return next((e for e in catalogue() if e.id == metric_id), None)


def register_figure(new: CatalogueEntry) -> None:
    """Add a figure the seed report does not have (a domain's own), before its ``@metric``."""
    if new.id in {e.id for e in seed_catalogue()} or _EXTRA.get(new.id, new) != new:
        raise KeyError(f"{new.id} is already in the metric catalogue")
    _EXTRA[new.id] = new


def metric(metric_id: str) -> Callable[[MetricFn], MetricFn]:
    """Register ``fn`` as the computation of catalogue figure ``metric_id``."""
    if metric_id not in catalogue_ids():
        raise KeyError(f"{metric_id} is not in the metric catalogue")

    def decorate(fn: MetricFn) -> MetricFn:
        if metric_id in _REGISTRY and _REGISTRY[metric_id] is not fn:
            raise KeyError(f"{metric_id} is registered twice")
        _REGISTRY[metric_id] = fn
        return fn

    return decorate


def implemented() -> dict[str, MetricFn]:
    return dict(_REGISTRY)


def compute(metric_id: str, query: MetricQuery) -> MetricResult | None:
    fn = _REGISTRY.get(metric_id)
    return fn(query) if fn else None


def records_model(result: MetricResult) -> type[Model] | None:
    return None if result.records is None else result.records.model


def figure(
    metric_id: str, *, actor: Actor, union: Union, year: int, kind: PeriodKind = "calendar"
) -> MetricResult | None:
    """One figure for ``union``'s subtree over the calendar (or statistical) ``year``."""
    return compute(metric_id, MetricQuery(actor=actor, union=union, period=Period.of(year, kind)))


# --- logic checks: figures and records that contradict each other ---------------------------


@dataclass
class CheckResult:
    """What a logic check found: ``count`` records at fault (listed by ``records``), and a
    sentence saying what is wrong with them."""

    count: int
    message: str
    records: QuerySet[Any] | None = None


@dataclass(frozen=True)
class LogicCheck:
    """A rule the report must satisfy before it is final (as the national statistical
    report's checking step has them), owned by the domain that owns the data."""

    id: str
    area: str
    owner: str
    title: (
        Any  # what the rule says, in Chinese through gettext (e.g. "入会日期不得早于工会成立日期")
    )
    run: Callable[[MetricQuery], CheckResult]


_CHECKS: dict[str, LogicCheck] = {}


def logic_check(
    check_id: str, *, area: str, owner: str, title: Any
) -> Callable[[Callable[[MetricQuery], CheckResult]], Callable[[MetricQuery], CheckResult]]:
    """Register ``fn(q) -> CheckResult`` as the logic check ``check_id``."""

    def decorate(fn: Callable[[MetricQuery], CheckResult]) -> Callable[[MetricQuery], CheckResult]:
        if check_id in _CHECKS and _CHECKS[check_id].run is not fn:
            raise KeyError(f"logic check {check_id} is registered twice")
        _CHECKS[check_id] = LogicCheck(check_id, area, owner, title, fn)
        return fn

    return decorate


def logic_checks() -> list[LogicCheck]:
    return [_CHECKS[k] for k in sorted(_CHECKS)]


# --- the report's text: paragraphs the federation edits, defaults from the domains -------------


@dataclass(frozen=True)
class Paragraph:
    """A default paragraph of the work report's draft for an area: a template whose
    ``{figure.id}`` placeholders are filled with the figures, formatted as an office writes
    them (the federation may replace the text; the report engine keeps its edits)."""

    key: str
    area: str
    order: int
    template: str


_PARAGRAPHS: dict[str, Paragraph] = {}


def register_paragraph(key: str, *, area: str, template: str, order: int = 100) -> None:
    """Contribute the default text of one paragraph of the report's draft."""
    _PARAGRAPHS[key] = Paragraph(key, area, order, template)


def paragraphs() -> list[Paragraph]:
    return sorted(_PARAGRAPHS.values(), key=lambda p: (p.area, p.order, p.key))
