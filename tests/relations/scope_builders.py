"""Street-B records of every labour-relations model, for tests/core/test_scope_generic.py.

Each carries the generic test's mark in a text its list shows, and is built through the
services by the root user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps

from gonghui.organisation.services import coverage_start
from gonghui.relations import services
from gonghui.relations.models import (
    Assessment,
    BargainingOffer,
    BargainingRound,
    CollectiveContract,
    ContractEnterprise,
    CsrParticipation,
    CsrRating,
    DemoSite,
    OfferCampaign,
    TripartiteMeeting,
)
from tests import factories as f

from .factories import in_force

MARK = "乙隐"
D = dt.date


def _firm_and_union(d: Any) -> tuple[Any, Any]:
    firm = f.make_enterprise(d.root, d.B1, name=f"{MARK}制造有限公司", workforce=80)
    union = f.make_union(d.root, d.B1, f.KIND.ENTERPRISE, f"{MARK}制造有限公司工会")
    coverage_start(actor=d.root, union=union, enterprise=firm, on=D(2012, 1, 1))
    return firm, union


def _firm(d: Any) -> Any:
    return _firm_and_union(d)[0]


def build_contract(d: Any) -> CollectiveContract:
    firm, union = _firm_and_union(d)
    return in_force(
        d.root,
        union,
        [firm],
        title=f"{MARK}集体合同",
        signed_on=D(2015, 3, 2),
        expires_on=D(2017, 12, 31),
    )


def build_contract_enterprise(d: Any) -> ContractEnterprise:
    return build_contract(d).coverages.get()


def build_offer(d: Any) -> BargainingOffer:
    firm, union = _firm_and_union(d)
    return services.offer_create(
        actor=d.root,
        union=union,
        kind="wage",
        enterprise=firm,
        employer_party=f"{MARK}制造有限公司",
        offered_on=D(2015, 4, 1),
    )


def build_round(d: Any) -> BargainingRound:
    offer = services.offer_answer(
        actor=d.root, offer=build_offer(d), answered_on=D(2015, 4, 10), answer="同意"
    )
    return services.offer_record_round(
        actor=d.root, offer=offer, held_on=D(2015, 4, 20), summary=f"{MARK}首轮"
    )


def build_campaign(d: Any) -> OfferCampaign:
    return services.campaign_create(
        actor=d.root,
        union=d.B,
        name=f"{MARK}百日要约",
        starts_on=D(2015, 3, 1),
        ends_on=D(2015, 6, 8),
        target=20,
    )


def build_assessment(d: Any) -> Assessment:
    from gonghui.relations.models import IndicatorSet

    s = IndicatorSet.objects.filter(federation=d.F, year=2015).first()
    if s is None:
        s = services.indicator_set_save(
            actor=d.root,
            federation=d.F,
            year=2015,
            name="2015年度测评指标",
            indicators=[{"code": "A", "name": "综合", "weight": 100}],
        )
    return services.assessment_sample(
        actor=d.root, indicator_set=s, enterprise=_firm(d), sampled_on=D(2015, 3, 2)
    )


def build_demo_site(d: Any) -> DemoSite:
    return services.demo_site_designate(
        actor=d.root, enterprise=_firm(d), level="district", designated_on=D(2015, 6, 1)
    )


def build_csr_participation(d: Any) -> CsrParticipation:
    return services.csr_join(actor=d.root, enterprise=_firm(d), joined_on=D(2015, 3, 1))


def build_csr_rating(d: Any) -> CsrRating:
    return services.csr_rate(actor=d.root, enterprise=_firm(d), level="A", rated_on=D(2015, 5, 1))


def build_meeting(d: Any) -> TripartiteMeeting:
    return services.meeting_record(
        actor=d.root,
        union=d.B,
        held_on=D(2015, 3, 20),
        title=f"{MARK}三方会议",
        bureau_participants="街道劳动保障所",
        union_participants="街道总工会",
        employer_participants="街道商会",
        topics="工资集体协商",
    )


def _model(name: str) -> Any:
    return apps.get_model("relations", name)


RELATIONS_BUILDERS = {
    _model("CollectiveContract"): build_contract,
    _model("ContractEnterprise"): build_contract_enterprise,
    _model("BargainingOffer"): build_offer,
    _model("BargainingRound"): build_round,
    _model("OfferCampaign"): build_campaign,
    _model("Assessment"): build_assessment,
    _model("DemoSite"): build_demo_site,
    _model("CsrParticipation"): build_csr_participation,
    _model("CsrRating"): build_csr_rating,
    _model("TripartiteMeeting"): build_meeting,
}
