"""Activities over the API: what a worker's mini-program does in the portal (browse, register,
cancel, show the membership card) and what a cadre does at the door (the list, check-in).

Reads go through ``gonghui.activities.selectors`` and writes through its services, so places,
the waitlist and scope behave exactly as in the portal and the back office. A worker acts on
their own person only; an activity outside a cadre's scope is "not found", as is someone else's
registration.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Body, Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, field_validator

from gonghui.activities import selectors, services
from gonghui.activities.models import ACTIVE_STATUSES, Activity, Registration
from gonghui.core.errors import CoreError, DomainError
from gonghui.membership.cards import card_token

from .common import LIST_LIMIT, NOT_FOUND, REFUSED, BoundedPagination, refuse_body_not_json

router = Router(tags=["activities"])
me_router = Router(tags=["me"])
registrations_router = Router(tags=["activities"])


# --- schemas -----------------------------------------------------------------------------------


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL cannot store NUL characters; refuse them as invalid input, not a server error.
    if value is not None and "\x00" in value:
        raise ValueError(str(_("不能包含空字符。")))
    return value


class RegistrationOut(Schema):
    """One of the worker's own registrations."""

    id: int
    activity_id: int
    activity_title: str
    activity_starts_on: dt.date
    child_name: str
    child_birth_date: dt.date | None
    status: str
    status_label: str
    waitlist_position: int | None = Field(description="候补第几位（仅候补状态）")
    created_at: dt.datetime
    cancelled_at: dt.datetime | None
    attended_at: dt.datetime | None


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    place: str
    union_id: int
    union_name: str
    starts_on: dt.date
    start_time: dt.time | None
    ends_on: dt.date
    status: str
    takes_registrations: bool
    capacity: int | None
    places_left: int | None
    waiting: int
    allocation: str
    allocation_label: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    registration_open: bool = Field(description="现在是否可以报名")
    members_only: bool
    migrants_only: bool
    women_only: bool
    hardship_only: bool
    for_children: bool
    child_min_age: int | None
    child_max_age: int | None
    my_registrations: list[RegistrationOut] = Field(description="本人在该活动的有效报名")


class ActivityDetailOut(ActivityOut):
    problem: str | None = Field(description="本人不能报名的原因（子女活动按子女年龄另行判断）")


class RegistrationIn(Schema):
    """For a children's activity, the child; otherwise nothing (an empty or absent body).
    A JSON object with these fields only: anything else is a 422."""

    model_config = ConfigDict(extra="forbid")  # also makes ninja validate the raw body

    child_name: str = Field("", max_length=50)
    child_birth_date: dt.date | None = None

    @field_validator("child_name")
    @classmethod
    def _no_nul_name(cls, value: str) -> str:
        return _no_nul(value) or ""


class CardOut(Schema):
    token: str = Field(description="电子会员证二维码的内容，由小程序自行生成二维码")


class CardCheckinIn(Schema):
    """Check in by the membership card a cadre scanned."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=1000, description="会员证二维码的内容")

    @field_validator("token")
    @classmethod
    def _no_nul_token(cls, value: str) -> str:
        return _no_nul(value) or ""


class ListCheckinIn(Schema):
    """Check in one registration chosen from the door list."""

    model_config = ConfigDict(extra="forbid")

    registration_id: int


class DoorRegistrationOut(Schema):
    """A registration on the door list: the name to call out, never an ID number or mobile."""

    id: int
    person_name: str
    child_name: str
    status: str
    status_label: str
    priority: bool
    created_at: dt.datetime
    attended_at: dt.datetime | None

    @staticmethod
    def resolve_person_name(obj: Registration) -> str:
        return obj.person.name

    @staticmethod
    def resolve_status_label(obj: Registration) -> str:
        return str(obj.get_status_display())


# --- building responses ------------------------------------------------------------------------


def _person(request: HttpRequest) -> Any:
    person = getattr(request.user, "person", None)
    if person is None:
        raise DomainError(CoreError.NOT_FOUND, _("该账号没有关联人员档案。"))
    return person


def _registration(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "activity_id": r.activity_id,
        "activity_title": r.activity.title,
        "activity_starts_on": r.activity.starts_on,
        "child_name": r.child_name,
        "child_birth_date": r.child_birth_date,
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "waitlist_position": selectors.waitlist_position(r),
        "created_at": r.created_at,
        "cancelled_at": r.cancelled_at,
        "attended_at": r.attended_at,
    }


def _activity(a: Activity, mine: list[Registration], now: dt.datetime) -> dict[str, Any]:
    for r in mine:
        r.activity = a  # spare a query per registration: it is this activity
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "title": a.title,
        "description": a.description,
        "place": a.place,
        "union_id": a.union_id,
        "union_name": a.union.name,
        "starts_on": a.starts_on,
        "start_time": a.start_time,
        "ends_on": a.ends_on,
        "status": a.status,
        "takes_registrations": a.takes_registrations,
        "capacity": a.capacity,
        "places_left": a.places_left,
        "waiting": a.waiting,
        "allocation": a.allocation,
        "allocation_label": str(a.get_allocation_display()),
        "opens_at": a.opens_at,
        "closes_at": a.closes_at,
        "registration_open": services.registration_open(a, now),
        "members_only": a.members_only,
        "migrants_only": a.migrants_only,
        "women_only": a.women_only,
        "hardship_only": a.hardship_only,
        "for_children": a.for_children,
        "child_min_age": a.child_min_age,
        "child_max_age": a.child_max_age,
        "my_registrations": [_registration(r) for r in mine],
    }


# --- the worker: activities open to me ---------------------------------------------------------


@router.get("", response={200: list[ActivityOut], **NOT_FOUND})
def list_activities(request: HttpRequest) -> Any:
    """Activities open to the signed-in worker (the first 100, soonest first), each with the
    worker's own active registrations and whether registration is open now."""
    person = _person(request)
    activities = list(selectors.activities_open_to(person=person)[:LIST_LIMIT])
    mine = selectors.active_registrations(person=person)
    now = timezone.now()
    return [_activity(a, mine.get(a.pk, []), now) for a in activities]


