"""Registrations: who may register, the place or the waitlist, cancelling and moving.

Places are scarce: every change of ``Activity.taken``/``waiting`` happens inside one
transaction that holds the activity row lock (``select_for_update``), so two registrations
for the last place are serialized and the second one is waitlisted. The database refuses
``taken > capacity`` and a second active registration of the same person (and child) as a
backstop. Work that needs no lock (eligibility, permissions) is done before taking it, to keep
the lock to a few statements.
"""

from __future__ import annotations

import copy
import datetime as dt
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import CoreError, DomainError, violated_constraint
from gonghui.core.locks import lock, lock_matching
from gonghui.core.notify import notify
from gonghui.core.scope import Actor, require_write, user_scope

from ..errors import ActivityError as E
from ..models import (
    ACTIVE_STATUSES,
    PLACE_STATUSES,
    WAITING_ORDER,
    Activity,
    ActivityStatus,
    Allocation,
    Registration,
)

if TYPE_CHECKING:
    from gonghui.membership.models import Person


from ._common import S, _lock, _now, _portal_link, _today

# --- registration ----------------------------------------------------------------------------


def _open_membership(person: Person) -> bool:
    return person.memberships.filter(ended_on__isnull=True).exists()


def on_hardship_file(person: Person, on: dt.date) -> bool:
    """Whether the person's family is on the hardship file on ``on``: the assistance domain
    answers through its documented selector; without that domain installed nobody is."""
    if not apps.is_installed("gonghui.assistance"):
        return False
    from gonghui.assistance.selectors import person_on_hardship_file

    return bool(person_on_hardship_file(person=person, on=on))


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def eligibility_problem(
    activity: Activity, person: Person, *, child_birth_date: dt.date | None = None
) -> str | None:
    """Why ``person`` (or the child) may not take part, in Chinese; None when they may."""
    union_path = person.union.path if person.union_id else ""
    if not union_path.startswith(activity.union.path):
        return str(_("该活动只面向%s范围内的职工。") % activity.union.name)
    if activity.women_only and person.gender != "F":
        return str(_("该活动仅限女职工参加。"))
    if activity.migrants_only and not person.migrant:
        return str(_("该活动仅限外来务工人员参加。"))
    if activity.members_only and not _open_membership(person):
        return str(_("该活动仅限工会会员参加。"))
    if activity.hardship_only and not on_hardship_file(person, activity.starts_on):
        return str(_("该活动仅限建档困难职工家庭参加。"))
    if activity.for_children:
        if child_birth_date is None:
            return str(_("请填写子女姓名和出生日期。"))
        age = _age_on(child_birth_date, activity.starts_on)
        low, high = activity.child_min_age or 0, activity.child_max_age or 200
        if not low <= age <= high:
            return str(
                _("活动面向 %(a)s—%(b)s 岁的子女，您的子女届时 %(c)s 岁。")
                % {"a": low, "b": high, "c": age}
            )
    return None


def _may_act_for(actor: Actor, person: Person, activity: Activity) -> None:
    """A worker acts for themself; a cadre who may change the activity acts for anyone."""
    if getattr(actor, "person_id", None) == person.pk:
        return
    if user_scope(actor).covers(activity.union.path, mode="write"):
        return
    raise DomainError(CoreError.NOT_FOUND, _("找不到该活动，或不在您的管辖范围内。"))


def registration_open(activity: Activity, now: dt.datetime | None = None) -> bool:
    """Whether the activity takes registrations at ``now``: published, in its window, and
    (without an explicit window) before its first day."""
    now = now or _now()
    if activity.status != ActivityStatus.PUBLISHED or activity.capacity is None:
        return False
    if activity.opens_at and now < activity.opens_at:
        return False
    if activity.closes_at:
        return now < activity.closes_at
    return timezone.localdate(now) < activity.starts_on


