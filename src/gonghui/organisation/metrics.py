"""The organisation figures of the annual report."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from gonghui.core.scope import subtree_queryset
from gonghui.reports.registry import MetricResult, metric

from .models import Cadre, Enterprise, Union


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def unions_founded_in(scope_union: Union, year: int):
    first, last = _year(year)
    return subtree_queryset(Union.objects.all(), scope_union).filter(
        founded_on__gte=first, founded_on__lte=last
    )


@metric("org.unions_founded")
def unions_founded(scope_union: Union, year: int) -> MetricResult:
    """Unions in the subtree whose founding date falls in the year."""
    qs = unions_founded_in(scope_union, year)
    return MetricResult(qs.count(), qs)


@metric("org.enterprises_covered_new")
def enterprises_covered_new(scope_union: Union, year: int) -> MetricResult:
    """Distinct enterprises covered, directly or through a joint union, by the unions
    founded in the year."""
    founded = unions_founded_in(scope_union, year)
    _first, last = _year(year)
    qs = Enterprise.objects.filter(
        coverages__union__in=founded, coverages__started_on__lte=last
    ).distinct()
    return MetricResult(qs.count(), qs)


@metric("org.staff_recruited")
def staff_recruited(scope_union: Union, year: int) -> MetricResult:
    """Full-time union workers appointed in the year through public recruitment."""
    first, last = _year(year)
    qs = subtree_queryset(Cadre.objects.all(), scope_union).filter(
        full_time=True, recruited_by_exam=True, appointed_on__gte=first, appointed_on__lte=last
    )
    return MetricResult(qs.values("person_id").distinct().count(), qs)


@metric("org.fulltime_staff_total")
def fulltime_staff_total(scope_union: Union, year: int) -> MetricResult:
    """Full-time union cadres in post on 31 December (each person once)."""
    _, last = _year(year)
    qs = subtree_queryset(Cadre.objects.all(), scope_union).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=last), full_time=True, appointed_on__lte=last
    )
    return MetricResult(qs.values("person_id").distinct().count(), qs)
