"""Roster export: the same columns the importer reads, so export, edit, re-import round-trips."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, pii
from gonghui.core.export import xlsx_bytes
from gonghui.core.scope import can_reveal

from .models import Membership
from .roster import COLUMNS, GRADE_LABELS


def _mobile_local(e164: str) -> str:
    return e164[3:] if e164.startswith("+86") else e164


def roster_xlsx(*, actor: Any, memberships: QuerySet[Membership], union: Any) -> bytes:
    """The memberships as a roster workbook, in the importer's columns.

    The full ID number is written only for a user allowed to reveal ID numbers in ``union``'s
    subtree (the export is then recorded in the audit trail); otherwise the masked form, which
    the importer refuses, so a masked export cannot be re-imported by mistake.
    """
    full = can_reveal(actor, union.path)
    rows = memberships.select_related("person").order_by("person__name", "pk")
    getters: dict[str, Any] = {
        "name": lambda m: m.person.name,
        "gender": lambda m: m.person.get_gender_display(),
        "ric": (lambda m: pii.decrypt(m.person.ric_encrypted))
        if full
        else (lambda m: m.person.ric_masked),
        "birth_date": lambda m: m.person.birth_date,
        "ethnicity": lambda m: m.person.ethnicity,
        "political_status": lambda m: m.person.political_status,
        "education": lambda m: m.person.education,
        "mobile": lambda m: _mobile_local(m.person.mobile),
        "workplace": lambda m: (
            m.person.workplace or (m.person.employer.name if m.person.employer_id else "")
        ),
        "job_title": lambda m: m.person.job_title,
        "joined_on": lambda m: m.started_on,
        "hukou": lambda m: m.person.hukou,
        "migrant": lambda m: "是" if m.person.migrant else "否",
        "skill_grade": lambda m: GRADE_LABELS.get(m.person.skill_grade, ""),
        "note": lambda m: m.note,
    }
    if any(c.key == "workplace" for c in COLUMNS):
        rows = rows.select_related("person__employer")
    columns = [(c.header, getters[c.key]) for c in COLUMNS]
    content = xlsx_bytes(str(_("会员花名册")), columns, rows.iterator(5000))
    if full:
        with transaction.atomic():
            audit.record(
                actor=actor,
                obj=union,
                action="roster.export",
                message=_("导出花名册（含完整身份证号）%d 人") % rows.count(),
            )
    return content
