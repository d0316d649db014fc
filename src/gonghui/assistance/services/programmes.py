"""Aid programmes: opening one with its budget and rules, changing them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, numbers
from gonghui.core.editing import apply_edit, refuse_unknown_fields
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.money import parse_money
from gonghui.core.scope import Actor, require_write

from ..errors import AssistanceError as E
from ..models import Programme, ProgrammeKind, RecipientKind
from .common import _union_open

if TYPE_CHECKING:
    from gonghui.organisation.models import Union

PROGRAMME_FIELDS = {
    "name",
    "eligibility",
    "requires_member",
    "requires_hardship_file",
    "women_only",
    "max_amount",
    "budget",
    "funder",
    "portal_open",
    "applications_open_on",
    "applications_close_on",
}


@transaction.atomic
def programme_create(
    *,
    actor: Actor,
    union: Union,
    name: str,
    kind: str,
    year: int,
    budget: Any,
    recipient_kind: str = RecipientKind.PERSON,
    max_amount: Any = None,
    **fields: Any,
) -> Programme:
    """Open an aid programme of ``union`` for ``year`` with its budget and rules."""
    require_write(actor, union)
    refuse_unknown_fields(fields, PROGRAMME_FIELDS)
    if kind not in ProgrammeKind.values:
        raise DomainError(E.NOT_ELIGIBLE, _("请选择项目类别。"), field="kind")
    if not name or not name.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写项目名称。"), field="name")
    union = _union_open(union)
    programme = Programme(
        union=union,
        name=name.strip(),
        kind=kind,
        year=year,
        recipient_kind=recipient_kind,
        budget=parse_money(budget, field="budget", allow_zero=True),
        max_amount=None
        if max_amount in (None, "")
        else parse_money(max_amount, field="max_amount"),
        **fields,
    )
    programme.full_clean()
    programme.save()
    audit.record(
        actor=actor,
        obj=programme,
        action="programme.create",
        message=_("设立帮扶项目，预算 %s 元") % numbers.yuan(programme.budget),
    )
    return programme


@transaction.atomic
def programme_update(*, actor: Actor, programme: Programme, **fields: Any) -> Programme:
    """Change a programme's rules or budget; the budget never drops below what is committed
    (the row is locked, so no approval slips in between)."""
    require_write(actor, programme.union)
    refuse_unknown_fields(fields, PROGRAMME_FIELDS)
    if "budget" in fields:
        fields["budget"] = parse_money(fields["budget"], field="budget", allow_zero=True)
        committed = lock(programme).committed
        if fields["budget"] < committed:
            raise DomainError(
                E.OVER_BUDGET,
                _("预算不能低于已批准的金额 %s 元。") % numbers.yuan(committed),
                field="budget",
            )
    if fields.get("max_amount") not in (None, ""):
        fields["max_amount"] = parse_money(fields["max_amount"], field="max_amount")
    elif "max_amount" in fields:
        fields["max_amount"] = None
    return apply_edit(
        actor=actor,
        obj=programme,
        fields=fields,
        action="programme.update",
        message=_("修改帮扶项目"),
    )


def programme_covers(programme: Programme, union: Union) -> bool:
    """A programme of union U serves U's subtree."""
    return union.path.startswith(programme.union.path)
