"""Every write to collective contracts: draft, vote, sign, file, review, take effect,
publish, end early, check fulfilment, cancel.

Each step checks the state it starts from on a freshly locked row, stores the deadline the
step starts (``deadlines.py``), and records one audit entry. Taking effect locks the
enterprises the contract covers (in primary-key order) and refuses a second contract of the
same kind in force over overlapping dates for any of them; PostgreSQL's exclusion constraint
holds the same rule underneath (decision 0020).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock, lock_rows
from gonghui.core.scope import Actor, require_write
from gonghui.organisation.models import Coverage, Enterprise, Union, UnionKind

from .. import deadlines
from ..errors import RelationsError as E
from ..models import (
    TOOK_EFFECT,
    CollectiveContract,
    ContractEnterprise,
    ContractLevel,
    ContractStatus,
    Fulfilment,
)

S = ContractStatus
GRASSROOTS = (UnionKind.ENTERPRISE, UnionKind.JOINT)


def _state(contract: CollectiveContract, *allowed: str) -> None:
    if contract.status not in allowed:
        raise DomainError(
            E.BAD_STATE,
            _("合同“%(c)s”当前状态为“%(s)s”，不能进行此操作。")
            % {"c": contract, "s": contract.get_status_display()},
        )


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(E.BAD_DATES, _("日期 %s 在未来，请核对。") % day, field=field)


def _audit(actor: Actor, contract: CollectiveContract, action: str, message: Any, **changes: Any):
    audit.record(
        actor=actor,
        obj=contract,
        action=f"contract.{action}",
        message=message,
        changes={k: (None, v) for k, v in changes.items()},
    )


def _check_parties(
    union: Union,
    level: str,
    enterprises: list[Enterprise],
    starts_on: dt.date | None,
    expires_on: dt.date,
) -> None:
    if union.kind not in GRASSROOTS:
        raise DomainError(
            E.UNION_KIND, _("集体合同由企业工会或联合工会签订，请选择基层工会。"), field="union"
        )
    if level != ContractLevel.ENTERPRISE and union.kind != UnionKind.JOINT:
        raise DomainError(
            E.UNION_KIND, _("行业性、区域性集体合同须由联合工会签订。"), field="union"
        )
    if not enterprises:
        raise DomainError(E.ENTERPRISE_REQUIRED, _("请选择合同覆盖的企业。"), field="enterprises")
    if level == ContractLevel.ENTERPRISE and len(enterprises) != 1:
        raise DomainError(
            E.ENTERPRISE_REQUIRED,
            _("企业集体合同只覆盖一家企业；覆盖多家企业的请选择行业性或区域性合同。"),
            field="enterprises",
        )
    # The union covers each enterprise during the contract's term.
    start = starts_on or dt.date.min
    covered = set(
        Coverage.objects.filter(union=union, enterprise__in=enterprises, started_on__lte=expires_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .values_list("enterprise_id", flat=True)
    )
    outside = [e.name for e in enterprises if e.pk not in covered]
    if outside:
        raise DomainError(
            E.ENTERPRISE_OUT_OF_SCOPE,
            _("以下企业在合同期内不由“%(u)s”覆盖：%(names)s")
            % {"u": union.name, "names": "、".join(outside[:5])},
            field="enterprises",
        )


@transaction.atomic
def contract_create(
    *,
    actor: Actor,
    union: Union,
    kind: str,
    title: str,
    enterprises: Iterable[Enterprise],
    expires_on: dt.date,
    level: str = ContractLevel.ENTERPRISE,
    employer_party: str = "",
    starts_on: dt.date | None = None,
    renews: CollectiveContract | None = None,
    workers: Mapping[int, int] | None = None,
    document: Any = None,
    note: str = "",
) -> CollectiveContract:
    """Draft a contract of ``kind`` signed by ``union`` for ``enterprises`` (one for an
    enterprise contract; those a joint union covers for a sector or area contract), with the
    workers covered at each (default: its workforce).

    A renewal names the contract it renews: same kind and level, at least one enterprise in
    common, and a contract is renewed once (also a database constraint).
    """
    require_write(actor, union)
    firms = sorted(set(enterprises), key=lambda e: e.pk)
    _check_parties(union, level, firms, starts_on, expires_on)
    if starts_on is not None and expires_on <= starts_on:
        raise DomainError(E.BAD_DATES, _("期满日期必须晚于起始日期。"), field="expires_on")
    if renews is not None:
        renews = lock(renews)
        _check_renewal(renews, kind, level, firms)
    contract = CollectiveContract(
        union=union,
        kind=kind,
        level=level,
        title=title.strip(),
        employer_party=(employer_party or (firms[0].name if len(firms) == 1 else "")).strip(),
        starts_on=starts_on,
        expires_on=expires_on,
        renews=renews,
        note=note,
    )
    if document:
        contract.document = document
    contract.full_clean(exclude=["union", "renews"], validate_constraints=False)
    contract.save()
    ContractEnterprise.objects.bulk_create(
        ContractEnterprise(
            contract=contract,
            enterprise=e,
            kind=kind,
            workers_covered=(workers or {}).get(e.pk, e.workforce),
        )
        for e in firms
    )
    _audit(
        actor,
        contract,
        "create",
        _("起草集体合同：%s") % contract,
        覆盖企业="、".join(e.name for e in firms[:20]),
        期满日期=expires_on,
        续签自=str(renews) if renews else "",
    )
    return contract


def _check_renewal(old: CollectiveContract, kind: str, level: str, firms: list[Enterprise]) -> None:
    if old.kind != kind or old.level != level:
        raise DomainError(
            E.RENEWAL, _("续签合同须与原合同类别、层级相同（原合同：%s）。") % old, field="renews"
        )
    if old.status == S.CANCELLED:
        raise DomainError(E.RENEWAL, _("原合同已作废，不能续签。"), field="renews")
    if old.renewals.exclude(status=S.CANCELLED).exists():
        raise DomainError(E.ALREADY_RENEWED, _("合同“%s”已有续签合同。") % old, field="renews")
    common = set(old.coverages.values_list("enterprise_id", flat=True)) & {e.pk for e in firms}
    if not common:
        raise DomainError(E.RENEWAL, _("续签合同须覆盖原合同的企业。"), field="enterprises")


@transaction.atomic
def contract_vote(
    *,
    actor: Actor,
    contract: CollectiveContract,
    voted_on: dt.date,
    delegates: int,
    present: int,
    votes_for: int,
) -> CollectiveContract:
    """Record the workers' congress adopting the draft: at least two-thirds of the
    delegates present and a majority of all delegates in favour, else refused."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, S.DRAFT)
    _not_future(voted_on, "voted_on")
    if not (delegates > 0 and 0 <= present <= delegates and 0 <= votes_for <= present):
        raise DomainError(
            E.VOTE_NUMBERS,
            _("代表人数有误：实到不能多于应到，赞成票不能多于实到。"),
            field="present",
        )
    if present * 3 < delegates * 2:
        raise DomainError(
            E.VOTE_QUORUM,
            _("出席代表 %(p)s 人，不足应到代表 %(d)s 人的三分之二，表决无效。")
            % {"p": present, "d": delegates},
            field="present",
        )
    if votes_for * 2 <= delegates:
        raise DomainError(
            E.VOTE_MAJORITY,
            _("赞成 %(v)s 票，未超过全体代表 %(d)s 人的半数，草案未获通过。")
            % {"v": votes_for, "d": delegates},
            field="votes_for",
        )
    contract.voted_on, contract.delegates = voted_on, delegates
    contract.delegates_present, contract.votes_for = present, votes_for
    contract.status = S.ADOPTED
    contract.save()
    _audit(
        actor,
        contract,
        "vote",
        _("职代会通过合同草案：应到 %(d)s 人，实到 %(p)s 人，赞成 %(v)s 票")
        % {"d": delegates, "p": present, "v": votes_for},
        表决日期=voted_on,
    )
    return contract


