"""Every write to bargaining: offers, their answers and rounds of talks, the agreement, the
contract drafted from it, renewals started from an expiring contract, and offer campaigns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.scope import Actor, require_write
from gonghui.organisation.models import Enterprise, Union

from .. import deadlines
from ..errors import RelationsError as E
from ..models import (
    OPEN_OFFER,
    TOOK_EFFECT,
    BargainingOffer,
    BargainingRound,
    CollectiveContract,
    ContractLevel,
    ContractStatus,
    OfferCampaign,
    OfferParty,
    OfferStatus,
)
from .contracts import _not_future, contract_create

O = OfferStatus  # noqa: E741


def _state(offer: BargainingOffer, *allowed: str) -> None:
    if offer.status not in allowed:
        raise DomainError(
            E.BAD_STATE,
            _("该要约当前状态为“%s”，不能进行此操作。") % offer.get_status_display(),
        )


def _audit(actor: Actor, offer: BargainingOffer, action: str, message: Any, **changes: Any):
    audit.record(
        actor=actor,
        obj=offer,
        action=f"offer.{action}",
        message=message,
        changes={k: (None, v) for k, v in changes.items()},
    )


@transaction.atomic
def offer_create(
    *,
    actor: Actor,
    union: Union,
    kind: str,
    offered_on: dt.date,
    enterprise: Enterprise | None = None,
    employer_party: str = "",
    level: str = ContractLevel.ENTERPRISE,
    offered_by: str = OfferParty.UNION,
    received_on: dt.date | None = None,
    renews: CollectiveContract | None = None,
    note: str = "",
) -> BargainingOffer:
    """Record an offer to bargain sent on ``offered_on`` (received on ``received_on``,
    default the same day); the written answer is due 20 days after receipt."""
    require_write(actor, union)
    _not_future(offered_on, "offered_on")
    received_on = received_on or offered_on
    if received_on < offered_on:
        raise DomainError(E.BAD_DATES, _("收到日期不能早于要约日期。"), field="received_on")
    if level == ContractLevel.ENTERPRISE and enterprise is None:
        raise DomainError(
            E.ENTERPRISE_REQUIRED, _("企业层级的要约须选择企业。"), field="enterprise"
        )
    party = (employer_party or (enterprise.name if enterprise else "")).strip()
    if not party:
        raise DomainError(E.ENTERPRISE_REQUIRED, _("请填写企业方。"), field="employer_party")
    offer = BargainingOffer(
        union=union,
        enterprise=enterprise,
        employer_party=party,
        kind=kind,
        level=level,
        offered_by=offered_by,
        offered_on=offered_on,
        received_on=received_on,
        answer_due_on=deadlines.answer_due(received_on),
        renews=renews,
        note=note,
    )
    offer.full_clean(exclude=["union", "enterprise", "renews", "contract"])
    offer.save()
    _audit(
        actor,
        offer,
        "create",
        _("发出集体协商要约：%s") % offer,
        要约日期=offered_on,
        书面回应期限=offer.answer_due_on,
    )
    return offer


@transaction.atomic
def contract_start_renewal(
    *, actor: Actor, contract: CollectiveContract, offered_on: dt.date
) -> BargainingOffer:
    """Start the renewal of an expiring contract: the union's offer to bargain a new
    contract of the same kind with the same employer, linked to the contract it renews."""
    require_write(actor, contract.union)
    contract = lock(contract)
    if contract.status not in TOOK_EFFECT:
        raise DomainError(E.RENEWAL, _("只有已生效的合同才能续签。"))
    if contract.renewals.exclude(status=ContractStatus.CANCELLED).exists():
        raise DomainError(E.ALREADY_RENEWED, _("合同“%s”已有续签合同。") % contract)
    if contract.renewal_offers.filter(status__in=[*OPEN_OFFER, O.AGREED]).exists():
        raise DomainError(E.ALREADY_RENEWED, _("合同“%s”的续签要约已经发出。") % contract)
    firms = list(contract.coverages.select_related("enterprise"))
    return offer_create(
        actor=actor,
        union=contract.union,
        kind=contract.kind,
        level=contract.level,
        enterprise=firms[0].enterprise if len(firms) == 1 else None,
        employer_party=contract.employer_party,
        offered_on=offered_on,
        renews=contract,
        note=str(_("到期续签：%s") % contract),
    )


@transaction.atomic
def offer_answer(
    *, actor: Actor, offer: BargainingOffer, answered_on: dt.date, answer: str, accepts: bool = True
) -> BargainingOffer:
    """Record the written answer; if it accepts, the talks are due within 10 working days."""
    require_write(actor, offer.union)
    offer = lock(offer)
    _state(offer, O.SENT)
    _not_future(answered_on, "answered_on")
    if answered_on < offer.received_on:
        raise DomainError(
            E.BAD_DATES,
            _("回应日期不能早于收到日期（%s）。") % offer.received_on,
            field="answered_on",
        )
    offer.answered_on, offer.answer = answered_on, answer.strip()
    if accepts:
        offer.talks_due_on = deadlines.talks_due(answered_on)
        offer.status = O.ANSWERED
    else:
        offer.status = O.REFUSED
    offer.save()
    _audit(
        actor,
        offer,
        "answer",
        _("对方书面回应：同意协商") if accepts else _("对方书面回应：拒绝协商"),
        回应日期=answered_on,
        开始协商期限=offer.talks_due_on,
    )
    return offer


@transaction.atomic
def offer_record_round(
    *, actor: Actor, offer: BargainingOffer, held_on: dt.date, summary: str = ""
) -> BargainingRound:
    """Record a round of talks (numbered in order, on or after the answer)."""
    require_write(actor, offer.union)
    offer = lock(offer)
    _state(offer, O.ANSWERED, O.IN_TALKS)
    _not_future(held_on, "held_on")
    assert offer.answered_on is not None  # noqa: S101
    last = offer.rounds.aggregate(n=Max("number"), d=Max("held_on"))
    earliest = last["d"] or offer.answered_on
    if held_on < earliest:
        raise DomainError(E.BAD_DATES, _("协商日期不能早于 %s。") % earliest, field="held_on")
    number = (last["n"] or 0) + 1
    made = BargainingRound.objects.create(
        offer=offer, number=number, held_on=held_on, summary=summary.strip()
    )
    offer.status = O.IN_TALKS
    offer.save(update_fields=["status"])
    _audit(actor, offer, "round", _("第 %s 轮协商") % number, 协商日期=held_on)
    return made


@transaction.atomic
def offer_agree(*, actor: Actor, offer: BargainingOffer, agreed_on: dt.date) -> BargainingOffer:
    """The talks reached agreement (after at least one round)."""
    require_write(actor, offer.union)
    offer = lock(offer)
    _state(offer, O.IN_TALKS)
    _not_future(agreed_on, "agreed_on")
    last = offer.rounds.aggregate(d=Max("held_on"))["d"]
    if last and agreed_on < last:
        raise DomainError(E.BAD_DATES, _("达成一致日期不能早于最后一轮协商。"), field="agreed_on")
    offer.agreed_on, offer.status = agreed_on, O.AGREED
    offer.save(update_fields=["agreed_on", "status"])
    _audit(actor, offer, "agree", _("协商达成一致"), 达成一致日期=agreed_on)
    return offer


@transaction.atomic
def offer_draft_contract(
    *,
    actor: Actor,
    offer: BargainingOffer,
    title: str,
    expires_on: dt.date,
    starts_on: dt.date | None = None,
) -> CollectiveContract:
    """Draft the contract the agreement leads to: the offer's union, kind and employer (a
    renewal offer's contract renews the contract named by the offer)."""
    require_write(actor, offer.union)
    offer = lock(offer)
    _state(offer, O.AGREED)
    if offer.contract_id is not None:
        raise DomainError(E.BAD_STATE, _("该要约已形成集体合同。"))
    if offer.enterprise is not None:
        firms = [offer.enterprise]
    elif offer.renews is not None:
        firms = [c.enterprise for c in offer.renews.coverages.select_related("enterprise")]
    else:
        raise DomainError(E.ENTERPRISE_REQUIRED, _("请先在合同中登记覆盖企业：该要约未指定企业。"))
    workers = (
        dict(offer.renews.coverages.values_list("enterprise_id", "workers_covered"))
        if offer.renews
        else None
    )
    contract = contract_create(
        actor=actor,
        union=offer.union,
        kind=offer.kind,
        level=offer.level,
        title=title,
        enterprises=firms,
        employer_party=offer.employer_party,
        starts_on=starts_on,
        expires_on=expires_on,
        renews=offer.renews,
        workers=workers,
    )
    offer.contract = contract
    offer.save(update_fields=["contract"])
    _audit(actor, offer, "contract", _("形成集体合同草案：%s") % contract)
    return contract


