"""Roster export: the same columns the importer reads, so export, edit, re-import round-trips."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core import pii
from gonghui.core.reveal import reveal_many
from gonghui.core.scope import Actor
from gonghui.core.xlsx import write_xlsx

from .models import Gender, Membership
from .roster import COLUMNS, GRADE_LABELS

if TYPE_CHECKING:
    from gonghui.organisation.models import Union

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


def roster_xlsx(
    *, actor: Actor, memberships: QuerySet[Membership], union: Union, reveal_reason: str = ""
) -> bytes:
    """The memberships as a roster workbook, in the importer's columns.

    With ``reveal_reason`` the full ID numbers are written: a reveal of every exported person
    through ``core.reveal`` (scope, permission, the reason, one access-log row each), refused
    as a whole if any of them is outside where the actor may reveal. Without it the masked
    form, which the importer refuses, so a masked export cannot be re-imported by mistake.
    """
    full = bool(reveal_reason)
    if full:
        reveal_many(
            actor=actor,
            union=union,
            people=memberships.order_by().values_list("person_id", "union__path"),
            field="ric",
            what=_("身份证号"),
            reason=reveal_reason,
        )
    fields = [_SOURCE[c.key] for c in COLUMNS]
    fields[fields.index("person__ric_encrypted")] = (
        "person__ric_encrypted" if full else "person__ric_masked"
    )
    keys = [c.key for c in COLUMNS]
    genders = {g.value: str(g.label) for g in Gender}

    def rows() -> Iterator[list[Any]]:
        query = memberships.order_by("person__name", "pk").values_list(
            *fields, "person__employer__name"
        )
        for values in query.iterator(5000):
            row = dict(zip(keys, values, strict=False))
            row["gender"] = genders.get(row["gender"], "")
            if full:
                row["ric"] = pii.decrypt(row["ric"])
            row["mobile"] = _mobile_local(row["mobile"])
            row["workplace"] = row["workplace"] or values[-1] or ""
            row["migrant"] = "是" if row["migrant"] else "否"
            row["skill_grade"] = GRADE_LABELS.get(row["skill_grade"], "")
            yield [row[k] for k in keys]

    return write_xlsx(str(_("会员花名册")), [c.header for c in COLUMNS], rows())