@transaction.atomic
def contract_sign(
    *, actor: Actor, contract: CollectiveContract, signed_on: dt.date
) -> CollectiveContract:
    """Record the signing; the filing deadline (10 days) starts."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, S.ADOPTED)
    _not_future(signed_on, "signed_on")
    assert contract.voted_on is not None  # noqa: S101 - ADOPTED has a vote
    if signed_on < contract.voted_on:
        raise DomainError(
            E.BAD_DATES,
            _("签订日期不能早于职代会表决日期（%s）。") % contract.voted_on,
            field="signed_on",
        )
    contract.filing_due_on = deadlines.filing_due(signed_on)
    contract.signed_on, contract.status = signed_on, S.SIGNED
    contract.save()
    _audit(
        actor, contract, "sign", _("签订合同"), 签订日期=signed_on, 报送期限=contract.filing_due_on
    )
    return contract


@transaction.atomic
def contract_file(
    *, actor: Actor, contract: CollectiveContract, filed_on: dt.date
) -> CollectiveContract:
    """Record the filing with the labour bureau (again after an objection); the bureau's
    15 days start."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, S.SIGNED, S.OBJECTED)
    _not_future(filed_on, "filed_on")
    assert contract.signed_on is not None  # noqa: S101
    if filed_on < contract.signed_on:
        raise DomainError(
            E.BAD_DATES,
            _("报送日期不能早于签订日期（%s）。") % contract.signed_on,
            field="filed_on",
        )
    contract.objection_ends_on = deadlines.objection_ends(filed_on)
    contract.filed_on, contract.status = filed_on, S.FILED
    contract.save()
    _audit(
        actor,
        contract,
        "file",
        _("报送劳动保障行政部门审查"),
        报送日期=filed_on,
        审查期满=contract.objection_ends_on,
    )
    return contract