@transaction.atomic
def offer_withdraw(
    *, actor: Actor, offer: BargainingOffer, on: dt.date, reason: str
) -> BargainingOffer:
    """Withdraw an offer that is still open."""
    require_write(actor, offer.union)
    offer = lock(offer)
    _state(offer, *OPEN_OFFER)
    reason = reason.strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("请填写撤回原因。"), field="reason")
    offer.status = O.WITHDRAWN
    offer.note = f"{offer.note}\n{on} {_('撤回')}：{reason}".strip()
    offer.save(update_fields=["status", "note"])
    _audit(actor, offer, "withdraw", _("撤回要约：%s") % reason, 撤回日期=on)
    return offer


@transaction.atomic
def campaign_create(
    *, actor: Actor, union: Union, name: str, starts_on: dt.date, ends_on: dt.date, target: int = 0
) -> OfferCampaign:
    """Open an offer campaign of ``union`` over its dates (the offers its subtree sends in
    that period are the campaign's)."""
    require_write(actor, union)
    if ends_on < starts_on:
        raise DomainError(E.BAD_DATES, _("结束日期不能早于开始日期。"), field="ends_on")
    campaign = OfferCampaign(
        union=union, name=name.strip(), starts_on=starts_on, ends_on=ends_on, target=target
    )
    campaign.full_clean(exclude=["union"])
    campaign.save()
    audit.record(
        actor=actor,
        obj=campaign,
        action="offer_campaign.create",
        message=_("开展集中要约行动：%s") % campaign,
        changes={"开始日期": (None, starts_on), "结束日期": (None, ends_on)},
    )
    return campaign