def registration_create(
    *,
    actor: Actor,
    activity: Activity,
    person: Person,
    child_name: str = "",
    child_birth_date: dt.date | None = None,
) -> Registration:
    """Register ``person`` (or their child) for ``activity`` and return the registration.

    First come, first served: a place while places are left, else the waitlist. For a
    lottery the entry waits for the draw (``applied``). Never overbooks and never registers
    the same person (and child) twice, under any concurrency: whether the activity is open
    and whether a place is left are decided under the activity's row lock, and the partial
    unique index ``registration_once_per_person`` refuses a second active registration.
    """
    _may_act_for(actor, person, activity)
    child_name = child_name.strip()
    if activity.for_children and not child_name:
        raise DomainError(E.CHILD_REQUIRED, _("请填写子女姓名。"), field="child_name")
    if not activity.for_children:
        child_name, child_birth_date = "", None
    problem = eligibility_problem(activity, person, child_birth_date=child_birth_date)
    if problem:
        raise DomainError(E.NOT_ELIGIBLE, problem)
    priority = activity.hardship_priority and on_hardship_file(person, activity.starts_on)
    registration = Registration(
        activity=activity,
        person=person,
        child_name=child_name,
        child_birth_date=child_birth_date,
        priority=priority,
        created_at=_now(),
    )
    try:
        register = REGISTER_BY_VENDOR.get(transaction.get_connection().vendor, _register_in_steps)
        register(actor, registration)
    except IntegrityError as err:
        if _is_duplicate(err, registration):
            raise DomainError(E.DUPLICATE, _("您已报名该活动，不能重复报名。")) from err
        raise
    return registration


def _is_duplicate(err: IntegrityError, registration: Registration) -> bool:
    """Whether the insert was refused by ``registration_once_per_person``: by the name the
    database gives, or (a database that names only columns) by the active registration that
    is there."""
    name = violated_constraint(err)
    if name is not None:
        return name == "registration_once_per_person"
    return Registration.objects.filter(
        activity_id=registration.activity_id,
        person_id=registration.person_id,
        child_name=registration.child_name,
        status__in=ACTIVE_STATUSES,
    ).exists()


# A rush of registrations passes one by one through the activity's row lock, and building
# the statements with the ORM would cost several milliseconds of Python each time. So on
# PostgreSQL the locked part is one SQL statement (lock, insert, counters, audit entry: one
# round trip, committed by itself unless the caller holds a transaction; decision 0012).
# ``_register_in_steps`` is the same decision in plain ORM code: the executable reference the
# statement is tested against (tests/activities/test_registration_paths.py), and the path of
# every other database (SQLite for the demo). Whatever can be decided before the lock (scope,
# eligibility, priority) is.


def _register_in_steps(actor: Actor, registration: Registration) -> None:
    """Lock the activity, decide the registration's status under the lock, insert it, move
    the activity's counter and record the audit entry, in one transaction."""
    with transaction.atomic():
        union = registration.activity.union
        locked = lock(registration.activity)
        locked.union = union  # the caller's, already read: the audit entry needs its path
        if not registration_open(locked, registration.created_at):
            raise DomainError(E.NOT_OPEN, _("该活动当前不在报名时间内。"))
        if locked.allocation == Allocation.LOTTERY:
            registration.status = S.APPLIED
        elif locked.taken < (locked.capacity or 0):
            registration.status = S.REGISTERED
        else:
            registration.status = S.WAITLISTED
        registration.activity = locked
        registration.save(force_insert=True)
        taken = int(registration.status == S.REGISTERED)
        waiting = int(registration.status == S.WAITLISTED)
        if taken or waiting:
            Activity.objects.filter(pk=locked.pk).update(
                taken=F("taken") + taken, waiting=F("waiting") + waiting
            )
            locked.taken += taken
            locked.waiting += waiting
        audit.record(
            actor=actor,
            obj=registration,
            action="registration.create",
            message=_("报名（%s）") % S(registration.status).label,
        )


