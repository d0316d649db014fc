"""Recording contracts already in effect, as a contract register (集体合同台账) lists them: the
writes behind the register importer, with the rules of the statutory path's own services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock, lock_rows
from gonghui.core.scope import Actor, require_write
from gonghui.organisation.models import Enterprise, Union

from .. import deadlines
from ..errors import RelationsError as E
from ..models import TOOK_EFFECT, CollectiveContract, ContractEnterprise, ContractLevel
from ..models import ContractStatus as S
from .contracts import _check_parties, _not_future, clash_with


def _renewed(enterprise: Enterprise, kind: str, effective_on: dt.date) -> CollectiveContract:
    """The enterprise's latest contract of ``kind`` that ended before ``effective_on`` and
    that nothing renews yet."""
    earlier = (
        CollectiveContract.objects.filter(
            coverages__enterprise=enterprise,
            kind=kind,
            status__in=TOOK_EFFECT,
            coverages__in_force_until__lt=effective_on,
        )
        .exclude(renewals__status__in=[s for s in S if s != S.CANCELLED])
        .order_by("-expires_on", "-pk")
        .first()
    )
    if earlier is None:
        raise DomainError(
            E.RENEWAL,
            _("找不到“%(e)s”在 %(on)s 前期满、尚未续签的同类合同。")
            % {"e": enterprise.name, "on": effective_on},
            field="renewal",
        )
    return lock(earlier)


@transaction.atomic
def contract_register(
    *,
    actor: Actor,
    union: Union,
    enterprise: Enterprise,
    kind: str,
    signed_on: dt.date,
    effective_on: dt.date,
    expires_on: dt.date,
    title: str = "",
    workers_covered: int | None = None,
    filed_on: dt.date | None = None,
    published_on: dt.date | None = None,
    renewal: bool = False,
) -> CollectiveContract:
    """Record an enterprise contract that took effect, from the register: signed by
    ``union`` (which covers the enterprise during the term), its dates in the statutory order,
    not in force over dates where another of its kind is for the enterprise; with
    ``renewal``, linked to the enterprise's latest contract of the kind that ended before."""
    require_write(actor, union)
    _check_parties(union, ContractLevel.ENTERPRISE, [enterprise], effective_on, expires_on)
    for day, name in (
        (signed_on, "signed_on"),
        (filed_on, "filed_on"),
        (published_on, "published_on"),
    ):
        if day is not None:
            _not_future(day, name)
    if effective_on < signed_on:
        raise DomainError(E.BAD_DATES, _("生效日期不能早于签订日期。"), field="effective_on")
    if expires_on <= effective_on:
        raise DomainError(E.BAD_DATES, _("期满日期必须晚于生效日期。"), field="expires_on")
    if filed_on is not None and not signed_on <= filed_on <= effective_on:
        raise DomainError(
            E.BAD_DATES, _("报送审查日期须在签订日期和生效日期之间。"), field="filed_on"
        )
    if published_on is not None and published_on < effective_on:
        raise DomainError(E.BAD_DATES, _("公布日期不能早于生效日期。"), field="published_on")
    lock_rows(Enterprise, [enterprise.pk])
    renews = _renewed(enterprise, kind, effective_on) if renewal else None
    clash = clash_with([enterprise.pk], kind, effective_on, expires_on)
    if clash is not None:
        raise DomainError(
            E.OVERLAP,
            _("“%(e)s”已有同类集体合同“%(c)s”在 %(f)s 至 %(u)s 有效，与本合同的有效期重叠。")
            % {
                "e": clash.enterprise,
                "c": clash.contract,
                "f": clash.in_force_from,
                "u": clash.in_force_until,
            },
            field="effective_on",
        )
    contract = CollectiveContract(
        union=union,
        kind=kind,
        level=ContractLevel.ENTERPRISE,
        title=(title or f"{enterprise.name}{_kind_label(kind)}").strip(),
        employer_party=enterprise.name,
        renews=renews,
        status=S.PUBLISHED if published_on else S.EFFECTIVE,
        expires_on=expires_on,
        signed_on=signed_on,
        filing_due_on=deadlines.filing_due(signed_on),
        filed_on=filed_on,
        objection_ends_on=deadlines.objection_ends(filed_on) if filed_on else None,
        effective_on=effective_on,
        publish_due_on=deadlines.publish_due(effective_on),
        published_on=published_on,
    )
    contract.full_clean(exclude=["union", "renews"], validate_constraints=False)
    contract.save()
    ContractEnterprise.objects.create(
        contract=contract,
        enterprise=enterprise,
        kind=kind,
        workers_covered=enterprise.workforce if workers_covered is None else workers_covered,
        in_force_from=effective_on,
        in_force_until=expires_on,
    )
    audit.record(
        actor=actor,
        obj=contract,
        action="contract.register",
        message=_("从集体合同台账登记：%s") % contract,
        changes={
            "企业": (None, enterprise.name),
            "生效日期": (None, effective_on),
            "期满日期": (None, expires_on),
            "续签自": (None, str(renews) if renews else ""),
        },
    )
    return contract


def _kind_label(kind: str) -> str:
    from ..models import ContractKind

    return str(ContractKind(kind).label)


@transaction.atomic
def contract_register_update(
    *,
    actor: Actor,
    contract: CollectiveContract,
    title: str | None = None,
    workers_covered: int | None = None,
) -> CollectiveContract:
    """Correct the title of a contract or the workers it covers at its (one) enterprise."""
    require_write(actor, contract.union)
    contract = lock(contract)
    changes: dict[str, tuple[Any, Any]] = {}
    if title is not None and title.strip() != contract.title:
        changes["合同名称"] = (contract.title, title.strip())
        contract.title = title.strip()
        contract.full_clean(exclude=["union", "renews"], validate_constraints=False)
        contract.save(update_fields=["title"])
    if workers_covered is not None:
        row = contract.coverages.get()
        if row.workers_covered != workers_covered:
            changes["覆盖职工人数"] = (row.workers_covered, workers_covered)
            row.workers_covered = workers_covered
            row.full_clean(exclude=["contract", "enterprise"], validate_constraints=False)
            row.save(update_fields=["workers_covered"])
    if changes:
        audit.record(
            actor=actor,
            obj=contract,
            action="contract.update",
            message=_("修改合同登记信息"),
            changes=changes,
        )
    return contract


@transaction.atomic
def contract_register_remove(*, actor: Actor, contract: CollectiveContract) -> None:
    """Take back a contract the register import recorded (the undo of its batch): it and
    its enterprise rows are removed, and the removal is audited."""
    require_write(actor, contract.union)
    contract = lock(contract)
    audit.record(
        actor=actor,
        obj=contract,
        action="contract.unregister",
        message=_("撤销导入的合同：%s") % contract,
    )
    contract.delete()
