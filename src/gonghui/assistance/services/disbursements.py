"""Disbursements: propose → approve (someone else) → pay, reject or cancel before payment,
reverse after it; and the reveals of their sensitive fields (medical details, payee accounts).

Money rules (docs/assistance.md, docs/decisions/0009):

* amounts are ``Decimal`` yuan, > 0, at most two decimal places, within the programme's cap;
* a disbursement is approved by someone other than its proposer; approval commits the
  amount to the programme's budget and payment adds it to "paid", both by ``F()`` updates
  while the programme row and then the disbursement row are locked (always in that order,
  so concurrent approvals and payments serialize and never deadlock);
* a paid disbursement never changes; a correction is a reversal record (once only);
* a person (and a family) has at most one live disbursement per programme and period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, numbers, pii
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock, lock_again, lock_rows
from gonghui.core.money import parse_money
from gonghui.core.reveal import reveal
from gonghui.core.scope import Actor, require_write, user_of
from gonghui.membership.models import Person

from ..errors import AssistanceError as E
from ..models import (
    LIVE_STATES,
    AidApplication,
    CondolenceVisit,
    Disbursement,
    DisbursementReversal,
    DisbursementState,
    HardshipFile,
    PaymentMethod,
    Programme,
)
from .common import _in_subtree, _not_future, _now, _reason, _today, _union_open
from .eligibility import _check_eligible
from .programmes import programme_covers

if TYPE_CHECKING:
    from gonghui.organisation.models import Union

S = DisbursementState


_PERIOD = re.compile(r"^[0-9]{4}(-.{1,11})?$")
_ACCOUNT = re.compile(r"^[0-9]{12,30}$")


def _period(programme: Programme, period: str | None) -> str:
    value = (period or str(programme.year)).strip()
    if not _PERIOD.match(value) or int(value[:4]) != programme.year:
        raise DomainError(
            E.BAD_PERIOD,
            _("期次须以项目年度 %(y)s 开头，例如 %(y)s 或 %(y)s-春节。") % {"y": programme.year},
            field="period",
        )
    return value


def _account(raw: str) -> tuple[str, str]:
    digits = re.sub(r"[\s-]", "", raw or "")
    if not digits:
        return "", ""
    if not _ACCOUNT.match(digits):
        raise DomainError(E.BAD_AMOUNT, _("银行账号应为 12 至 30 位数字。"), field="payee_account")
    return pii.encrypt(digits), f"{digits[:4]}****{digits[-4:]}"


@transaction.atomic
def disbursement_propose(
    *,
    actor: Actor,
    programme: Programme,
    person: Person,
    amount: Any,
    reason: str,
    period: str | None = None,
    union: Union | None = None,
    family: HardshipFile | None = None,
    visit: CondolenceVisit | None = None,
    method: str = PaymentMethod.BANK,
    payee_account: str = "",
    medical_details: str = "",
    application: AidApplication | None = None,
    at: dt.datetime | None = None,
) -> Disbursement:
    """Propose a payment to ``person`` (for a household programme: the head of the family)
    under ``programme`` and ``period`` (default: the programme's year), handled by ``union``
    (default: the union that keeps the person). Refused if the person is outside the actor's
    write scope or the programme's, not eligible, above the cap, or already has a live
    disbursement for that programme and period (the database holds it too)."""
    union = union or person.union
    require_write(actor, union)
    # The handling union and the programme's rules as they are now, held to the commit (the
    # caller's copies may predate a dissolution or a change of the rules).
    union = _union_open(union)
    programme = lock_again(programme)
    if not _in_subtree(person.union.path, union):
        raise DomainError(
            E.NOT_ELIGIBLE, _("受助人“%s”不在经办工会管辖范围内。") % person.name, field="person"
        )
    if not programme_covers(programme, union):
        raise DomainError(
            E.OUT_OF_PROGRAMME,
            _("“%(p)s”是%(u)s的项目，不覆盖经办工会。")
            % {"p": programme.name, "u": programme.union.name},
            field="programme",
        )
    value = parse_money(amount)
    if programme.max_amount is not None and value > programme.max_amount:
        raise DomainError(
            E.OVER_CAP,
            _("金额 %(a)s 元超过本项目单笔上限 %(c)s 元。")
            % {"a": numbers.yuan(value), "c": numbers.yuan(programme.max_amount)},
            field="amount",
        )
    period = _period(programme, period)
    family = _check_eligible(programme, person, family)
    if (
        family is not None
        and not _in_subtree(family.union.path, union)
        and not _in_subtree(union.path, family.union)
    ):
        raise DomainError(E.NOT_ON_FILE, _("该困难家庭不在经办工会管辖范围内。"), field="family")
    if method not in PaymentMethod.values:
        raise DomainError(E.BAD_AMOUNT, _("请选择发放方式。"), field="method")
    encrypted, masked = _account(payee_account)
    duplicate = Disbursement.objects.filter(
        programme=programme, period=period, state__in=LIVE_STATES
    ).filter(Q(person=person) | (Q(family=family) if family is not None else Q(pk__in=[])))
    if duplicate.exists():
        raise DomainError(
            E.DUPLICATE,
            _("“%(n)s”在“%(p)s”%(period)s期次已有发放记录，不能重复发放。")
            % {"n": person.name, "p": programme.name, "period": period},
            field="person",
        )
    disbursement = Disbursement(
        union=union,
        programme=programme,
        period=period,
        person=person,
        family=family,
        visit=visit,
        application=application,
        amount=value,
        method=method,
        payee_account_encrypted=encrypted,
        payee_account_masked=masked,
        reason=_reason(reason),
        medical_details=medical_details.strip(),
        proposed_by=user_of(actor),
        proposed_at=at or _now(),
    )
    try:
        disbursement.full_clean(validate_constraints=False)
        with transaction.atomic():
            disbursement.save()
    except IntegrityError as err:  # a concurrent proposal for the same person or family
        raise DomainError(
            E.DUPLICATE, _("该人员或家庭在本项目本期次已有发放记录，不能重复发放。"), field="person"
        ) from err
    audit.record(
        actor=actor,
        obj=disbursement,
        action="disbursement.propose",
        message=_("提出发放 %(a)s 元（%(p)s，%(period)s）：%(r)s")
        % {"a": value, "p": programme.name, "period": period, "r": disbursement.reason},
    )
    return disbursement


def _lock(disbursement: Disbursement) -> tuple[Programme, Disbursement]:
    """Lock the programme row, then the disbursement row: always in this order.

    Two explicit locks rather than ``lock_objects``, which orders rows by table name and
    would lock ``assistance_disbursement`` before ``assistance_programme``: the reverse of
    the order approval, payment, cancellation and reversal have always taken (decision 0009).
    """
    (programme,) = lock_rows(Programme, [disbursement.programme_id])
    locked = lock(disbursement)
    locked.programme = programme
    return programme, locked


def _state_error(d: Disbursement, doing: Any) -> DomainError:
    return DomainError(
        E.BAD_STATE,
        _("该发放当前状态为“%(s)s”，不能%(doing)s。")
        % {"s": d.get_state_display(), "doing": doing},
    )


@transaction.atomic
def disbursement_approve(
    *, actor: Actor, disbursement: Disbursement, at: dt.datetime | None = None
) -> Disbursement:
    """Approve a proposed disbursement: someone other than the proposer, and only while the
    programme's remaining budget covers it. The amount is committed to the programme under
    a lock on its row, so concurrent approvals never over-commit the budget and the same
    disbursement is approved once."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state != S.PROPOSED:
        raise _state_error(d, _("审批"))
    if d.proposed_by_id == getattr(actor, "pk", None):
        raise DomainError(E.SAME_PERSON, _("审批人不能是提出人本人，请由其他干部审批。"))
    if programme.committed + d.amount > programme.budget:
        raise DomainError(
            E.OVER_BUDGET,
            _("项目预算不足：预算 %(b)s 元，已批准 %(c)s 元，剩余 %(r)s 元，本笔 %(a)s 元。")
            % {
                "b": numbers.yuan(programme.budget),
                "c": numbers.yuan(programme.committed),
                "r": numbers.yuan(programme.remaining),
                "a": numbers.yuan(d.amount),
            },
        )
    Programme.objects.filter(pk=programme.pk).update(committed=F("committed") + d.amount)
    d.state = S.APPROVED
    d.approved_by = user_of(actor)
    d.approved_at = at or _now()
    d.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.approve",
        message=_("审批同意发放 %s 元") % numbers.yuan(d.amount),
        changes={"状态": (str(S.PROPOSED.label), str(S.APPROVED.label))},
    )
    return d


