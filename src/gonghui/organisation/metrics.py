"""The organisation figures of the annual report."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gonghui.core.metrics import MetricQuery, MetricResult, metric

from .models import Cadre, Enterprise, Union


def unions_founded_in(q: MetricQuery) -> QuerySet[Union]:
    return q.scoped(Union.objects.all()).filter(
        founded_on__gte=q.period.start, founded_on__lte=q.period.end
    )


@metric("org.unions_founded")
def unions_founded(q: MetricQuery) -> MetricResult:
    """Unions in the subtree whose founding date falls in the period."""
    qs = unions_founded_in(q)
    return MetricResult(qs.count(), qs)


@metric("org.enterprises_covered_new")
def enterprises_covered_new(q: MetricQuery) -> MetricResult:
    """Distinct enterprises covered, directly or through a joint union, by the unions
    founded in the period."""
    founded = unions_founded_in(q)
    qs = Enterprise.objects.filter(
        coverages__union__in=founded, coverages__started_on__lte=q.period.end
    ).distinct()
    return MetricResult(qs.count(), qs)


@metric("org.staff_recruited")
def staff_recruited(q: MetricQuery) -> MetricResult:
    """Full-time union workers appointed in the period through public recruitment."""
    qs = q.scoped(Cadre.objects.all()).filter(
        full_time=True,
        recruited_by_exam=True,
        appointed_on__gte=q.period.start,
        appointed_on__lte=q.period.end,
    )
    return MetricResult(qs.values("person_id").distinct().count(), qs)


@metric("org.fulltime_staff_total")
def fulltime_staff_total(q: MetricQuery) -> MetricResult:
    """Full-time union cadres in post on the period's last day (each person once)."""
    last = q.period.end
    qs = q.scoped(Cadre.objects.all()).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=last), full_time=True, appointed_on__lte=last
    )
    return MetricResult(qs.values("person_id").distinct().count(), qs)
