"""What each app contributes to the back office, registered from its ``AppConfig.ready()``.

The back office (``admin_site``) imports no domain: it shows what is registered here.

- pages: views inside the back office (the tree, the report, a door list), under ``/admin/``,
  behind the back office's own sign-in and permission check;
- navigation: sections of the sidebar and their entries;
- to-dos: what waits for the signed-in user in their scope (applications to decide, payments
  to approve...), each a count and a link to the filtered list, for the workbench;
- charts: server-drawn SVG charts for the workbench and the report;
- panels: blocks a domain adds to another domain's record page (a union's members on the
  union's page, an enterprise's contracts on the enterprise's page);
- union counters: per-union figures shown in the union tree (members, covered enterprises).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import connections
from django.db.models import (
    Aggregate,
    Case,
    Count,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .scope import Actor, is_back_office

if TYPE_CHECKING:
    from gonghui.organisation.models import Union

Permission = Callable[[HttpRequest], bool]


def back_office(request: HttpRequest) -> bool:
    return is_back_office(request.user)


def superuser(request: HttpRequest) -> bool:
    return bool(request.user.is_superuser)


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    route: str  # relative to /admin/, e.g. "tree/"
    view: Callable[..., HttpResponse]
    name: str  # URL name inside the admin namespace: reverse("admin:<name>")


_pages: dict[str, Page] = {}


def register_page(route: str, view: Callable[..., HttpResponse], *, name: str) -> None:
    """Serve ``view`` at ``/admin/<route>`` as ``admin:<name>``, signed-in back office only."""
    if name in _pages and _pages[name] != Page(route, view, name):
        raise KeyError(f"a back-office page is already named {name!r}")
    _pages[name] = Page(route, view, name)


def pages() -> list[Page]:
    return list(_pages.values())


# --- navigation ----------------------------------------------------------------------------


@dataclass
class NavItem:
    title: Any
    icon: str
    url_name: str
    order: int = 100
    permission: Permission = back_office


@dataclass
class NavSection:
    key: str
    title: Any
    order: int
    items: list[NavItem] = field(default_factory=list)


_sections: dict[str, NavSection] = {}


def register_section(key: str, title: Any, *, order: int) -> None:
    """A sidebar section (its entries come from :func:`register_nav`)."""
    section = _sections.get(key)
    if section is None:
        _sections[key] = NavSection(key, title, order)
    else:
        section.title, section.order = title, order


def register_nav(
    section: str,
    title: Any,
    *,
    icon: str,
    url_name: str,
    order: int = 100,
    permission: Permission = back_office,
) -> None:
    """An entry of the sidebar: ``title`` linking to ``reverse(url_name)``, shown to the users
    ``permission`` admits. The section must be registered (by any app)."""
    items = _sections[section].items
    items[:] = [i for i in items if i.url_name != url_name]
    items.append(NavItem(title, icon, url_name, order, permission))


def sidebar(request: HttpRequest) -> list[dict[str, Any]]:
    """Unfold's ``SIDEBAR["navigation"]``, built from what the apps registered."""
    groups = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        items = sorted(section.items, key=lambda i: (i.order, str(i.title)))
        if not items:
            continue
        groups.append(
            {
                "title": section.title,
                "items": [
                    {
                        "title": item.title,
                        "icon": item.icon,
                        "link": reverse(item.url_name),
                        "permission": item.permission,
                    }
                    for item in items
                ],
            }
        )
    return groups


def nav_entries() -> list[tuple[NavSection, NavItem]]:
    return [(s, i) for s in _sections.values() for i in s.items]


# --- workbench: cards, to-dos and charts ------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A figure on the workbench (members today, unions in existence...)."""

    label: str
    value: int | str
    url: str = ""
    order: int = 100


CardProvider = Callable[[Any], Iterable[Card]]
_cards: dict[str, CardProvider] = {}


def register_cards(key: str, provider: CardProvider) -> None:
    """``provider(actor)`` gives the domain's workbench cards for ``actor``'s scope."""
    _cards[key] = provider


def cards_for(actor: Actor) -> list[Card]:
    found = [card for _key, provider in sorted(_cards.items()) for card in provider(actor)]
    return sorted(found, key=lambda c: c.order)


@dataclass(frozen=True)
class Todo:
    """Something waiting for the user: ``count`` records, listed at ``url``."""

    label: str
    count: int
    url: str
    area: str = ""
    urgent: bool = False


