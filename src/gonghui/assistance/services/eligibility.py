"""Who may receive aid under a programme: its rules (women only, members only, families on
the hardship file, heads of household) checked against the programme's year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.membership.models import Gender, Person

from ..errors import AssistanceError as E
from ..models import HardshipFile, Programme, RecipientKind


def _member_in_year(person: Person, year: int) -> bool:
    return person.memberships.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(year, 1, 1)),
        started_on__lte=dt.date(year, 12, 31),
    ).exists()


def _file_in_year(qs: Any, year: int) -> Any:
    return qs.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=dt.date(year, 1, 1)),
        filed_on__lte=dt.date(year, 12, 31),
    )


def _check_eligible(
    programme: Programme, person: Person, family: HardshipFile | None
) -> HardshipFile | None:
    year = programme.year
    if programme.women_only and person.gender != Gender.FEMALE:
        raise DomainError(E.NOT_ELIGIBLE, _("本项目仅限女职工。"), field="person")
    if programme.requires_member and not _member_in_year(person, year):
        raise DomainError(
            E.NOT_ELIGIBLE,
            _("“%s”在项目年度不是工会会员，不符合申领条件。") % person.name,
            field="person",
        )
    if family is None and (
        programme.requires_hardship_file or programme.recipient_kind == RecipientKind.HOUSEHOLD
    ):
        family = _file_in_year(HardshipFile.objects.filter(head=person), year).first()
    if family is not None:
        if family.head_id != person.pk and programme.recipient_kind == RecipientKind.HOUSEHOLD:
            raise DomainError(E.NOT_ELIGIBLE, _("按户发放时受助人须为户主。"), field="person")
        if not _file_in_year(HardshipFile.objects.filter(pk=family.pk), year).exists():
            raise DomainError(
                E.NOT_ON_FILE, _("该家庭在项目年度不在困难职工档案中。"), field="family"
            )
    if programme.requires_hardship_file and family is None:
        raise DomainError(
            E.NOT_ELIGIBLE,
            _("本项目限建档困难职工家庭，“%s”家庭不在档。") % person.name,
            field="person",
        )
    return family