@transaction.atomic
def disbursement_pay(
    *,
    actor: Actor,
    disbursement: Disbursement,
    paid_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Disbursement:
    """Record that an approved disbursement was paid on ``paid_on`` (default today). Under
    the same locks as approval, so two cadres paying at once pay it once."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state != S.APPROVED:
        raise _state_error(d, _("登记发放"))
    day = paid_on or _today()
    _not_future(day, "paid_on")
    Programme.objects.filter(pk=programme.pk).update(paid=F("paid") + d.amount)
    d.state = S.PAID
    d.paid_by = user_of(actor)
    d.paid_at = at or _now()
    d.paid_on = day
    d.save(update_fields=["state", "paid_by", "paid_at", "paid_on"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.pay",
        message=_("%(on)s 已发放 %(a)s 元") % {"on": day, "a": numbers.yuan(d.amount)},
        changes={"状态": (str(S.APPROVED.label), str(S.PAID.label))},
    )
    return d


@transaction.atomic
def disbursement_reject(*, actor: Actor, disbursement: Disbursement, reason: str) -> Disbursement:
    """Turn down a proposed disbursement, with the reason."""
    require_write(actor, disbursement.union)
    _programme, d = _lock(disbursement)
    if d.state != S.PROPOSED:
        raise _state_error(d, _("驳回"))
    d.state = S.REJECTED
    d.closed_by, d.closed_at, d.close_reason = user_of(actor), _now(), _reason(reason)
    d.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.reject",
        message=_("不予批准：%s") % d.close_reason,
        changes={"状态": (str(S.PROPOSED.label), str(S.REJECTED.label))},
    )
    return d


@transaction.atomic
def disbursement_cancel(*, actor: Actor, disbursement: Disbursement, reason: str) -> Disbursement:
    """Withdraw a disbursement not yet paid; an approved one gives its amount back to the
    programme's budget."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state not in (S.PROPOSED, S.APPROVED):
        raise _state_error(d, _("取消"))
    before = d.state
    if before == S.APPROVED:
        Programme.objects.filter(pk=programme.pk).update(committed=F("committed") - d.amount)
    d.state = S.CANCELLED
    d.closed_by, d.closed_at, d.close_reason = user_of(actor), _now(), _reason(reason)
    d.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.cancel",
        message=_("取消发放：%s") % d.close_reason,
        changes={"状态": (str(S(before).label), str(S.CANCELLED.label))},
    )
    return d


