"""Every read of the union tree, enterprises, coverage and cadres, scoped to the actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core.backoffice import UnionCounts, count_by_subtree, union_counters
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
    """The visible tree (or ``root``'s subtree) in path order with the registered union
    counters on ``on`` (members, covered enterprises, ...): one grouped query per counter,
    over the subtree asked only. Every union of it is a node: the leaders' dashboard, which
    needs a union and the level below, reads :func:`tree_top` instead."""
    unions = list(union_list(actor=actor))
    if root is not None:
        unions = [u for u in unions if u.path == root.path or u.path.startswith(f"{root.path}.")]
    within = [u.path for u in unions] if root is not None else None
    counts = {c.key: (c, c.count(actor, on, within)) for c in union_counters()}
    base = min((u.depth for u in unions), default=0)
    return [
        TreeNode(
            union=u,
            level=u.depth - base,
            own={key: n.own.get(u.path, 0) for key, (_c, n) in counts.items()},
            total={key: n.total.get(u.path, 0) for key, (c, n) in counts.items() if c.rolls_up},
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
    tree's size this costs one grouped query for the children and one grouped query per
    counter, restricted to the subtrees of ``unions`` and rolled up in the database."""
    if not unions:
        return []
    kids = union_list(actor=actor).filter(parent__in=[u.pk for u in unions])
    if not show_dissolved:
        kids = kids.filter(_alive_q(on))
    grouped = kids.order_by().values("parent_id").annotate(n=Count("pk"))
    children = {row["parent_id"]: row["n"] for row in grouped}
    within = [u.path for u in unions]
    counts = {c.key: (c, c.count(actor, on, within)) for c in union_counters()}
    return [
        BranchNode(
            union=u,
            level=u.depth - base_depth,
            own={key: n.own.get(u.path, 0) for key, (_c, n) in counts.items()},
            total={key: n.total.get(u.path, 0) for key, (c, n) in counts.items() if c.rolls_up},
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


def covered_counts_within(
    *, actor: Actor, on: dt.date, within: Sequence[str] | None
) -> UnionCounts:
    """The tree's coverage counter: enterprises each union (whose path is ``within``) covers
    on ``on``, read through the scope; one grouped query. The figure is a distinct count and
    does not roll up."""
    covering = coverage_list(actor=actor).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on
    )
    return count_by_subtree(covering, within=within, value=Count("enterprise_id", distinct=True))


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