@transaction.atomic
def contract_review(
    *, actor: Actor, contract: CollectiveContract, on: dt.date, objection: str = ""
) -> CollectiveContract:
    """Record the labour bureau's answer: an objection sends the contract back to the
    parties (to be filed again); no objection makes it effective from that day (or from the
    agreed start, if later)."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, S.FILED)
    _not_future(on, "on")
    assert contract.filed_on is not None  # noqa: S101
    if on < contract.filed_on:
        raise DomainError(E.BAD_DATES, _("审查日期不能早于报送日期。"), field="on")
    objection = objection.strip()
    if objection:
        contract.objection, contract.status = objection, S.OBJECTED
        contract.save()
        _audit(actor, contract, "objection", _("劳动保障行政部门提出异议：%s") % objection)
        return contract
    return _take_effect(actor, contract, max(on, contract.starts_on or on))


@transaction.atomic
def contract_take_effect(*, actor: Actor, contract: CollectiveContract) -> CollectiveContract:
    """The bureau raised no objection within 15 days of the filing: the contract takes
    effect the day after (or from the agreed start, if later)."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, S.FILED)
    assert contract.objection_ends_on is not None  # noqa: S101
    if timezone.localdate() <= contract.objection_ends_on:
        raise DomainError(
            E.TOO_EARLY,
            _("审查期至 %s 届满，届满前请登记审查意见。") % contract.objection_ends_on,
        )
    effective = contract.objection_ends_on + dt.timedelta(days=1)
    return _take_effect(actor, contract, max(effective, contract.starts_on or effective))


def clash_with(
    firm_ids: list[int],
    kind: str,
    first: dt.date,
    last: dt.date,
    *,
    exclude: CollectiveContract | None = None,
) -> ContractEnterprise | None:
    """A contract of ``kind`` in force for one of the enterprises on a day from ``first`` to
    ``last`` (the rule PostgreSQL's exclusion constraint holds too), or None."""
    rows = ContractEnterprise.objects.filter(
        enterprise_id__in=firm_ids,
        kind=kind,
        in_force_from__isnull=False,
        in_force_from__lte=last,
        in_force_until__gte=first,
    )
    if exclude is not None:
        rows = rows.exclude(contract=exclude)
    return rows.select_related("contract", "enterprise").first()


def _take_effect(
    actor: Actor, contract: CollectiveContract, effective_on: dt.date
) -> CollectiveContract:
    if effective_on > contract.expires_on:
        raise DomainError(
            E.BAD_DATES,
            _("生效日期 %(e)s 晚于期满日期 %(x)s，请核对合同期限。")
            % {"e": effective_on, "x": contract.expires_on},
        )
    firms = list(contract.coverages.values_list("enterprise_id", flat=True))
    # Serialize every contract taking effect for these enterprises (fixed order).
    lock_rows(Enterprise, firms)
    old = contract.renews
    if old is not None and old.status in TOOK_EFFECT:
        old = lock(old)
        last = old.last_day
        assert old.effective_on is not None  # noqa: S101 - it took effect
        if last is not None and old.effective_on < effective_on <= last:
            # The renewal takes over: the renewed contract ends the day before.
            _end(actor, old, effective_on, str(_("由续签合同接续")))
    clash = clash_with(firms, contract.kind, effective_on, contract.expires_on, exclude=contract)
    if clash is not None:
        raise DomainError(
            E.OVERLAP,
            _(
                "“%(e)s”已有同类集体合同“%(c)s”在 %(f)s 至 %(u)s 有效，"
                "与本合同的有效期重叠；请调整起始日期或先终止原合同。"
            )
            % {
                "e": clash.enterprise,
                "c": clash.contract,
                "f": clash.in_force_from,
                "u": clash.in_force_until,
            },
        )
    contract.effective_on, contract.status = effective_on, S.EFFECTIVE
    contract.publish_due_on = deadlines.publish_due(effective_on)
    contract.save()
    ContractEnterprise.objects.filter(contract=contract).update(
        in_force_from=effective_on, in_force_until=contract.last_day
    )
    _audit(
        actor,
        contract,
        "effect",
        _("合同生效"),
        生效日期=effective_on,
        公布期限=contract.publish_due_on,
    )
    return contract


