"""Labour-relations records built through the services, as a cadre would record them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from gonghui.relations import services
from gonghui.relations.models import CollectiveContract, ContractLevel

DAY = dt.timedelta(days=1)


def draft(
    actor: Any,
    union: Any,
    firms: Sequence[Any],
    *,
    kind: str = "general",
    expires_on: dt.date = dt.date(2017, 12, 31),
    title: str = "",
    **kw: Any,
) -> CollectiveContract:
    return services.contract_create(
        actor=actor,
        union=union,
        kind=kind,
        title=title or f"{firms[0].name}{kind}集体合同",
        enterprises=firms,
        expires_on=expires_on,
        level=kw.pop("level", ContractLevel.ENTERPRISE),
        **kw,
    )


def signed(actor: Any, contract: CollectiveContract, signed_on: dt.date) -> CollectiveContract:
    contract = services.contract_vote(
        actor=actor,
        contract=contract,
        voted_on=signed_on - 5 * DAY,
        delegates=60,
        present=50,
        votes_for=45,
    )
    return services.contract_sign(actor=actor, contract=contract, signed_on=signed_on)


def in_force(
    actor: Any,
    union: Any,
    firms: Sequence[Any],
    *,
    signed_on: dt.date,
    expires_on: dt.date,
    kind: str = "general",
    starts_on: dt.date | None = None,
    **kw: Any,
) -> CollectiveContract:
    """A contract voted, signed, filed three days later and found without objection a week
    after that: effective from that day (or from ``starts_on``)."""
    contract = draft(
        actor, union, firms, kind=kind, expires_on=expires_on, starts_on=starts_on, **kw
    )
    contract = signed(actor, contract, signed_on)
    contract = services.contract_file(actor=actor, contract=contract, filed_on=signed_on + 3 * DAY)
    return services.contract_review(actor=actor, contract=contract, on=signed_on + 10 * DAY)
