"""Roster export: the same columns the importer reads, so export, edit, re-import round-trips."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, pii
from gonghui.core.scope import can_reveal, scope_q, user_scope
from gonghui.core.xlsx import write_xlsx

from .models import Gender, Membership
from .roster import COLUMNS, GRADE_LABELS

# What each roster column is read from (plain values, not model instances: 100,000 rows).
_SOURCE = {
    "name": "person__name",
    "gender": "person__gender",
    "ric": "person__ric_encrypted",
    "birth_date": "person__birth_date",
    "ethnicity": "person__ethnicity",
    "political_status": "person__political_status",
    "education": "person__education",
    "mobile": "person__mobile",
    "workplace": "person__workplace",
    "job_title": "person__job_title",
    "joined_on": "started_on",
    "hukou": "person__hukou",
    "migrant": "person__migrant",
    "skill_grade": "person__skill_grade",
    "note": "note",
}


def _mobile_local(e164: str) -> str:
    return e164[3:] if e164.startswith("+86") else e164


def roster_xlsx(*, actor: Any, memberships: QuerySet[Membership], union: Any) -> bytes:
    """The memberships as a roster workbook, in the importer's columns.

    The full ID number is written only for a user allowed to reveal ID numbers in ``union``'s
    subtree (the export is then recorded in the audit trail); otherwise the masked form, which
    the importer refuses, so a masked export cannot be re-imported by mistake.
    """
    # Full ID numbers only if every exported membership lies where the user may reveal them.
    reveal = user_scope(actor).reveal
    full = can_reveal(actor, union.path) and (
        reveal is None or not memberships.exclude(scope_q(Membership, reveal)).exists()
    )
    fields = [_SOURCE[c.key] for c in COLUMNS]
    fields[fields.index("person__ric_encrypted")] = (
        "person__ric_encrypted" if full else "person__ric_masked"
    )
    keys = [c.key for c in COLUMNS]
    genders = {g.value: str(g.label) for g in Gender}
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        query = memberships.order_by("person__name", "pk").values_list(
            *fields, "person__employer__name"
        )
        for values in query.iterator(5000):
            count += 1
            row = dict(zip(keys, values, strict=False))
            row["gender"] = genders.get(row["gender"], "")
            if full:
                row["ric"] = pii.decrypt(row["ric"])
            row["mobile"] = _mobile_local(row["mobile"])
            row["workplace"] = row["workplace"] or values[-1] or ""
            row["migrant"] = "是" if row["migrant"] else "否"
            row["skill_grade"] = GRADE_LABELS.get(row["skill_grade"], "")
            yield [row[k] for k in keys]

    content = write_xlsx(str(_("会员花名册")), [c.header for c in COLUMNS], rows())
    if full:
        with transaction.atomic():
            audit.record(
                actor=actor,
                obj=union,
                action="roster.export",
                message=_("导出花名册（含完整身份证号）%d 人") % count,
            )
    return content
