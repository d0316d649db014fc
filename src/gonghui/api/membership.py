"""The caller's own record: a worker's membership, as the portal shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gonghui.core.errors import CoreError, DomainError
from gonghui.membership.selectors import own_memberships

from .common import NOT_FOUND

router = Router(tags=["me"])


class MembershipOut(Schema):
    union_id: int
    union_name: str
    started_on: dt.date
    start_reason: str
    ended_on: dt.date | None
    end_reason: str


class MeOut(Schema):
    name: str
    ric_masked: str
    mobile_masked: str
    memberships: list[MembershipOut]


@router.get("", response={200: MeOut, **NOT_FOUND})
def me(request: HttpRequest) -> Any:
    """The signed-in worker's own person record (masked) and membership history."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise DomainError(CoreError.NOT_FOUND, "该账号没有关联人员档案。")
    return {
        "name": person.name,
        "ric_masked": person.ric_masked,
        "mobile_masked": person.mobile_masked,
        "memberships": [
            {
                "union_id": m.union_id,
                "union_name": m.union.name,
                "started_on": m.started_on,
                "start_reason": m.start_reason,
                "ended_on": m.ended_on,
                "end_reason": m.end_reason,
            }
            for m in own_memberships(person=person)
        ],
    }
