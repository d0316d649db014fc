"""Festival condolence visits (节前走访) to enterprises."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.scope import require_write

from ..errors import AssistanceError as E
from ..models import CondolenceVisit, Programme, ProgrammeKind
from .common import _in_subtree, _not_future, _union_open
from .programmes import programme_covers


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    programme: Programme,
    union: Any,
    enterprise: Any,
    visited_on: dt.date,
    visitors: str,
    note: str = "",
) -> CondolenceVisit:
    """Record a festival condolence visit of ``union`` to an enterprise in its subtree."""
    require_write(actor, union)
    if programme.kind != ProgrammeKind.FESTIVAL:
        raise DomainError(
            E.OUT_OF_PROGRAMME, _("走访只能登记在节日慰问项目下。"), field="programme"
        )
    if not programme_covers(programme, union):
        raise DomainError(E.OUT_OF_PROGRAMME, _("该慰问项目不覆盖本工会。"), field="programme")
    if not _in_subtree(enterprise.union.path, union) and not _in_subtree(
        union.path, enterprise.union
    ):
        raise DomainError(E.NOT_ELIGIBLE, _("该企业不在本工会管辖范围内。"), field="enterprise")
    _not_future(visited_on, "visited_on")
    if not visitors or not visitors.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写走访人员。"), field="visitors")
    union = _union_open(union)
    visit = CondolenceVisit(
        programme=programme,
        union=union,
        enterprise=enterprise,
        visited_on=visited_on,
        visitors=visitors.strip(),
        note=note.strip(),
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    audit.record(
        actor=actor, obj=visit, action="visit.record", message=_("登记节前走访：%s") % enterprise
    )
    return visit
