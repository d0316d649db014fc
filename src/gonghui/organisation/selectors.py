"""Every read of the union tree, enterprises, coverage and cadres, scoped to the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core.backoffice import union_counters
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.scope import Actor, scope_queryset, user_scope

from .models import Cadre, Coverage, Enterprise, Union


def _not_found() -> DomainError:
    return DomainError(CoreError.NOT_FOUND, _("找不到该记录，或不在您的管辖范围内。"))


def union_list(*, actor: Actor, mode: str = "read") -> QuerySet[Union]:
    """Unions the actor may see (or change, with ``mode="write"``), in tree order."""
    return scope_queryset(actor, Union.objects.all(), mode=mode).order_by("path")


def union_get(*, actor: Actor, id: int) -> Union:
    try:
        return union_list(actor=actor).get(pk=id)
    except (Union.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


def union_get_by_code(*, actor: Actor, code: str) -> Union:
    try:
        return union_list(actor=actor).get(code=code)
    except Union.DoesNotExist:
        raise _not_found() from None


def union_roots(*, actor: Actor) -> QuerySet[Union]:
    """The top unions of the actor's scope (the federation for a federation admin)."""
    paths = user_scope(actor).read
    qs = Union.objects.all()
    if paths is None:
        return qs.filter(parent__isnull=True)
    return qs.filter(path__in=paths)


@dataclass
class TreeNode:
    """A union of the tree with its counters on a day: ``own[key]`` for the union itself,
    ``total[key]`` summed over its subtree (for counters that roll up)."""

    union: Union
    level: int
    own: dict[str, int]
    total: dict[str, int]


def union_tree(*, actor: Actor, on: dt.date, root: Union | None = None) -> list[TreeNode]:
    """The visible tree in path order with the registered union counters on ``on`` (members,
    covered enterprises, ...), each counted once per counter whatever the tree's size."""
    unions = list(union_list(actor=actor))
    if root is not None:
        unions = [u for u in unions if u.path.startswith(root.path)]
    by_id_path = {u.pk: u.path for u in unions}
    own: dict[str, dict[int, int]] = {}
    totals: dict[str, dict[str, int]] = {}
    for counter in union_counters():
        own[counter.key] = counts = counter.count(actor, on)
        rolled: dict[str, int] = {}
        if counter.rolls_up:
            for union_id, count in counts.items():
                path = by_id_path.get(union_id)
                if path is None:
                    continue
                parts = path.split(".")
                for i in range(len(parts)):
                    key = ".".join(parts[: i + 1])
                    rolled[key] = rolled.get(key, 0) + count
        totals[counter.key] = rolled
    base = min((u.depth for u in unions), default=0)
    return [
        TreeNode(
            union=u,
            level=u.depth - base,
            own={key: counts.get(u.pk, 0) for key, counts in own.items()},
            total={key: rolled.get(u.path, 0) for key, rolled in totals.items()},
        )
        for u in unions
    ]


@dataclass
class BranchNode:
    """A union shown in the folding tree: its counters on a day (``own`` and, for counters
    that roll up, ``total`` over its subtree) and how many sub-unions it has to unfold."""

    union: Union
    level: int
    own: dict[str, int]
    total: dict[str, int]
    children: int


def _alive_q(on: dt.date) -> Q:
    return Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)


def tree_branch(
    *,
    actor: Actor,
    on: dt.date,
    unions: list[Union],
    show_dissolved: bool = False,
    base_depth: int = 0,
) -> list[BranchNode]:
    """``unions`` (already read through the actor's scope) as nodes of the folding tree, with
    the registered counters on ``on`` and the number of sub-unions each has. Whatever the
    tree's size this costs one grouped query for the children and, per counter, its own
    grouped query and one read of the paths of the unions it counted."""
    if not unions:
        return []
    kids = union_list(actor=actor).filter(parent__in=[u.pk for u in unions])
    if not show_dissolved:
        kids = kids.filter(_alive_q(on))
    grouped = kids.order_by().values("parent_id").annotate(n=Count("pk"))
    children = {row["parent_id"]: row["n"] for row in grouped}
    own: dict[str, dict[int, int]] = {}
    totals: dict[str, dict[str, int]] = {}
    wanted = {u.path for u in unions}
    for counter in union_counters():
        own[counter.key] = counts = counter.count(actor, on)
        if not counter.rolls_up:
            continue
        rolled: dict[str, int] = dict.fromkeys(wanted, 0)
        counted = [pk for pk, n in counts.items() if n]
        paths = Union.objects.filter(pk__in=counted).values_list("pk", "path").iterator()
        for pk, path in paths:
            parts = path.split(".")
            for i in range(len(parts)):
                prefix = ".".join(parts[: i + 1])
                if prefix in rolled:
                    rolled[prefix] += counts[pk]
        totals[counter.key] = rolled
    return [
        BranchNode(
            union=u,
            level=u.depth - base_depth,
            own={key: counts.get(u.pk, 0) for key, counts in own.items()},
            total={key: rolled.get(u.path, 0) for key, rolled in totals.items()},
            children=children.get(u.pk, 0),
        )
        for u in unions
    ]