@transaction.atomic
def disbursement_reverse(
    *, actor: Actor, disbursement: Disbursement, reason: str, on: dt.date | None = None
) -> DisbursementReversal:
    """Correct a paid disbursement by a reversal of the same amount (once only). The paid
    record keeps its facts and becomes "reversed"; the programme's committed and paid go
    down by the amount; a corrected payment may then be proposed."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state != S.PAID:
        raise _state_error(d, _("冲正"))
    day = on or _today()
    _not_future(day, "on")
    if d.paid_on and day < d.paid_on:
        raise DomainError(E.BAD_DATES, _("冲正日期不能早于发放日期。"), field="on")
    Programme.objects.filter(pk=programme.pk).update(
        committed=F("committed") - d.amount, paid=F("paid") - d.amount
    )
    reversal = DisbursementReversal(
        disbursement=d,
        union=d.union,
        amount=d.amount,
        reason=_reason(reason),
        reversed_on=day,
        reversed_by=user_of(actor),
        reversed_at=_now(),
    )
    reversal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as err:  # pragma: no cover - the row lock makes this unreachable
        raise _state_error(d, _("冲正")) from err
    d.state = S.REVERSED
    d.save(update_fields=["state"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.reverse",
        message=_("冲正 %(a)s 元：%(r)s") % {"a": numbers.yuan(d.amount), "r": reversal.reason},
        changes={"状态": (str(S.PAID.label), str(S.REVERSED.label))},
    )
    return reversal


def disbursement_run_many(
    *, actor: Actor, disbursements: Sequence[Disbursement], verb: str, **kwargs: Any
) -> tuple[int, list[str]]:
    """Approve or pay several disbursements, each in its own transaction (one refusal does
    not undo the others). Returns the number done and a message per refusal."""
    service = {"approve": disbursement_approve, "pay": disbursement_pay}[verb]
    done, errors = 0, []
    for d in sorted(disbursements, key=lambda x: (x.programme_id, x.pk)):
        try:
            service(actor=actor, disbursement=d, **kwargs)
        except DomainError as err:
            errors.append(f"{d.person.name}：{err.message}")
        else:
            done += 1
    return done, errors


def payee_account_reveal(*, actor: Actor, disbursement: Disbursement, reason: str) -> str:
    """The full payee bank account of a disbursement ("" when none was given): a reveal
    (``core.reveal``) — in the actor's read scope (else "not found"), with the reveal
    permission, the actor's reason, one access-log row naming the payee and the disbursement."""
    encrypted = disbursement.payee_account_encrypted
    return reveal(
        actor=actor,
        record=disbursement,
        person_id=disbursement.person_id,
        field="bank_account",
        what=_("银行账号"),
        reason=reason,
        value=lambda: pii.decrypt(encrypted) if encrypted else "",
    )


@transaction.atomic
def payee_accounts_reveal(
    *, actor: Actor, disbursements: Iterable[Disbursement], reason: str
) -> dict[int, str]:
    """The full payee accounts of a bank payment list, by disbursement id: one logged reveal
    per payee (see :func:`payee_account_reveal`), all or none — one refusal (a disbursement
    out of scope or beyond the reveal permission, a missing reason) reveals and logs nothing."""
    return {
        d.pk: payee_account_reveal(actor=actor, disbursement=d, reason=reason)
        for d in disbursements
    }


def medical_details_reveal(*, actor: Actor, obj: Disbursement | AidApplication, reason: str) -> str:
    """The medical details of a disbursement or an application: a reveal (``core.reveal``) —
    in the actor's read scope (else "not found"), with the reveal permission, the actor's
    reason, one access-log row naming the person and the record."""
    return reveal(
        actor=actor,
        record=obj,
        person_id=obj.person_id,
        field="medical_details",
        what=_("病情信息"),
        reason=reason,
        value=lambda: obj.medical_details,
    )
