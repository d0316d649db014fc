"""The activity figures of the annual report: counted from activities held (published, not
cancelled, starting in the year) in the scope union's subtree and their registrations."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from gonghui.core.metrics import MetricQuery, MetricResult, metric
from gonghui.organisation.models import UnionKind

from .models import PLACE_STATUSES, ActivityKind, RegistrationStatus, Series
from .selectors import consultation_total, consultations_in, held_in, registrations_in

K = ActivityKind
ATTENDED = (RegistrationStatus.ATTENDED,)


def _held(kind: str):
    def fn(q: MetricQuery) -> MetricResult:
        qs = held_in(actor=q.actor, union=q.union, period=q.period).filter(kind=kind)
        return MetricResult(qs.count(), qs)

    fn.__doc__ = f"Activities of kind {kind} held in the year."
    return fn


def _registrations(kind: str, statuses: tuple[str, ...], **activity_filters: Any):
    def fn(q: MetricQuery) -> MetricResult:
        qs = registrations_in(actor=q.actor, union=q.union, period=q.period, statuses=statuses)
        qs = qs.filter(
            activity__kind=kind, **{f"activity__{k}": v for k, v in activity_filters.items()}
        )
        return MetricResult(qs.count(), qs)

    fn.__doc__ = f"Registrations ({', '.join(statuses)}) for {kind} activities held in the year."
    return fn


metric("services.mobile_service_days")(_held(K.SERVICE_DAY))
metric("migrant.friendship_events")(_held(K.FRIENDSHIP))
metric("migrant.summer_camps")(_held(K.SUMMER_CAMP))
metric("culture.women_lectures")(_held(K.WOMEN_LECTURE))
metric("culture.cultural_activities")(_held(K.CULTURAL))

metric("migrant.free_health_checks")(_registrations(K.HEALTH_CHECK, ATTENDED, migrants_only=True))
metric("migrant.friendship_participants")(_registrations(K.FRIENDSHIP, ATTENDED))
metric("migrant.summer_camp_children")(_registrations(K.SUMMER_CAMP, ATTENDED))
metric("culture.sports_meet_participants")(_registrations(K.SPORTS_MEET, PLACE_STATUSES))
metric("culture.women_lecture_participants")(_registrations(K.WOMEN_LECTURE, ATTENDED))


@metric("services.consultations")
def consultations(q: MetricQuery) -> MetricResult:
    """Consultations recorded at service days held in the year (person-times)."""
    qs = consultations_in(actor=q.actor, union=q.union, period=q.period)
    return MetricResult(consultation_total(qs), qs)


@metric("mayday.celebration_activities")
def mayday_activities(q: MetricQuery) -> MetricResult:
    """Activities of the May Day series held in the year."""
    qs = held_in(actor=q.actor, union=q.union, period=q.period).filter(series=Series.MAYDAY)
    return MetricResult(qs.count(), qs)


def _jobs(qs: Any) -> int:
    return qs.aggregate(n=Sum("jobs_offered"))["n"] or 0


@metric("employment.hr_fair_jobs")
def hr_fair_jobs(q: MetricQuery) -> MetricResult:
    """Job openings offered at the HR exchange fairs held in the year."""
    qs = held_in(actor=q.actor, union=q.union, period=q.period).filter(kind=K.HR_FAIR)
    return MetricResult(_jobs(qs), qs)


def street_job_fairs_in(q: MetricQuery) -> Any:
    return held_in(actor=q.actor, union=q.union, period=q.period).filter(
        kind=K.JOB_FAIR, union__kind=UnionKind.STREET_FEDERATION
    )


@metric("employment.street_job_fairs")
def street_job_fairs(q: MetricQuery) -> MetricResult:
    """Job fairs organised by street federations in the year."""
    qs = street_job_fairs_in(q)
    return MetricResult(qs.count(), qs)


@metric("employment.street_job_fair_jobs")
def street_job_fair_jobs(q: MetricQuery) -> MetricResult:
    """Job openings offered at the street federations' job fairs in the year."""
    qs = street_job_fairs_in(q)
    return MetricResult(_jobs(qs), qs)
