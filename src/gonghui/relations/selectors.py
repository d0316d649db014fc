"""Every read of the labour-relations domain, scoped to the actor.

"Today" is the Asia/Shanghai day (``timezone.localdate()``); the lists of what is due and
overdue compare it with the deadlines stored when each step was recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import CoreError, DomainError
from gonghui.core.scope import Actor, scope_queryset, subtree_queryset, user_scope
from gonghui.organisation.models import Enterprise

from . import deadlines, harmony
from .models import (
    OPEN_OFFER,
    TOOK_EFFECT,
    Aggregation,
    Assessment,
    AssessmentStatus,
    BargainingOffer,
    CollectiveContract,
    ContractEnterprise,
    ContractStatus,
    CsrParticipation,
    CsrRating,
    DemoSite,
    IndicatorSet,
    OfferCampaign,
    OfferStatus,
    TripartiteMeeting,
)

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def _not_found() -> DomainError:
    return DomainError(CoreError.NOT_FOUND, _("找不到该记录，或不在您的管辖范围内。"))


def _in(actor: Actor, qs: QuerySet[Any], union: Any = None) -> QuerySet[Any]:
    qs = scope_queryset(actor, qs)
    return subtree_queryset(qs, union) if union is not None else qs


# --- contracts ------------------------------------------------------------------------------


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Rows of ``ContractEnterprise`` in force on ``on`` (``prefix`` to reach them)."""
    return Q(
        **{
            f"{prefix}in_force_from__isnull": False,
            f"{prefix}in_force_from__lte": on,
            f"{prefix}in_force_until__gte": on,
        }
    )


def contract_list(*, actor: Actor, union: Any = None) -> QuerySet[CollectiveContract]:
    """Contracts the actor may see (signed by a union of ``union``'s subtree)."""
    return _in(actor, CollectiveContract.objects.select_related("union", "renews"), union)


