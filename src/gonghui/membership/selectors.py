"""Every read of people and memberships, scoped to the actor."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core import sql
from gonghui.core.backoffice import UnionCounts, count_by_subtree
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.identifiers import IdentifierError, normalize_mobile, normalize_ric
from gonghui.core.metrics import Period
from gonghui.core.pii import lookup_hash
from gonghui.core.scope import Actor, scope_queryset, subtree_queryset

from .models import (
    ApplicationStatus,
    Membership,
    MembershipApplication,
    Person,
    StartReason,
)

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def person_list(*, actor: Actor, search: str = "") -> QuerySet[Person]:
    """People the actor may see; ``search`` matches a name part or a whole ID number."""
    qs = scope_queryset(actor, Person.objects.select_related("union", "employer"))
    search = search.strip()
    if search:
        qs = qs.filter(person_search_q(search))
    return qs


def person_search_q(search: str) -> Q:
    """Name contains ``search``, or ``search`` is a whole ID number (looked up by its keyed
    hash, never by the plain number) or a whole mobile number (exact match)."""
    q = Q(name__icontains=search)
    with contextlib.suppress(IdentifierError):
        q |= Q(ric_hash=lookup_hash(normalize_ric(search)))
    with contextlib.suppress(IdentifierError):
        q |= Q(mobile=normalize_mobile(search))
    return q


def person_get(*, actor: Actor, id: int) -> Person:
    try:
        return person_list(actor=actor).get(pk=id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该人员，或不在您的管辖范围内。")) from None


def membership_list(*, actor: Actor) -> QuerySet[Membership]:
    return scope_queryset(actor, Membership.objects.select_related("person", "union"))


def application_list(*, actor: Actor) -> QuerySet[MembershipApplication]:
    """Applications to join a union of the actor's scope."""
    return scope_queryset(actor, MembershipApplication.objects.select_related("person", "union"))


def applications_pending(*, actor: Actor) -> QuerySet[MembershipApplication]:
    """Applications to join that wait for a decision (the workbench's to-do)."""
    return application_list(actor=actor).filter(status=ApplicationStatus.PENDING)


def on_date_q(on: dt.date) -> Q:
    return Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def members_on(*, actor: Actor, union: Union, on: dt.date) -> QuerySet[Membership]:
    """Memberships in ``union``'s subtree that were in force on ``on``."""
    return subtree_queryset(membership_list(actor=actor), union).filter(on_date_q(on))


def members_joined(*, actor: Actor, union: Union, period: Period) -> QuerySet[Membership]:
    """Memberships started by joining (not by transfer) in ``union``'s subtree within
    ``period``, as ``actor`` may see them."""
    qs = scope_queryset(actor, Membership.objects.select_related("person", "union"))
    return subtree_queryset(qs, union).filter(
        start_reason=StartReason.JOINED,
        started_on__gte=period.start,
        started_on__lte=period.end,
    )


def member_counts_by_union(*, actor: Actor, on: dt.date) -> dict[int, int]:
    rows = (
        membership_list(actor=actor)
        .filter(on_date_q(on))
        .order_by()
        .values("union_id")
        .annotate(n=Count("id"))
    )
    return {r["union_id"]: r["n"] for r in rows}


def member_counts_within(*, actor: Actor, on: dt.date, within: Sequence[str] | None) -> UnionCounts:
    """The tree's member counter: memberships current on ``on`` attached to each union whose
    path is ``within`` and to its subtree (one grouped query, read through the scope)."""
    return count_by_subtree(membership_list(actor=actor).filter(on_date_q(on)), within=within)


def open_membership(*, person: Person) -> Membership | None:
    return person.memberships.filter(ended_on__isnull=True).select_related("union").first()


def own_memberships(*, person: Person) -> QuerySet[Membership]:
    """A worker's own membership history (the portal shows nothing else)."""
    return person.memberships.select_related("union").order_by("started_on", "id")


def own_person(*, user: Any) -> Person | None:
    """The person record of a signed-in worker, with the union that keeps it: as the
    sign-in backend loaded it with the user (``accounts.backends``), else one ready statement
    (``core.sql``), as every portal request reads it."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    state = getattr(user, "_state", None)  # through request.user's lazy wrapper too
    if state is not None and "person" in state.fields_cache:
        return user.person
    return sql.get_one(Person, '"membership_person"."id" = %s', [person_id], related=("union",))
