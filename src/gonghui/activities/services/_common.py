"""What the activity services share: the editable fields, the clock, field checks, the
activity row lock and the portal link."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.locks import lock

from ..errors import ActivityError as E
from ..models import (
    Activity,
    Allocation,
    RegistrationStatus,
)

if TYPE_CHECKING:
    pass

S = RegistrationStatus

ACTIVITY_EDITABLE = {
    "kind",
    "series",
    "title",
    "description",
    "place",
    "starts_on",
    "start_time",
    "ends_on",
    "capacity",
    "allocation",
    "opens_at",
    "closes_at",
    "members_only",
    "migrants_only",
    "women_only",
    "hardship_only",
    "hardship_priority",
    "child_min_age",
    "child_max_age",
    "jobs_offered",
}


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _check_fields(activity: Activity) -> None:
    """The rules between fields, named by the field to correct (the database checks them too,
    but its message cannot say where)."""
    a = activity
    if a.starts_on and a.ends_on and a.ends_on < a.starts_on:
        raise DomainError(E.BAD_DATES, _("结束日期不能早于开始日期。"), field="ends_on")
    if a.opens_at and a.closes_at and a.closes_at <= a.opens_at:
        raise DomainError(E.BAD_DATES, _("报名截止时间须晚于报名开始时间。"), field="closes_at")
    if a.allocation == Allocation.LOTTERY and a.capacity is None:
        raise DomainError(E.BAD_STATE, _("抽签分配须设定名额。"), field="capacity")
    if (
        a.child_min_age is not None
        and a.child_max_age is not None
        and a.child_max_age < a.child_min_age
    ):
        raise DomainError(E.BAD_STATE, _("子女最大年龄不能小于最小年龄。"), field="child_max_age")


def _lock(activity: Activity) -> Activity:
    return lock(activity)


def _portal_link(activity: Activity) -> str:
    return f"/activities/{activity.pk}/"