def contract_get(*, actor: Actor, id: int) -> CollectiveContract:
    try:
        return contract_list(actor=actor).get(pk=id)
    except (CollectiveContract.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


def contracts_in_force(*, actor: Actor, on: dt.date, union: Any = None) -> QuerySet[Any]:
    """Contracts in force on ``on``."""
    rows = ContractEnterprise.objects.filter(in_force_q(on), contract=OuterRef("pk"))
    return contract_list(actor=actor, union=union).filter(Exists(rows))


def contracts_expiring(
    *, actor: Actor, today: dt.date, union: Any = None
) -> QuerySet[CollectiveContract]:
    """Contracts in force whose last day falls within the next 60 days and that no renewal
    (other than a cancelled one) follows yet, soonest first."""
    first, last = deadlines.expiry_window(today)
    renewed = CollectiveContract.objects.filter(renews=OuterRef("pk")).exclude(
        status=ContractStatus.CANCELLED
    )
    return (
        contract_list(actor=actor, union=union)
        .filter(status__in=TOOK_EFFECT, expires_on__gte=first, expires_on__lte=last)
        .filter(terminated_on__isnull=True)
        .exclude(Exists(renewed))
        .annotate(
            renewal_offers_open=Count(
                "renewal_offers",
                filter=Q(renewal_offers__status__in=[*OPEN_OFFER, OfferStatus.AGREED]),
            )
        )
        .order_by("expires_on", "pk")
    )


def filings_due(*, actor: Actor, union: Any = None) -> QuerySet[CollectiveContract]:
    """Signed contracts not yet filed with the labour bureau (the overdue ones first)."""
    return (
        contract_list(actor=actor, union=union)
        .filter(status=ContractStatus.SIGNED)
        .order_by("filing_due_on")
    )


def filings_overdue(*, actor: Actor, today: dt.date, union: Any = None) -> QuerySet[Any]:
    return filings_due(actor=actor, union=union).filter(filing_due_on__lt=today)


def publications_due(*, actor: Actor, union: Any = None) -> QuerySet[CollectiveContract]:
    """Contracts in effect not yet published to the workers."""
    return (
        contract_list(actor=actor, union=union)
        .filter(status=ContractStatus.EFFECTIVE)
        .order_by("publish_due_on")
    )


def reviews_lapsed(*, actor: Actor, today: dt.date, union: Any = None) -> QuerySet[Any]:
    """Filed contracts whose 15 days passed with no objection recorded: to take effect."""
    return contract_list(actor=actor, union=union).filter(
        status=ContractStatus.FILED, objection_ends_on__lt=today
    )


# --- offers -------------------------------------------------------------------------------------


def offer_list(*, actor: Actor, union: Any = None) -> QuerySet[BargainingOffer]:
    return _in(
        actor,
        BargainingOffer.objects.select_related("union", "enterprise", "renews", "contract"),
        union,
    )


def offer_get(*, actor: Actor, id: int) -> BargainingOffer:
    try:
        return offer_list(actor=actor).get(pk=id)
    except (BargainingOffer.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


def answers_overdue(*, actor: Actor, today: dt.date, union: Any = None) -> QuerySet[Any]:
    """Offers still waiting for the written answer after its 20 days."""
    return offer_list(actor=actor, union=union).filter(
        status=OfferStatus.SENT, answer_due_on__lt=today
    )


def talks_overdue(*, actor: Actor, today: dt.date, union: Any = None) -> QuerySet[Any]:
    """Answered offers whose talks did not open within 10 working days."""
    return offer_list(actor=actor, union=union).filter(
        status=OfferStatus.ANSWERED, talks_due_on__lt=today
    )


def campaign_list(*, actor: Actor) -> QuerySet[OfferCampaign]:
    return scope_queryset(actor, OfferCampaign.objects.select_related("union"))


@dataclass
class CampaignProgress:
    sent: int
    answered: int
    in_talks: int
    agreed: int
    refused: int
    contracts_signed: int
    enterprises: int
    target: int

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return harmony.rounded(Decimal(self.enterprises) * 100 / self.target)


def campaign_offers(*, actor: Actor, campaign: OfferCampaign) -> QuerySet[BargainingOffer]:
    """The offers of the campaign's subtree sent within its dates."""
    return offer_list(actor=actor, union=campaign.union).filter(
        offered_on__gte=campaign.starts_on, offered_on__lte=campaign.ends_on
    )


def campaign_progress(*, actor: Actor, campaign: OfferCampaign) -> CampaignProgress:
    qs = campaign_offers(actor=actor, campaign=campaign)
    S = OfferStatus
    counts = qs.aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=~Q(status__in=[S.SENT, S.WITHDRAWN, S.REFUSED])),
        in_talks=Count("pk", filter=Q(status=S.IN_TALKS)),
        agreed=Count("pk", filter=Q(status=S.AGREED)),
        refused=Count("pk", filter=Q(status=S.REFUSED)),
        contracts_signed=Count("pk", filter=Q(contract__signed_on__isnull=False)),
        enterprises=Count("enterprise", distinct=True),
    )
    return CampaignProgress(target=campaign.target, **counts)


# --- the harmony-index assessment ----------------------------------------------------------


def indicator_set_list(*, actor: Actor) -> QuerySet[IndicatorSet]:
    """Indicator sets of the federations at or above the actor's unions (the rules their
    assessments follow) and of those below them."""
    qs = IndicatorSet.objects.select_related("federation")
    paths = user_scope(actor).read
    if paths is None:
        return qs
    q = Q(pk__in=[])
    for path in paths:
        parts = path.split(".")
        above = [".".join(parts[: i + 1]) for i in range(len(parts))]
        q |= Q(federation__path__in=above) | Q(federation__path__startswith=path)
    return qs.filter(q)


def assessment_list(*, actor: Actor, union: Any = None) -> QuerySet[Assessment]:
    return _in(
        actor, Assessment.objects.select_related("union", "enterprise", "indicator_set"), union
    )


def assessments_not_collected(*, actor: Actor, today: dt.date, union: Any = None) -> QuerySet[Any]:
    """Assessments of this year or before still waiting for the enterprise's report or for
    the on-site collection."""
    return assessment_list(actor=actor, union=union).filter(
        status__in=[AssessmentStatus.SAMPLED, AssessmentStatus.REPORTED],
        indicator_set__year__lte=today.year,
    )


