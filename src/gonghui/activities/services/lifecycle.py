"""Activities: create, change, publish, close (the lottery), cancel, copy."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.editing import apply_edit, refuse_unknown_fields
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock_again
from gonghui.core.notify import notify_many
from gonghui.core.scope import Actor, require_write

from ..errors import ActivityError as E
from ..models import (
    PLACE_STATUSES,
    Activity,
    ActivityStatus,
    Allocation,
    Registration,
)

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


from ._common import ACTIVITY_EDITABLE, S, _check_fields, _lock, _now, _portal_link
from .registration import _promote_waitlisted

# --- activities ------------------------------------------------------------------------------


@transaction.atomic
def activity_create(*, actor: Actor, union: Union, **fields: Any) -> Activity:
    """A new activity of ``union``, as a draft: nobody sees it until it is published."""
    require_write(actor, union)
    refuse_unknown_fields(fields, ACTIVITY_EDITABLE)
    union = lock_again(union)  # a dissolution under way is waited for and seen
    if union.dissolved_on is not None:
        raise DomainError(E.BAD_STATE, _("该工会已撤销，不能举办活动。"), field="union")
    activity = Activity(union=union, **fields)
    if activity.ends_on is None and activity.starts_on is not None:
        activity.ends_on = activity.starts_on
    _check_fields(activity)
    activity.full_clean()
    activity.save()
    audit.record(actor=actor, obj=activity, action="activity.create", message=_("新建活动"))
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, **fields: Any) -> Activity:
    """Change an activity's details. The places cannot drop below those already taken, and
    the way places are allocated is fixed once people have registered. More places go to the
    waitlist first, in order."""
    require_write(actor, activity.union)
    refuse_unknown_fields(fields, ACTIVITY_EDITABLE)
    locked = _lock(activity)
    if locked.status == ActivityStatus.CANCELLED:
        raise DomainError(E.BAD_STATE, _("活动已取消，不能修改。"))
    capacity = fields.get("capacity", locked.capacity)
    if locked.taken and (capacity is None or capacity < locked.taken):
        raise DomainError(
            E.CAPACITY_BELOW_TAKEN,
            _("已有 %(n)s 人获得名额，名额不能少于 %(n)s。") % {"n": locked.taken},
            field="capacity",
        )
    has_entries = locked.registrations.exists()
    if has_entries and fields.get("allocation", locked.allocation) != locked.allocation:
        raise DomainError(E.BAD_STATE, _("已有人报名，不能改变名额分配方式。"), field="allocation")
    _check_fields(
        Activity(
            **{
                **{f.attname: getattr(locked, f.attname) for f in Activity._meta.concrete_fields},
                **fields,
            }
        )
    )
    updated = apply_edit(
        actor=actor, obj=locked, fields=fields, action="activity.update", message=_("修改活动")
    )
    if updated.allocation == Allocation.FIRST_COME or updated.lottery_drawn_at:
        _promote_waitlisted(actor, updated)
    return updated


@transaction.atomic
def activity_publish(*, actor: Actor, activity: Activity) -> Activity:
    """Make a draft visible in the portal (and open for registration within its window)."""
    require_write(actor, activity.union)
    locked = _lock(activity)
    if locked.status != ActivityStatus.DRAFT:
        raise DomainError(E.BAD_STATE, _("只有草稿状态的活动可以发布。"))
    locked.status = ActivityStatus.PUBLISHED
    locked.save(update_fields=["status"])
    audit.record(actor=actor, obj=locked, action="activity.publish", message=_("发布活动"))
    return locked


@transaction.atomic
def activity_close(*, actor: Actor, activity: Activity, seed: int | None = None) -> Activity:
    """Close registration. For a lottery, the draw is made now with ``seed`` (a random one if
    not given); the seed is kept and shown, so anyone can repeat the draw."""
    require_write(actor, activity.union)
    locked = _lock(activity)
    if locked.status != ActivityStatus.PUBLISHED:
        raise DomainError(E.BAD_STATE, _("只有已发布的活动可以截止报名。"))
    locked.status = ActivityStatus.CLOSED
    locked.save(update_fields=["status"])
    audit.record(actor=actor, obj=locked, action="activity.close", message=_("截止报名"))
    if locked.allocation == Allocation.LOTTERY:
        _draw(actor, locked, secrets.randbelow(2**31) if seed is None else seed)
    return locked


def lottery_order(priority: Sequence[int], others: Sequence[int], seed: int) -> list[int]:
    """The published draw: registrations (by number) of the priority group in a shuffled
    order, then the others shuffled, with Python's ``random.Random(seed)``. Pure, so anyone
    holding the list and the seed can repeat it."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible public draw, not a secret
    first, rest = sorted(priority), sorted(others)
    rng.shuffle(first)
    rng.shuffle(rest)
    return first + rest


