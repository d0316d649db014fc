"""The honours figures of the annual report: titles of a kind and level awarded in the year,
kept in the subtree, and not revoked by the year's end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from gonghui.reports.registry import MetricResult, metric

from .models import Honour
from .models import HonourKind as K
from .models import HonourLevel as L
from .selectors import honour_list, in_force_q


def awarded_in_year(
    scope_union: Any, year: int, kind: str | Iterable[str], level: str | None = None
) -> QuerySet[Honour]:
    """Honours of ``kind`` (and ``level``) of the year kept in the subtree, in force on
    31 December."""
    return honour_list(actor=None, union=scope_union, year=year, kind=kind, level=level).filter(
        in_force_q(dt.date(year, 12, 31))
    )


def _result(
    scope_union: Any, year: int, kind: str | Iterable[str], level: str | None = None
) -> MetricResult:
    qs = awarded_in_year(scope_union, year, kind, level)
    return MetricResult(qs.count(), qs)


@metric("honours.pioneer_national")
def pioneer_national(scope_union: Any, year: int) -> MetricResult:
    """National Worker Pioneer titles awarded in the year."""
    return _result(scope_union, year, K.WORKER_PIONEER, L.NATIONAL)


@metric("honours.pioneer_provincial")
def pioneer_provincial(scope_union: Any, year: int) -> MetricResult:
    """Provincial Worker Pioneer titles awarded in the year."""
    return _result(scope_union, year, K.WORKER_PIONEER, L.PROVINCIAL)


@metric("honours.pioneer_municipal")
def pioneer_municipal(scope_union: Any, year: int) -> MetricResult:
    """Municipal Worker Pioneer titles awarded in the year."""
    return _result(scope_union, year, K.WORKER_PIONEER, L.MUNICIPAL)


@metric("honours.advanced_worker_home_district")
def advanced_worker_home_district(scope_union: Any, year: int) -> MetricResult:
    """District Advanced Workers' Home titles awarded in the year."""
    return _result(scope_union, year, K.ADVANCED_WORKERS_HOME, L.DISTRICT)


@metric("honours.national_advanced_worker")
def national_advanced_worker(scope_union: Any, year: int) -> MetricResult:
    """National advanced-worker titles awarded in the year."""
    return _result(scope_union, year, K.ADVANCED_WORKER, L.NATIONAL)


@metric("honours.provincial_mayday_award")
def provincial_mayday_award(scope_union: Any, year: int) -> MetricResult:
    """Provincial May Day labour awards (to units) in the year."""
    return _result(scope_union, year, K.MAYDAY_AWARD, L.PROVINCIAL)


@metric("honours.municipal_mayday")
def municipal_mayday(scope_union: Any, year: int) -> MetricResult:
    """Municipal May Day medals (persons) and awards (units) in the year, together."""
    return _result(scope_union, year, (K.MAYDAY_MEDAL, K.MAYDAY_AWARD), L.MUNICIPAL)


@metric("org.yihui_yipin_projects")
def yihui_yipin_projects(scope_union: Any, year: int) -> MetricResult:
    """One-union-one-brand showcase projects recognised in the year, at any level."""
    return _result(scope_union, year, K.YIHUI_YIPIN)