@transaction.atomic
def contract_publish(
    *, actor: Actor, contract: CollectiveContract, published_on: dt.date
) -> CollectiveContract:
    """Record the publication to the workers (due within 10 days of taking effect)."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, S.EFFECTIVE)
    _not_future(published_on, "published_on")
    assert contract.signed_on is not None  # noqa: S101
    if published_on < contract.signed_on:
        raise DomainError(E.BAD_DATES, _("公布日期不能早于签订日期。"), field="published_on")
    contract.published_on, contract.status = published_on, S.PUBLISHED
    contract.save()
    _audit(actor, contract, "publish", _("向全体职工公布"), 公布日期=published_on)
    return contract


def _end(actor: Actor, contract: CollectiveContract, on: dt.date, reason: str) -> None:
    contract.terminated_on, contract.termination_reason = on, reason
    contract.save(update_fields=["terminated_on", "termination_reason"])
    ContractEnterprise.objects.filter(contract=contract).update(in_force_until=contract.last_day)
    _audit(actor, contract, "terminate", _("合同提前终止：%s") % reason, 终止日期=on)


@transaction.atomic
def contract_terminate(
    *, actor: Actor, contract: CollectiveContract, on: dt.date, reason: str
) -> CollectiveContract:
    """End a contract in force early: it is no longer in force from ``on``."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, *TOOK_EFFECT)
    reason = reason.strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("请填写终止原因。"), field="reason")
    assert contract.effective_on is not None  # noqa: S101
    if contract.terminated_on is not None:
        raise DomainError(E.BAD_STATE, _("该合同已于 %s 终止。") % contract.terminated_on)
    if not contract.effective_on < on <= contract.expires_on:
        raise DomainError(
            E.BAD_DATES,
            _("终止日期须在生效日期 %(e)s 之后、期满日期 %(x)s 之前。")
            % {"e": contract.effective_on, "x": contract.expires_on},
            field="on",
        )
    _end(actor, contract, on, reason)
    return contract


@transaction.atomic
def contract_check_fulfilment(
    *, actor: Actor, contract: CollectiveContract, on: dt.date, fulfilment: str
) -> CollectiveContract:
    """Record the fulfilment check of a contract that took effect."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, *TOOK_EFFECT)
    _not_future(on, "on")
    assert contract.effective_on is not None  # noqa: S101
    if on < contract.effective_on:
        raise DomainError(E.BAD_DATES, _("检查日期不能早于生效日期。"), field="on")
    contract.checked_on, contract.fulfilment = on, Fulfilment(fulfilment)
    contract.save(update_fields=["checked_on", "fulfilment"])
    _audit(
        actor,
        contract,
        "check",
        _("履约检查：%s") % contract.get_fulfilment_display(),
        检查日期=on,
    )
    return contract


@transaction.atomic
def contract_cancel(
    *, actor: Actor, contract: CollectiveContract, reason: str
) -> CollectiveContract:
    """Abandon a contract that has not taken effect (it stays on file, cancelled)."""
    require_write(actor, contract.union)
    contract = lock(contract)
    _state(contract, S.DRAFT, S.ADOPTED, S.SIGNED, S.FILED, S.OBJECTED)
    reason = reason.strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("请填写作废原因。"), field="reason")
    contract.status = S.CANCELLED
    contract.note = f"{contract.note}\n{_('作废原因')}：{reason}".strip()
    contract.save(update_fields=["status", "note"])
    _audit(actor, contract, "cancel", _("合同作废：%s") % reason)
    return contract
