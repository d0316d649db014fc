"""The assistance figures of the annual report, and the model workers condoled on May Day.

Every money figure is the sum of paid, not reversed disbursements (or of donations not
voided) in 万元 (10,000 yuan), exact to the fen: 57,700.00 yuan is 5.77. The records behind
each figure are the disbursements, visits, files or donations it counted.
"""

from __future__ import annotations

from gonghui.core.metrics import MetricQuery, MetricResult, metric
from gonghui.core.money import total, wan

from .models import ProgrammeKind, RecipientKind
from .selectors import (
    commendations_in_year,
    donations_in_year,
    festival_visits,
    files_on_file,
    paid_in,
)

K = ProgrammeKind


def _persons(kind: str, recipient_kind: str | None = None):
    def compute(q: MetricQuery) -> MetricResult:
        qs = paid_in(
            actor=q.actor, union=q.union, period=q.period, kind=kind, recipient_kind=recipient_kind
        )
        return MetricResult(qs.values("person").distinct().count(), qs)

    return compute


def _households(kind: str):
    def compute(q: MetricQuery) -> MetricResult:
        qs = paid_in(
            actor=q.actor,
            union=q.union,
            period=q.period,
            kind=kind,
            recipient_kind=RecipientKind.HOUSEHOLD,
        )
        return MetricResult(qs.values("person").distinct().count(), qs)

    return compute


def _amount(kind: str):
    def compute(q: MetricQuery) -> MetricResult:
        qs = paid_in(actor=q.actor, union=q.union, period=q.period, kind=kind)
        return MetricResult(wan(total(qs)), qs)

    return compute


@metric("assistance.hardship_families")
def hardship_families(q: MetricQuery) -> MetricResult:
    """Hardship families on file on the last day of the period."""
    qs = files_on_file(actor=q.actor, union=q.union, on=q.period.end)
    return MetricResult(qs.count(), qs)


@metric("assistance.festival_enterprises_visited")
def festival_enterprises_visited(q: MetricQuery) -> MetricResult:
    """Enterprise visits recorded under festival condolence programmes in the year."""
    qs = festival_visits(actor=q.actor, union=q.union, period=q.period)
    return MetricResult(qs.count(), qs)


metric("assistance.festival_persons")(_persons(K.FESTIVAL, RecipientKind.PERSON))
metric("assistance.festival_families")(_households(K.FESTIVAL))
metric("assistance.festival_amount_wan")(_amount(K.FESTIVAL))
metric("assistance.summer_cooling_households")(_households(K.SUMMER_COOLING))
metric("assistance.summer_cooling_amount_wan")(_amount(K.SUMMER_COOLING))
metric("assistance.dialysis_persons")(_persons(K.DIALYSIS))
metric("assistance.dialysis_amount_wan")(_amount(K.DIALYSIS))
metric("assistance.corporate_medical_aid_persons")(_persons(K.CORPORATE_MEDICAL))
metric("assistance.corporate_medical_aid_amount_wan")(_amount(K.CORPORATE_MEDICAL))
metric("assistance.accident_subsidy_persons")(_persons(K.ACCIDENT))
metric("assistance.accident_subsidy_amount_wan")(_amount(K.ACCIDENT))
metric("assistance.education_aid_persons")(_persons(K.EDUCATION))
metric("assistance.education_aid_amount_wan")(_amount(K.EDUCATION))
metric("assistance.medical_mutual_aid_persons")(_persons(K.MUTUAL_AID))
metric("assistance.medical_mutual_aid_amount_wan")(_amount(K.MUTUAL_AID))


@metric("assistance.cancer_screening_women")
def cancer_screening_women(q: MetricQuery) -> MetricResult:
    """Free two-cancer screenings provided (paid to the hospital) in the year."""
    qs = paid_in(actor=q.actor, union=q.union, period=q.period, kind=K.CANCER_SCREENING)
    return MetricResult(qs.count(), qs)


@metric("assistance.spring_breeze_funds_wan")
def spring_breeze_funds(q: MetricQuery) -> MetricResult:
    """Donations (not voided) to the year's Spring Breeze campaigns, in 万元."""
    qs = donations_in_year(actor=q.actor, union=q.union, year=q.year)
    return MetricResult(wan(total(qs)), qs)


@metric("assistance.donor_units_commended")
def donor_units_commended(q: MetricQuery) -> MetricResult:
    """Donor units commended for the year's campaigns."""
    qs = commendations_in_year(actor=q.actor, union=q.union, year=q.year)
    return MetricResult(qs.count(), qs)


@metric("mayday.model_worker_condolences")
def model_worker_condolences(q: MetricQuery) -> MetricResult:
    """Model workers (holding a model-worker honour at the year's end, kept in the subtree)
    who were paid a festival condolence in the year."""
    from gonghui.honours.selectors import model_worker_persons

    workers = model_worker_persons(actor=q.actor, union=q.union, on=q.period.end)
    qs = paid_in(actor=q.actor, union=q.union, period=q.period, kind=K.FESTIVAL).filter(
        person__in=workers.values("pk")
    )
    return MetricResult(qs.values("person").distinct().count(), qs)