def tree_top(
    *, actor: Actor, on: dt.date, root: Union | None = None, show_dissolved: bool = False
) -> list[BranchNode]:
    """The first page of the folding tree: the top of the actor's scope (or ``root``) and
    the unions one level below, in tree order; deeper levels are loaded on demand."""
    tops = [root] if root is not None else list(union_roots(actor=actor).order_by("path"))
    below = union_list(actor=actor).filter(parent__in=[u.pk for u in tops])
    if not show_dissolved:
        below = below.filter(_alive_q(on))
    by_parent: dict[int, list[Union]] = {}
    for child in below:
        by_parent.setdefault(child.parent_id or 0, []).append(child)
    unions = [x for top in tops for x in (top, *by_parent.get(top.pk, []))]
    base = min((u.depth for u in tops), default=0)
    return tree_branch(
        actor=actor, on=on, unions=unions, show_dissolved=show_dissolved, base_depth=base
    )


def tree_children(
    *, actor: Actor, union: Union, on: dt.date, show_dissolved: bool = False, base_depth: int = 0
) -> list[BranchNode]:
    """One union's sub-unions, as the folding tree unfolds it (``union`` must have been read
    through the actor's scope)."""
    kids = union_list(actor=actor).filter(parent=union)
    if not show_dissolved:
        kids = kids.filter(_alive_q(on))
    return tree_branch(
        actor=actor, on=on, unions=list(kids), show_dissolved=show_dissolved, base_depth=base_depth
    )


@dataclass
class UnionMatch:
    """A union found by name or code, with the path to it from the top of the reader's scope."""

    union: Union
    ancestors: list[Union]


def union_search(*, actor: Actor, text: str, limit: int = 50) -> list[UnionMatch]:
    """Unions of the actor's scope whose name contains ``text`` or whose code starts with it,
    each with its ancestors the actor may see (one query for all of them)."""
    text = text.strip()
    if not text:
        return []
    found = list(
        union_list(actor=actor).filter(Q(name__icontains=text) | Q(code__istartswith=text))[:limit]
    )
    prefixes = {
        ".".join(u.path.split(".")[:i]) for u in found for i in range(1, u.path.count(".") + 1)
    }
    above = {a.path: a for a in union_list(actor=actor).filter(path__in=prefixes)}
    return [
        UnionMatch(
            union=u,
            ancestors=[
                above[p]
                for p in (".".join(u.path.split(".")[:i]) for i in range(1, u.path.count(".") + 1))
                if p in above
            ],
        )
        for u in found
    ]


def enterprise_list(*, actor: Actor, mode: str = "read") -> QuerySet[Enterprise]:
    return scope_queryset(actor, Enterprise.objects.select_related("union"), mode=mode)


def enterprise_get(*, actor: Actor, id: int) -> Enterprise:
    try:
        return enterprise_list(actor=actor).get(pk=id)
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


def coverage_list(*, actor: Actor) -> QuerySet[Coverage]:
    return scope_queryset(actor, Coverage.objects.select_related("union", "enterprise"))


def cadre_list(*, actor: Actor) -> QuerySet[Cadre]:
    return scope_queryset(actor, Cadre.objects.select_related("union", "person"))


def covering_union_counts(*, actor: Actor, on: dt.date) -> dict[int, int]:
    """Number of enterprises each visible union covers on ``on``."""
    rows = (
        coverage_list(actor=actor)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)
        .values("union_id")
        .annotate(n=Count("enterprise_id", distinct=True))
    )
    return {r["union_id"]: r["n"] for r in rows}


def union_open_for_joining(*, code_or_name: str) -> Union | None:
    """A union a worker may apply to, named by its code or full name (public facts; workers
    have no scope in the tree)."""
    text = code_or_name.strip()
    if not text:
        return None
    return (
        Union.objects.filter(dissolved_on__isnull=True)
        .exclude(kind="federation")
        .filter(Q(code__iexact=text) | Q(name=text))
        .order_by("path")
        .first()
    )
