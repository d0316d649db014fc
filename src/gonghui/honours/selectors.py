"""Every read of honours, scoped to the actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import CoreError, DomainError
from gonghui.core.scope import Actor, scope_queryset, subtree_queryset
from gonghui.membership.models import Person

from .models import Honour, HonourKind

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def in_force_q(on: dt.date) -> Q:
    """Honours not revoked on ``on`` (a revocation counts from its day)."""
    return Q(revoked_on__isnull=True) | Q(revoked_on__gt=on)


def honour_list(
    *,
    actor: Actor,
    union: Union | None = None,
    year: int | None = None,
    kind: str | Iterable[str] | None = None,
    level: str | None = None,
) -> QuerySet[Honour]:
    """Honours the actor may see, optionally in ``union``'s subtree (by keeping union) and of
    a year, kind(s) and level."""
    qs = scope_queryset(
        actor, Honour.objects.select_related("union", "person", "recipient_union", "enterprise")
    )
    if union is not None:
        qs = subtree_queryset(qs, union)
    if year is not None:
        qs = qs.filter(year=year)
    if kind is not None:
        qs = qs.filter(kind=kind) if isinstance(kind, str) else qs.filter(kind__in=list(kind))
    if level is not None:
        qs = qs.filter(level=level)
    return qs


def honour_get(*, actor: Actor, id: int) -> Honour:
    try:
        return honour_list(actor=actor).get(pk=id)
    except (Honour.DoesNotExist, ValueError, TypeError):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该荣誉，或不在您的管辖范围内。")) from None


def model_worker_persons(*, actor: Actor, union: Union, on: dt.date) -> QuerySet[Person]:
    """Persons holding, on ``on``, a model-worker title of any level awarded in ``on``'s year
    or before and not revoked by then, whose honour is kept in ``union``'s subtree.

    Each person appears once, whatever the number of titles held. A documented selector
    for the assistance domain (the model workers condoled at May Day).
    """
    honours = (
        subtree_queryset(scope_queryset(actor, Honour.objects.all()), union)
        .filter(kind=HonourKind.MODEL_WORKER, year__lte=on.year)
        .filter(in_force_q(on))
    )
    return Person.objects.filter(pk__in=honours.values("person_id"))