TodoProvider = Callable[[Any], Iterable[Todo]]
_todos: dict[str, TodoProvider] = {}


def register_todos(key: str, provider: TodoProvider) -> None:
    """``provider(actor)`` lists what waits for ``actor`` in its scope (only non-zero counts
    are shown)."""
    _todos[key] = provider


def todos_for(actor: Actor) -> list[Todo]:
    found: list[Todo] = []
    for _key, provider in sorted(_todos.items()):
        found.extend(t for t in provider(actor) if t.count)
    return found


@dataclass(frozen=True)
class Chart:
    """A chart for the workbench or the report: a title and its SVG (drawn on the server)."""

    key: str
    title: str
    svg: str
    area: str = ""


ChartProvider = Callable[[Any, Any, int], Iterable[Chart]]  # (actor, union, year)
_charts: dict[str, ChartProvider] = {}


def register_charts(key: str, provider: ChartProvider) -> None:
    """``provider(actor, union, year)`` draws the domain's charts for a union's subtree."""
    _charts[key] = provider


def charts_for(actor: Actor, union: Union, year: int) -> list[Chart]:
    drawn: list[Chart] = []
    for _key, provider in sorted(_charts.items()):
        drawn.extend(provider(actor, union, year))
    return drawn


# --- panels on other domains' record pages --------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A block on a record's page: a title, rows of (label, value, link) and a link to all."""

    title: str
    rows: list[tuple[str, str, str]]
    more_url: str = ""
    more_label: str = ""
    order: int = 100


PanelProvider = Callable[[Any, Any], Panel | None]  # (request, obj)
_panels: dict[str, dict[str, PanelProvider]] = {}


def register_panel(model_label: str, key: str, provider: PanelProvider) -> None:
    """Show ``provider(request, obj)`` on the page of each ``model_label`` record
    (``"organisation.union"``); it returns None to show nothing."""
    _panels.setdefault(model_label.lower(), {})[key] = provider


def panels_for(request: HttpRequest, obj: Any) -> list[Panel]:
    label = obj._meta.label_lower
    shown = [p(request, obj) for _k, p in sorted(_panels.get(label, {}).items())]
    return sorted((p for p in shown if p is not None), key=lambda p: p.order)


# --- union counters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnionCounts:
    """A counter's figures for the unions asked, keyed by union path: ``own`` what is attached
    to the union itself, ``total`` what is attached anywhere in its subtree (itself included).
    A union with nothing counted may be missing (read it as 0)."""

    own: dict[str, int]
    total: dict[str, int]


# (actor, on, within) -> UnionCounts: ``within`` lists the paths of the unions wanted (each
# counted over its subtree), None for every union of the actor's scope.
UnionCounter = Callable[[Any, dt.date, Sequence[str] | None], UnionCounts]


@dataclass(frozen=True)
class Counter:
    key: str
    label: Any
    count: UnionCounter
    rolls_up: bool = True  # also shown summed over each union's subtree


_counters: dict[str, Counter] = {}


def register_union_counter(
    key: str, label: Any, count: UnionCounter, *, rolls_up: bool = True
) -> None:
    """A per-union figure of the union tree: ``count(actor, on, within)`` gives the
    :class:`UnionCounts` of the unions whose paths are ``within`` (None: every union of the
    actor's scope), as :func:`count_by_subtree` computes them from a scoped queryset."""
    _counters[key] = Counter(key, label, count, rolls_up)


def union_counters() -> list[Counter]:
    return [_counters[k] for k in sorted(_counters)]


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another one's subtree (``0001`` covers ``0001.0002``)."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not (path == kept[-1] or path.startswith(kept[-1] + ".")):
            kept.append(path)
    return kept


#: above this many unions in the subtrees asked, the records are counted by union in one pass
#: and then joined to the unions; below it, each union's records are counted through the
#: index on their union (see :func:`count_by_subtree`)
ONE_PASS_ABOVE = 1000


