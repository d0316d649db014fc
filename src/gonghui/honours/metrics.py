"""The honours figures of the annual report: titles of a kind and level awarded in the year,
kept in the subtree, and not revoked by the year's end."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from gonghui.core.metrics import MetricQuery, MetricResult, metric

from .models import Honour
from .models import HonourKind as K
from .models import HonourLevel as L
from .selectors import honour_list, in_force_q


def awarded_in_year(
    q: MetricQuery, kind: str | Iterable[str], level: str | None = None
) -> QuerySet[Honour]:
    """Honours of ``kind`` (and ``level``) of the report's year kept in the subtree, in force
    at the end of the period."""
    return honour_list(actor=q.actor, union=q.union, year=q.year, kind=kind, level=level).filter(
        in_force_q(q.period.end)
    )


def _result(q: MetricQuery, kind: str | Iterable[str], level: str | None = None) -> MetricResult:
    qs = awarded_in_year(q, kind, level)
    return MetricResult(qs.count(), qs)


@metric("honours.pioneer_national")
def pioneer_national(q: MetricQuery) -> MetricResult:
    """National Worker Pioneer titles awarded in the year."""
    return _result(q, K.WORKER_PIONEER, L.NATIONAL)


@metric("honours.pioneer_provincial")
def pioneer_provincial(q: MetricQuery) -> MetricResult:
    """Provincial Worker Pioneer titles awarded in the year."""
    return _result(q, K.WORKER_PIONEER, L.PROVINCIAL)


@metric("honours.pioneer_municipal")
def pioneer_municipal(q: MetricQuery) -> MetricResult:
    """Municipal Worker Pioneer titles awarded in the year."""
    return _result(q, K.WORKER_PIONEER, L.MUNICIPAL)


@metric("honours.advanced_worker_home_district")
def advanced_worker_home_district(q: MetricQuery) -> MetricResult:
    """District Advanced Workers' Home titles awarded in the year."""
    return _result(q, K.ADVANCED_WORKERS_HOME, L.DISTRICT)


@metric("honours.national_advanced_worker")
def national_advanced_worker(q: MetricQuery) -> MetricResult:
    """National advanced-worker titles awarded in the year."""
    return _result(q, K.ADVANCED_WORKER, L.NATIONAL)


@metric("honours.provincial_mayday_award")
def provincial_mayday_award(q: MetricQuery) -> MetricResult:
    """Provincial May Day labour awards (to units) in the year."""
    return _result(q, K.MAYDAY_AWARD, L.PROVINCIAL)


@metric("honours.municipal_mayday")
def municipal_mayday(q: MetricQuery) -> MetricResult:
    """Municipal May Day medals (persons) and awards (units) in the year, together."""
    return _result(q, (K.MAYDAY_MEDAL, K.MAYDAY_AWARD), L.MUNICIPAL)


@metric("org.yihui_yipin_projects")
def yihui_yipin_projects(q: MetricQuery) -> MetricResult:
    """One-union-one-brand showcase projects recognised in the year, at any level."""
    return _result(q, K.YIHUI_YIPIN)
