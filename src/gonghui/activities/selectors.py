"""Every read of activities and registrations: scoped to the actor (back office) or to the
worker's own person (portal)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import sql
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.metrics import Period
from gonghui.core.scope import Actor, scope_queryset, subtree_queryset

from .models import (
    ACTIVE_STATUSES,
    Activity,
    ActivityStatus,
    Allocation,
    Consultation,
    Registration,
    RegistrationStatus,
)

if TYPE_CHECKING:
    from gonghui.membership.models import Person
    from gonghui.organisation.models import Union


def activity_list(*, actor: Actor) -> QuerySet[Activity]:
    """Activities the actor may see in the back office."""
    return scope_queryset(actor, Activity.objects.select_related("union"))


def activity_get(*, actor: Actor, id: Any) -> Activity:
    try:
        return activity_list(actor=actor).get(pk=id)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该活动，或不在您的管辖范围内。")) from None


def activities_to_close(
    *, actor: Actor, now: dt.datetime, lottery: bool | None = None
) -> QuerySet[Activity]:
    """Published activities whose registration should be closed now: the window has ended,
    or (with no window) the activity has begun. A lottery's draw is made when it is closed,
    so ``lottery=True`` lists the draws to make and ``lottery=False`` the plain closings."""
    today = timezone.localtime(now).date()
    qs = activity_list(actor=actor).filter(
        Q(closes_at__lte=now) | Q(closes_at__isnull=True, starts_on__lte=today),
        status=ActivityStatus.PUBLISHED,
    )
    if lottery is None:
        return qs
    if lottery:
        return qs.filter(allocation=Allocation.LOTTERY)
    return qs.exclude(allocation=Allocation.LOTTERY)


def registration_list(*, actor: Actor, activity: Activity | None = None) -> QuerySet[Registration]:
    qs = scope_queryset(actor, Registration.objects.select_related("person", "activity"))
    return qs.filter(activity=activity) if activity is not None else qs


def held_in(*, actor: Actor, union: Union, period: Period) -> QuerySet[Activity]:
    """Activities organised in ``union``'s subtree that started within ``period`` and were
    not cancelled (what the report counts as held), as ``actor`` may see them."""
    qs = scope_queryset(actor, Activity.objects.select_related("union"))
    return (
        subtree_queryset(qs, union)
        .filter(starts_on__gte=period.start, starts_on__lte=period.end)
        .exclude(status__in=(ActivityStatus.DRAFT, ActivityStatus.CANCELLED))
    )


def registrations_in(
    *, actor: Actor, union: Union, period: Period, statuses: tuple[str, ...]
) -> QuerySet[Registration]:
    """Registrations of the given statuses for activities held in the subtree in the period."""
    qs = scope_queryset(actor, Registration.objects.select_related("person", "activity"))
    held = held_in(actor=actor, union=union, period=period)
    return qs.filter(activity__in=held, status__in=statuses)


def consultations_in(*, actor: Actor, union: Union, period: Period) -> QuerySet[Consultation]:
    """Consultations recorded at the activities held in the subtree in the period."""
    qs = scope_queryset(actor, Consultation.objects.select_related("activity"))
    return qs.filter(activity__in=held_in(actor=actor, union=union, period=period))


def consultation_total(qs: QuerySet[Consultation]) -> int:
    return qs.aggregate(n=Sum("count"))["n"] or 0


# --- the portal: what one worker sees ----------------------------------------------------------


VISIBLE_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)


def activities_open_to(*, person: Person, today: dt.date | None = None) -> QuerySet[Activity]:
    """Published activities a worker may see: organised by their union or one above it, not
    over, and whose restrictions (women, migrants) the person meets. Members-only and
    hardship-only activities are listed and explained on the page rather than hidden.
    ``is_open_to`` is the same rule for one activity in hand."""
    today = today or timezone.localdate()
    paths = person.union.ancestor_paths() if person.union_id else []
    qs = Activity.objects.select_related("union").filter(
        union__path__in=paths, status__in=VISIBLE_STATUSES, ends_on__gte=today
    )
    if person.gender != "F":
        qs = qs.filter(women_only=False)
    if not person.migrant:
        qs = qs.filter(migrants_only=False)
    return qs.order_by("starts_on", "pk")


def is_open_to(activity: Activity, *, person: Person, today: dt.date | None = None) -> bool:
    """Whether ``activities_open_to(person=person, today=today)`` lists ``activity``."""
    today = today or timezone.localdate()
    paths = person.union.ancestor_paths() if person.union_id else []
    return (
        activity.union.path in paths
        and activity.status in VISIBLE_STATUSES
        and activity.ends_on >= today
        and (person.gender == "F" or not activity.women_only)
        and (person.migrant or not activity.migrants_only)
    )


def portal_activity_get(*, person: Person, id: Any) -> Activity:
    """One activity the worker may see: open to them, or one they registered for. Read with
    one ready statement (``core.sql``): every registration of a rush starts here."""
    try:
        pk = int(id)
    except (TypeError, ValueError):
        pk = 0
    activity = sql.get_one(Activity, '"activities_activity"."id" = %s', [pk], related=("union",))
    if (
        activity is not None
        and not is_open_to(activity, person=person, today=dt.date.min)
        and not activity.registrations.filter(person=person).exists()
    ):
        activity = None
    if activity is None:
        raise DomainError(CoreError.NOT_FOUND, _("找不到该活动。"))
    return activity


def own_registrations(
    *, person: Person, activity: Activity | None = None
) -> QuerySet[Registration]:
    qs = Registration.objects.select_related("activity", "activity__union").filter(person=person)
    if activity is not None:
        qs = qs.filter(activity=activity)
    return qs.order_by("-activity__starts_on", "-pk")


def own_registration_get(*, person: Person, id: Any) -> Registration:
    try:
        return own_registrations(person=person).get(pk=id)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该报名记录。")) from None


def active_registrations(*, person: Person) -> dict[int, list[Registration]]:
    """The worker's active registrations by activity id (for marking the activity list)."""
    out: dict[int, list[Registration]] = {}
    for r in Registration.objects.filter(person=person, status__in=ACTIVE_STATUSES):
        out.setdefault(r.activity_id, []).append(r)
    return out


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first on the waitlist (in ``WAITING_ORDER``, the order places are given)."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    p, rank, pk = registration.priority, registration.rank, registration.pk
    same_rank = Q(rank__isnull=True) if rank is None else Q(rank=rank)
    ahead_of_it = same_rank & (Q(priority__gt=p) | Q(priority=p, pk__lt=pk))
    if rank is not None:
        ahead_of_it |= Q(rank__lt=rank)
    else:
        ahead_of_it |= Q(rank__isnull=False)
    ahead = Registration.objects.filter(
        activity_id=registration.activity_id, status=RegistrationStatus.WAITLISTED
    ).filter(ahead_of_it)
    return ahead.count() + 1