# ``registration_open`` in SQL (tests/activities check that the two agree), then the status
# as ``_register_in_steps`` decides it.
_ONE_STATEMENT_SQL = """
WITH activity AS (
    SELECT "id", "capacity", "taken", "waiting", "allocation" FROM "activities_activity"
    WHERE "id" = %(activity)s AND "status" = 'published' AND "capacity" IS NOT NULL
      AND ("opens_at" IS NULL OR "opens_at" <= %(now)s)
      AND CASE WHEN "closes_at" IS NOT NULL THEN %(now)s < "closes_at"
               ELSE %(today)s < "starts_on" END
    FOR UPDATE
), registration AS (
    INSERT INTO "activities_registration"
        ("activity_id", "person_id", "child_name", "child_birth_date", "status", "priority",
         "created_at")
    SELECT "id", %(person)s, %(child_name)s, %(child_birth_date)s,
           CASE WHEN "allocation" = 'lottery' THEN 'applied'
                WHEN "taken" < "capacity" THEN 'registered'
                ELSE 'waitlisted' END,
           %(priority)s, %(now)s
    FROM activity
    RETURNING "id", "status"
), counters AS (
    UPDATE "activities_activity"
    SET "taken" = "taken" + ("registration"."status" = 'registered')::int,
        "waiting" = "waiting" + ("registration"."status" = 'waitlisted')::int
    FROM registration
    WHERE "activities_activity"."id" = %(activity)s AND "registration"."status" <> 'applied'
), entry AS (
    INSERT INTO "core_auditentry" ("at", "actor_id", "action", "content_type_id", "object_id",
                                   "object_repr", "union_path", "message", "changes")
    SELECT %(now)s, %(actor_id)s, %(action)s, %(content_type_id)s, "registration"."id"::text,
           %(object_repr)s, %(union_path)s,
           CASE "registration"."status" WHEN 'registered' THEN %(registered)s
                WHEN 'waitlisted' THEN %(waitlisted)s ELSE %(applied)s END,
           '{}'::jsonb
    FROM registration
)
SELECT "registration"."id", "registration"."status", "activity"."taken", "activity"."waiting"
FROM registration, activity
"""


def _audit_values(actor: Actor, registration: Registration, *, message: Any) -> dict[str, Any]:
    """The audit entry of a new registration, as ``audit.record`` would make it."""
    return audit.entry_values(
        actor=actor,
        model=Registration,
        object_repr=str(registration),
        union_path=registration.activity.union.path,
        action="registration.create",
        message=message,
    )