@router.get("/{activity_id}", response={200: ActivityDetailOut, **NOT_FOUND})
def get_activity(request: HttpRequest, activity_id: int) -> Any:
    """One activity the worker may see (open to them, or one they registered for)."""
    person = _person(request)
    activity = selectors.portal_activity_get(person=person, id=activity_id)
    mine = [
        r
        for r in selectors.own_registrations(person=person, activity=activity)
        if r.status in ACTIVE_STATUSES
    ]
    body = _activity(activity, mine, timezone.now())
    body["problem"] = (
        None if activity.for_children else services.eligibility_problem(activity, person)
    )
    return body


@router.post("/{activity_id}/registrations", response={201: RegistrationOut, **REFUSED})
def register(
    request: HttpRequest,
    activity_id: int,
    # Optional, but an object when given: ``RegistrationIn | None`` would let ``null`` in.
    payload: RegistrationIn = Body(None),  # noqa: B008 - ninja's way to declare the body
) -> Any:
    """Register the signed-in worker (or, for a children's activity, their child): a place,
    the waitlist, or an entry to the draw. The body is optional (none, or a JSON object);
    any other body is a 422. Refusals (not open, not eligible, already registered) are 400
    with a stable ``code``."""
    refuse_body_not_json(request)
    person = _person(request)
    activity = selectors.portal_activity_get(person=person, id=activity_id)
    child = payload or RegistrationIn(child_name="", child_birth_date=None)
    registration = services.registration_create(
        actor=request.user,
        activity=activity,
        person=person,
        child_name=child.child_name,
        child_birth_date=child.child_birth_date,
    )
    return Status(201, _registration(registration))


@me_router.get("/registrations", response={200: list[RegistrationOut], **NOT_FOUND})
def my_registrations(request: HttpRequest) -> Any:
    """The worker's registrations (the latest 100), including cancelled ones."""
    person = _person(request)
    return [_registration(r) for r in selectors.own_registrations(person=person)[:LIST_LIMIT]]


@me_router.get("/card", response={200: CardOut, **NOT_FOUND})
def my_card(request: HttpRequest) -> Any:
    """The worker's membership card token; the mini-program renders it as a QR code."""
    return {"token": card_token(_person(request))}


@registrations_router.post("/{registration_id}/cancel", response={200: RegistrationOut, **REFUSED})
def cancel_registration(request: HttpRequest, registration_id: int) -> Any:
    """Cancel one of the worker's own registrations (before the activity starts)."""
    person = _person(request)
    registration = selectors.own_registration_get(person=person, id=registration_id)
    return _registration(
        services.registration_cancel(actor=request.user, registration=registration)
    )


# --- the cadre at the door ---------------------------------------------------------------------


@router.get("/{activity_id}/registrations", response={200: list[DoorRegistrationOut], **NOT_FOUND})
@paginate(BoundedPagination)
def door_list(request: HttpRequest, activity_id: int) -> Any:
    """The door list of an activity in the cadre's scope: everyone registered, in the order
    places are given."""
    activity = selectors.activity_get(actor=request.user, id=activity_id)
    return selectors.registration_list(actor=request.user, activity=activity)


@router.post("/{activity_id}/checkins", response={200: list[DoorRegistrationOut], **REFUSED})
def checkin(request: HttpRequest, activity_id: int, payload: CardCheckinIn | ListCheckinIn) -> Any:
    """Check in by a scanned membership card (everyone the card holds a place for, e.g. each
    registered child) or by one registration from the door list. A second scan is refused
    with ``already_checked_in``."""
    refuse_body_not_json(request)
    activity = selectors.activity_get(actor=request.user, id=activity_id)
    if isinstance(payload, CardCheckinIn):
        return services.checkin_by_card(actor=request.user, activity=activity, token=payload.token)
    try:
        registration = selectors.registration_list(actor=request.user, activity=activity).get(
            pk=payload.registration_id
        )
    except Registration.DoesNotExist:
        raise DomainError(CoreError.NOT_FOUND, _("找不到该报名记录。")) from None
    return [services.checkin(actor=request.user, registration=registration)]
