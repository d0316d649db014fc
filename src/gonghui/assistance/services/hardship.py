"""Hardship files: filing a family, its description, household members, the yearly review
and leaving the file (dynamic management)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.editing import apply_edit, refuse_unknown_fields
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.money import parse_money
from gonghui.core.scope import require_write
from gonghui.membership.models import Person

from ..errors import AssistanceError as E
from ..models import (
    CAUSES,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    LeaveReason,
    Relation,
    ReviewOutcome,
)
from .common import _in_subtree, _not_future, _today, _union_open


def _causes(causes: Iterable[str]) -> dict[str, bool]:
    chosen = set(causes)
    names = {name for name, _label in CAUSES}
    unknown = chosen - names
    if unknown:
        raise DomainError(E.BAD_HOUSEHOLD, _("致困原因不正确。"), field="causes")
    if not chosen:
        raise DomainError(E.BAD_HOUSEHOLD, _("请至少选择一项致困原因。"), field="causes")
    return {name: name in chosen for name in names}


def _check_income(income: Decimal, threshold: Decimal) -> None:
    if income > threshold:
        raise DomainError(
            E.NOT_ELIGIBLE,
            _("家庭月人均收入 %(i)s 元高于当地困难标准 %(t)s 元，不符合建档条件。")
            % {"i": income, "t": threshold},
            field="income_per_head",
        )


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def hardship_file_create(
    *,
    actor: Any,
    union: Any,
    head: Person,
    filed_on: dt.date,
    household_size: int,
    income_per_head: Any,
    threshold: Any,
    causes: Iterable[str],
    situation: str = "",
    address: str = "",
) -> HardshipFile:
    """File a hardship family whose head is kept in ``union``'s subtree. The household's
    monthly income per head must be at or below the local threshold; a head has at most one
    open file (the database holds it too). The first review falls due a year later."""
    require_write(actor, union)
    if not _in_subtree(head.union.path, union):
        raise DomainError(
            E.NOT_ELIGIBLE, _("户主“%s”不在本工会管辖范围内。") % head.name, field="head"
        )
    _not_future(filed_on, "filed_on")
    income = parse_money(income_per_head, field="income_per_head", allow_zero=True)
    limit = parse_money(threshold, field="threshold")
    _check_income(income, limit)
    if household_size is None or household_size < 1:
        raise DomainError(E.BAD_HOUSEHOLD, _("家庭人口至少为 1 人。"), field="household_size")
    union = _union_open(union)
    lock(head)  # serialize two filings of one head
    if HardshipFile.objects.filter(head=head, left_on__isnull=True).exists():
        raise DomainError(
            E.ALREADY_ON_FILE, _("“%s”家庭已在档，请勿重复建档。") % head.name, field="head"
        )
    file = HardshipFile(
        union=union,
        head=head,
        filed_on=filed_on,
        household_size=household_size,
        income_per_head=income,
        threshold=limit,
        situation=situation.strip(),
        address=address.strip(),
        review_due_on=one_year_after(filed_on),
        created_by=actor,
        **_causes(causes),
    )
    file.full_clean()
    file.save()
    audit.record(
        actor=actor,
        obj=file,
        action="hardship.create",
        message=_("建立困难职工档案：%(name)s 家庭，%(n)s 人，月人均收入 %(i)s 元")
        % {"name": head.name, "n": household_size, "i": income},
    )
    return file


HARDSHIP_EDITABLE = {"household_size", "situation", "address", *(n for n, _l in CAUSES)}


@transaction.atomic
def hardship_file_update(*, actor: Any, file: HardshipFile, **fields: Any) -> HardshipFile:
    """Correct a file's description (household size, causes, situation, address). Income
    changes go through a review, which keeps their history."""
    require_write(actor, file.union)
    refuse_unknown_fields(fields, HARDSHIP_EDITABLE)
    return apply_edit(
        actor=actor, obj=file, fields=fields, action="hardship.update", message=_("修改困难档案")
    )


@transaction.atomic
def hardship_member_add(
    *,
    actor: Any,
    file: HardshipFile,
    name: str,
    relation: str,
    birth_year: int | None = None,
    situation: str = "",
) -> HouseholdMember:
    """Add a household member (other than the head) to a hardship file."""
    require_write(actor, file.union)
    if not name or not name.strip():
        raise DomainError(E.BAD_HOUSEHOLD, _("请填写家庭成员姓名。"), field="name")
    if relation not in Relation.values:
        raise DomainError(E.BAD_HOUSEHOLD, _("请选择与户主的关系。"), field="relation")
    if birth_year is not None and not (1900 <= birth_year <= _today().year):
        raise DomainError(E.BAD_HOUSEHOLD, _("出生年份不正确。"), field="birth_year")
    member = HouseholdMember(
        file=file,
        name=name.strip(),
        relation=relation,
        birth_year=birth_year,
        situation=situation.strip(),
    )
    member.full_clean()
    member.save()
    audit.record(
        actor=actor,
        obj=file,
        action="hardship.member_add",
        message=_("登记家庭成员：%s") % member,
    )
    return member


@transaction.atomic
def hardship_review(
    *,
    actor: Any,
    file: HardshipFile,
    reviewed_on: dt.date,
    income_per_head: Any,
    threshold: Any,
    keep: bool,
    note: str = "",
    leave_reason: str = LeaveReason.INCOME_RAISED,
) -> HardshipReview:
    """Record the yearly review of a file on file. Keeping it moves the next review a year
    on; an income above the threshold cannot be kept on file; leaving ends the file on the
    review day with ``leave_reason``."""
    require_write(actor, file.union)
    locked = lock(file)
    if locked.left_on is not None:
        raise DomainError(E.NOT_ON_FILE, _("该家庭已退出档案，不能复核。"))
    _not_future(reviewed_on, "reviewed_on")
    if reviewed_on < locked.filed_on or (
        locked.last_reviewed_on and reviewed_on < locked.last_reviewed_on
    ):
        raise DomainError(
            E.BAD_DATES, _("复核日期不能早于建档日期或上次复核日期。"), field="reviewed_on"
        )
    income = parse_money(income_per_head, field="income_per_head", allow_zero=True)
    limit = parse_money(threshold, field="threshold")
    if keep:
        _check_income(income, limit)
    elif leave_reason not in LeaveReason.values:
        raise DomainError(E.REASON_REQUIRED, _("请选择退出原因。"), field="leave_reason")
    review = HardshipReview(
        file=locked,
        reviewed_on=reviewed_on,
        income_per_head=income,
        threshold=limit,
        outcome=ReviewOutcome.KEEP if keep else ReviewOutcome.LEAVE,
        note=note.strip()[:200],
        reviewed_by=actor,
    )
    review.full_clean()
    review.save()
    locked.last_reviewed_on = reviewed_on
    locked.income_per_head = income
    locked.threshold = limit
    locked.review_due_on = one_year_after(reviewed_on)
    if not keep:
        locked.left_on = reviewed_on
        locked.left_reason = leave_reason
        locked.left_note = note.strip()[:200]
    locked.full_clean()
    locked.save()
    audit.record(
        actor=actor,
        obj=locked,
        action="hardship.review",
        message=(
            _("%(on)s 年度复核：月人均收入 %(i)s 元，%(out)s")
            % {"on": reviewed_on, "i": income, "out": review.get_outcome_display()}
        ),
    )
    return review


@transaction.atomic
def hardship_file_leave(
    *, actor: Any, file: HardshipFile, on: dt.date, reason: str, note: str = ""
) -> HardshipFile:
    """A family leaves the file on ``on`` for ``reason`` (dynamic management)."""
    require_write(actor, file.union)
    locked = lock(file)
    if locked.left_on is not None:
        raise DomainError(E.NOT_ON_FILE, _("该家庭已退出档案。"))
    if reason not in LeaveReason.values:
        raise DomainError(E.REASON_REQUIRED, _("请选择退出原因。"), field="reason")
    _not_future(on, "on")
    if on < locked.filed_on:
        raise DomainError(E.BAD_DATES, _("退出日期不能早于建档日期。"), field="on")
    locked.left_on = on
    locked.left_reason = reason
    locked.left_note = note.strip()[:200]
    locked.full_clean()
    locked.save(update_fields=["left_on", "left_reason", "left_note"])
    audit.record(
        actor=actor,
        obj=locked,
        action="hardship.leave",
        message=_("%(on)s 退出档案：%(why)s") % {"on": on, "why": LeaveReason(reason).label},
        changes={"退出日期": (None, on)},
    )
    return locked