def _draw(actor: Actor, activity: Activity, seed: int) -> None:
    entries = list(activity.registrations.filter(status=S.APPLIED).values_list("pk", "priority"))
    order = lottery_order([pk for pk, p in entries if p], [pk for pk, p in entries if not p], seed)
    capacity = activity.capacity or 0
    winners, waiting = order[:capacity], order[capacity:]
    for status, ids, offset in ((S.REGISTERED, winners, 0), (S.WAITLISTED, waiting, capacity)):
        rows = list(Registration.objects.filter(pk__in=ids))
        rank = {pk: offset + i + 1 for i, pk in enumerate(ids)}
        for r in rows:
            r.status, r.rank = status, rank[r.pk]
        Registration.objects.bulk_update(rows, ["status", "rank"], batch_size=1000)
    activity.taken, activity.waiting = len(winners), len(waiting)
    activity.lottery_seed, activity.lottery_drawn_at = seed, _now()
    activity.save(update_fields=["taken", "waiting", "lottery_seed", "lottery_drawn_at"])
    audit.record(
        actor=actor,
        obj=activity,
        action="activity.draw",
        message=_("抽签：%(n)s 人参加，%(w)s 人获得名额，种子 %(seed)s")
        % {"n": len(order), "w": len(winners), "seed": seed},
    )
    people = Registration.objects.filter(pk__in=order).select_related("person")
    notify_many(
        [
            (
                r.person,
                (
                    _("“%(t)s”抽签结果：您已获得名额。")
                    if r.status == S.REGISTERED
                    else _("“%(t)s”抽签结果：您在候补第 %(k)s 位。")
                )
                % {"t": activity.title, "k": (r.rank or 0) - capacity},
            )
            for r in people
        ],
        link=_portal_link(activity),
    )


@transaction.atomic
def activity_cancel(*, actor: Actor, activity: Activity, reason: str) -> Activity:
    """Cancel the activity: every active registration is cancelled and its person told."""
    require_write(actor, activity.union)
    if not reason.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写取消原因。"), field="reason")
    locked = _lock(activity)
    if locked.status == ActivityStatus.CANCELLED:
        raise DomainError(E.BAD_STATE, _("活动已取消。"))
    now = _now()
    active = list(
        locked.registrations.filter(status__in=(S.APPLIED, S.REGISTERED, S.WAITLISTED))
        .select_related("person")
        .order_by("pk")
    )
    Registration.objects.filter(pk__in=[r.pk for r in active]).update(
        status=S.CANCELLED, cancelled_at=now
    )
    locked.status = ActivityStatus.CANCELLED
    locked.cancelled_reason = reason.strip()
    locked.taken = locked.registrations.filter(status__in=PLACE_STATUSES).count()
    locked.waiting = 0
    locked.save(update_fields=["status", "cancelled_reason", "taken", "waiting"])
    audit.record(
        actor=actor,
        obj=locked,
        action="activity.cancel",
        message=_("取消活动（%(n)s 人的报名随之取消）：%(why)s")
        % {"n": len(active), "why": locked.cancelled_reason},
    )
    text = _("很抱歉，“%(t)s”已取消：%(why)s") % {"t": locked.title, "why": locked.cancelled_reason}
    notify_many([(r.person, text) for r in active], link=_portal_link(locked))
    return locked


@transaction.atomic
def activity_copy(
    *, actor: Actor, activity: Activity, starts_on: dt.date | None = None
) -> Activity:
    """A draft copy of ``activity`` (last year's, typically), moved to ``starts_on`` (default:
    the same day a year later) with its registration window moved by the same number of days."""
    require_write(actor, activity.union)
    if starts_on is None:
        try:
            starts_on = activity.starts_on.replace(year=activity.starts_on.year + 1)
        except ValueError:  # 29 February
            starts_on = activity.starts_on + dt.timedelta(days=365)
    shift = starts_on - activity.starts_on
    fields = {name: getattr(activity, name) for name in ACTIVITY_EDITABLE}
    fields["starts_on"] = starts_on
    fields["ends_on"] = activity.ends_on + shift
    for name in ("opens_at", "closes_at"):
        if fields[name] is not None:
            fields[name] = fields[name] + shift
    copy = Activity(union=activity.union, copied_from=activity, **fields)
    copy.full_clean()
    copy.save()
    audit.record(
        actor=actor,
        obj=copy,
        action="activity.copy",
        message=_("复制自“%(t)s”（%(d)s）") % {"t": activity.title, "d": activity.starts_on},
    )
    return copy