def _register_in_one_statement(actor: Actor, registration: Registration) -> None:
    connection = transaction.get_connection()
    activity = registration.activity
    now = registration.created_at
    params = _audit_values(actor, registration, message="")
    del params["changes"], params["message"]
    for status in (S.REGISTERED, S.WAITLISTED, S.APPLIED):
        params[status] = audit.text(_("报名（%s）") % S(status).label)
    params.update(
        activity=activity.pk,
        person=registration.person_id,
        child_name=registration.child_name,
        child_birth_date=registration.child_birth_date,
        priority=registration.priority,
        now=now,
        today=timezone.localdate(now),
    )
    # Alone, the statement is its own transaction; inside the caller's, a savepoint keeps
    # a refused insert (a duplicate) from spoiling it.
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(_ONE_STATEMENT_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise DomainError(E.NOT_OPEN, _("该活动当前不在报名时间内。"))
    registration.pk, registration.status, taken, waiting = row
    # The activity as the registration left it (as the steps path returns it).
    registration.activity = copy.copy(registration.activity)
    registration.activity.taken = taken + (registration.status == S.REGISTERED)
    registration.activity.waiting = waiting + (registration.status == S.WAITLISTED)
    registration._state.adding = False
    registration._state.db = connection.alias


REGISTER_BY_VENDOR = {"postgresql": _register_in_one_statement}


def _promote_waitlisted(
    actor: Actor, activity: Activity, *, besides: Registration | None = None
) -> list[Registration]:
    """Give free places to the waitlist in order (``WAITING_ORDER``), passing over
    ``besides`` (the registration a cadre has just moved to the waitlist). The caller holds
    the activity lock."""
    free = (activity.capacity or 0) - activity.taken
    if free <= 0 or activity.status == ActivityStatus.CANCELLED:
        return []
    waiting = Registration.objects.filter(activity=activity, status=S.WAITLISTED)
    if besides is not None:
        waiting = waiting.exclude(pk=besides.pk)
    lock_matching(waiting)
    nexts = list(waiting.select_related("person").order_by(*WAITING_ORDER)[:free])
    for r in nexts:
        r.status = S.REGISTERED
        r.save(update_fields=["status"])
        audit.record(
            actor=actor, obj=r, action="registration.promote", message=_("候补递补获得名额")
        )
        notify(
            r.person,
            _("好消息：您已由候补递补获得“%s”的名额。") % activity.title,
            link=_portal_link(activity),
        )
    if nexts:
        Activity.objects.filter(pk=activity.pk).update(
            taken=F("taken") + len(nexts), waiting=F("waiting") - len(nexts)
        )
        activity.refresh_from_db(fields=["taken", "waiting"])
    return nexts


def _release(registration: Registration, activity: Activity) -> None:
    """Update the counters for a registration leaving its current status."""
    if registration.status in PLACE_STATUSES:
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") - 1)
    elif registration.status == S.WAITLISTED:
        Activity.objects.filter(pk=activity.pk).update(waiting=F("waiting") - 1)
    activity.refresh_from_db(fields=["taken", "waiting"])


@transaction.atomic
def registration_cancel(
    *, actor: Actor, registration: Registration, reason: str = ""
) -> Registration:
    """Cancel a registration (by the worker, before the activity starts, or by a cadre). A
    place it held goes to the first on the waitlist, who is told."""
    activity = registration.activity
    _may_act_for(actor, registration.person, activity)
    is_self = getattr(actor, "person_id", None) == registration.person_id
    locked = _lock(activity)
    reg = lock(registration)
    if reg.status not in (S.APPLIED, S.REGISTERED, S.WAITLISTED):
        raise DomainError(E.BAD_STATE, _("该报名当前为“%s”，不能取消。") % reg.get_status_display())
    if is_self and _today() >= locked.starts_on:
        raise DomainError(E.BAD_STATE, _("活动已开始，不能在线取消，请联系主办工会。"))
    _release(reg, locked)
    reg.status, reg.cancelled_at = S.CANCELLED, _now()
    reg.save(update_fields=["status", "cancelled_at"])
    audit.record(
        actor=actor,
        obj=reg,
        action="registration.cancel",
        message=_("取消报名") + (f"：{reason.strip()}" if reason.strip() else ""),
    )
    if locked.allocation == Allocation.FIRST_COME or locked.lottery_drawn_at:
        _promote_waitlisted(actor, locked)
    return reg


def _queue(activity: Activity, registration: Registration, position: int | None) -> int:
    """Put ``registration`` on the activity's waitlist at ``position`` (1 is first; None or
    past the end is last) and return the position it got.

    The queue is made explicit: every waiting registration gets a ``rank`` in the new order,
    numbered after the ranks already used by the activity's other registrations (the draw's),
    so ``WAITING_ORDER`` (rank first) keeps it whatever the priorities. The caller holds the
    activity lock."""
    waiting = Registration.objects.filter(activity=activity, status=S.WAITLISTED).exclude(
        pk=registration.pk
    )
    lock_matching(waiting)
    others = list(waiting.order_by(*WAITING_ORDER))
    at = len(others) if position is None else min(position - 1, len(others))
    queue = [*others[:at], registration, *others[at:]]
    used = (
        Registration.objects.filter(activity=activity)
        .exclude(status=S.WAITLISTED)
        .exclude(pk=registration.pk)
        .aggregate(m=Max("rank"))["m"]
        or 0
    )
    changed = []
    for rank, r in enumerate(queue, start=used + 1):
        if r.rank != rank:
            r.rank = rank
            changed.append(r)
    # ``registration`` itself is saved by the caller.
    Registration.objects.bulk_update([r for r in changed if r is not registration], ["rank"])
    return at + 1


@transaction.atomic
def registration_change(
    *,
    actor: Actor,
    registration: Registration,
    to_status: str,
    reason: str,
    position: int | None = None,
) -> Registration:
    """A cadre's manual change of someone's place (give a waitlisted person a free place, move
    someone to the waitlist, withdraw a place), always with the reason, kept in the history.

    Moved to the waitlist, the registration goes behind everyone already waiting, or at
    ``position`` (1 is first, on the waitlist as it stands after the change) when the cadre
    chooses one; the audit entry records the position. A place it frees goes to the first of
    those already waiting, never back to it in the same change, and its person is told
    once."""
    activity = registration.activity
    require_write(actor, activity.union)
    if not reason.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写调整原因。"), field="reason")
    if to_status not in (S.REGISTERED, S.WAITLISTED, S.CANCELLED):
        raise DomainError(E.BAD_STATE, _("只能调整为已报名、候补或已取消。"), field="to_status")
    if position is not None and to_status != S.WAITLISTED:
        raise DomainError(E.BAD_STATE, _("只有调整为候补时才能指定候补位置。"), field="position")
    if position is not None and position < 1:
        raise DomainError(E.BAD_STATE, _("候补位置须为正整数。"), field="position")
    locked = _lock(activity)
    reg = lock(registration)
    if reg.status == to_status:
        raise DomainError(E.BAD_STATE, _("该报名已是“%s”。") % reg.get_status_display())
    if reg.status not in (S.APPLIED, S.REGISTERED, S.WAITLISTED):
        raise DomainError(E.BAD_STATE, _("该报名当前为“%s”，不能调整。") % reg.get_status_display())
    if to_status == S.REGISTERED and locked.taken >= (locked.capacity or 0):
        raise DomainError(E.FULL, _("名额已满；如需增加请先修改活动名额。"), field="to_status")
    before = reg.get_status_display()
    _release(reg, locked)
    reg.status = to_status
    if to_status == S.CANCELLED:
        reg.cancelled_at = _now()
    reg.save(update_fields=["status", "cancelled_at"])
    if to_status == S.REGISTERED:
        Activity.objects.filter(pk=locked.pk).update(taken=F("taken") + 1)
    elif to_status == S.WAITLISTED:
        Activity.objects.filter(pk=locked.pk).update(waiting=F("waiting") + 1)
    locked.refresh_from_db(fields=["taken", "waiting"])
    if to_status != S.REGISTERED and (
        locked.allocation == Allocation.FIRST_COME or locked.lottery_drawn_at
    ):
        _promote_waitlisted(actor, locked, besides=reg)
    after = reg.get_status_display()
    if to_status == S.WAITLISTED:
        # Queued once the freed place has gone to those already waiting, so the position is
        # the one the cadre sees on the waitlist afterwards.
        after = _("候补（第 %(k)s 位）") % {"k": _queue(locked, reg, position)}
        reg.save(update_fields=["rank"])
    audit.record(
        actor=actor,
        obj=reg,
        action="registration.change",
        message=_("人工调整：%(a)s → %(b)s，原因：%(why)s")
        % {"a": before, "b": after, "why": reason.strip()},
    )
    notify(
        reg.person,
        _("您在“%(t)s”的报名已调整为“%(s)s”。") % {"t": locked.title, "s": after},
        link=_portal_link(locked),
    )
    return reg