def count_by_subtree(
    qs: QuerySet[Any],
    *,
    within: Sequence[str] | None,
    union_field: str = "union",
    value: Aggregate | None = None,
) -> UnionCounts:
    """Count the records of ``qs`` (already read through the actor's scope) by the union
    ``union_field`` names, for the unions whose paths are ``within``.

    Whatever the tree's size this is one grouped query (and a count of the unions asked):
    the unions of the subtrees asked are grouped by the prefix of their path as long as the
    deepest path asked (paths have fixed-width segments, so that prefix is the path of the
    union at that depth they lie under) and the records counted per group; a subtree's total
    is then a handful of groups summed, never a loop over every union counted. The records
    are counted per union first: through the index on their union when the subtrees hold
    at most ``ONE_PASS_ABOVE`` unions, else in one pass over ``qs`` (the first page of the
    federation's tree reads every member once, not once per union).

    ``value`` is what is counted per union (``Count("pk")`` unless told); groups add these
    up, so a counter whose figure does not add up (a distinct count) must not roll up. With
    ``within=None`` every union of ``qs`` is counted, grouped by its own path."""
    measure = value if value is not None else Count("pk")
    qs = qs.order_by()
    if within is None:
        return _count_every_union(qs, union_field=union_field, measure=measure)
    wanted = set(within)
    if not wanted:
        return UnionCounts(own={}, total={})
    rows = _count_by_prefix(qs, wanted=wanted, union_field=union_field, measure=measure)
    own = dict.fromkeys(wanted, 0)
    total = dict.fromkeys(wanted, 0)
    for key, is_own, n in rows:
        if not n:
            continue
        if is_own and key in wanted:
            own[key] += n
        for prefix in _ancestors_or_self(key):
            if prefix in wanted:
                total[prefix] += n
    return UnionCounts(own=own, total=total)


def _count_every_union(qs: QuerySet[Any], *, union_field: str, measure: Aggregate) -> UnionCounts:
    rows = qs.values(_key=F(f"{union_field}__path")).annotate(_n=measure)
    own = {key: n for key, n in rows.values_list("_key", "_n") if n}
    total: dict[str, int] = {}
    for key, n in own.items():
        for prefix in _ancestors_or_self(key):
            total[prefix] = total.get(prefix, 0) + n
    return UnionCounts(own=own, total=total)


def _count_by_prefix(
    qs: QuerySet[Any], *, wanted: set[str], union_field: str, measure: Aggregate
) -> list[tuple[str, bool, int | None]]:
    """``(path prefix, whether the union is that prefix's own, count)`` over the unions of
    the subtrees ``wanted`` (see :func:`count_by_subtree`)."""
    field = qs.model._meta.get_field(union_field)
    unions = cast("type[Model]", field.related_model)._default_manager.order_by()
    inside = Q()
    for top in _outermost(wanted):
        inside |= Q(path=top) | Q(path__startswith=f"{top}.")
    width = max(len(p) for p in wanted)
    subtrees = unions.filter(inside)
    asked = subtrees.annotate(_key=Substr("path", 1, width), _len=Length("path")).annotate(
        _own=Case(When(_len__lte=width, then=Value(True)), default=Value(False))
    )
    if subtrees[: ONE_PASS_ABOVE + 1].count() <= ONE_PASS_ABOVE:  # stops counting above it
        per_union = (
            qs.filter(**{union_field: OuterRef("pk")})
            .values(union_field)
            .annotate(_c=measure)
            .values("_c")
        )
        return list(
            asked.annotate(_n=Subquery(per_union))
            .values("_key", "_own")
            .annotate(_sum=Sum("_n"))
            .values_list("_key", "_own", "_sum")
        )
    # one pass: the records counted per union, then joined to the unions asked (the ORM
    # cannot join a grouped query, so both compiled querysets are put together here)
    counted_sql, counted_params = (
        qs.values(_u=F(union_field)).annotate(_n=measure).values("_u", "_n").query
    ).sql_with_params()
    asked_sql, asked_params = asked.values("_key", "_own", _id=F("pk")).query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            f'SELECT a."_key", a."_own", SUM(c."_n") FROM ({counted_sql}) c '  # noqa: S608 - compiled querysets, parameters apart
            f'JOIN ({asked_sql}) a ON a."_id" = c."_u" GROUP BY 1, 2',
            (*counted_params, *asked_params),
        )
        return [(key, bool(is_own), n) for key, is_own, n in cursor.fetchall()]


def _ancestors_or_self(path: str) -> Iterator[str]:
    end = path.find(".")
    while end != -1:
        yield path[:end]
        end = path.find(".", end + 1)
    yield path