@dataclass
class AreaIndex:
    """The index of ``union``'s subtree for a year, and its change from the year before."""

    year: int
    value: Decimal | None
    previous: Decimal | None
    scored: int
    aggregation: str

    @property
    def change(self) -> Decimal | None:
        return harmony.change(self.value, self.previous)


def _area_value(actor: Actor, union: Union, year: int) -> tuple[Decimal | None, int, str]:
    scored = assessment_list(actor=actor, union=union).filter(
        indicator_set__year=year, status=AssessmentStatus.SCORED
    )
    rows = list(scored.values_list("index", "enterprise__workforce", "indicator_set__aggregation"))
    if not rows:
        return None, 0, Aggregation.MEAN
    aggregation = rows[0][2]
    value = harmony.district_index(
        ((i, w) for i, w, _a in rows if i is not None),
        weighted=aggregation == Aggregation.WORKFORCE,
    )
    return value, len(rows), aggregation


def area_index(*, actor: Actor, union: Union, year: int) -> AreaIndex:
    """The harmony index of ``union``'s subtree in ``year`` as the year's set says to
    aggregate it (``harmony.district_index``), with last year's for the change."""
    value, n, aggregation = _area_value(actor, union, year)
    previous, _n, _a = _area_value(actor, union, year - 1)
    return AreaIndex(year=year, value=value, previous=previous, scored=n, aggregation=aggregation)


def previous_index(assessment: Assessment) -> Decimal | None:
    """The same enterprise's index of the year before (if it was sampled and scored)."""
    return (
        Assessment.objects.filter(
            enterprise=assessment.enterprise_id,
            indicator_set__year=assessment.indicator_set.year - 1,
            status=AssessmentStatus.SCORED,
        )
        .values_list("index", flat=True)
        .first()
    )


# --- sites, CSR, meetings -----------------------------------------------------------------------


def demo_site_list(*, actor: Actor, union: Any = None) -> QuerySet[DemoSite]:
    return _in(actor, DemoSite.objects.select_related("union", "enterprise"), union)


def csr_participation_list(*, actor: Actor, union: Any = None) -> QuerySet[CsrParticipation]:
    return _in(actor, CsrParticipation.objects.select_related("union", "enterprise"), union)


def csr_rating_list(*, actor: Actor, union: Any = None) -> QuerySet[CsrRating]:
    return _in(actor, CsrRating.objects.select_related("union", "enterprise", "reviews"), union)


def meeting_list(*, actor: Actor, union: Any = None) -> QuerySet[TripartiteMeeting]:
    return _in(actor, TripartiteMeeting.objects.select_related("union"), union)


# --- one enterprise ----------------------------------------------------------------------------


@dataclass
class EnterpriseRelations:
    """What the labour-relations domain knows of one enterprise, as the actor may see it."""

    contracts: list[ContractEnterprise]
    offers: list[BargainingOffer]
    assessments: list[Assessment]
    demo_sites: list[DemoSite]
    csr_participations: list[CsrParticipation]
    csr_ratings: list[CsrRating]


def enterprise_relations(*, actor: Actor, enterprise: Enterprise) -> EnterpriseRelations:
    contract_ids = contract_list(actor=actor).values("pk")
    return EnterpriseRelations(
        contracts=list(
            ContractEnterprise.objects.filter(enterprise=enterprise, contract__in=contract_ids)
            .select_related("contract", "contract__union")
            .order_by("-contract__expires_on")
        ),
        offers=list(offer_list(actor=actor).filter(enterprise=enterprise)[:50]),
        assessments=list(assessment_list(actor=actor).filter(enterprise=enterprise)),
        demo_sites=list(demo_site_list(actor=actor).filter(enterprise=enterprise)),
        csr_participations=list(csr_participation_list(actor=actor).filter(enterprise=enterprise)),
        csr_ratings=list(csr_rating_list(actor=actor).filter(enterprise=enterprise)),
    )
