"""The one mechanism that turns (user, queryset) into what the user may see or change.

Every model that belongs to a union declares ``scope_lookup``: the ORM path from the model
to a union's materialized path (``"union__path"``, ``"path"`` for the union itself). A user's
scope is the set of union subtrees its role grants name; "the subtree of X" is a prefix
filter on that path. Selectors, admin pages, exports, the API and metrics all call
:func:`scope_queryset`; nothing reads a union's records around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import CoreError, DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gonghui.accounts.models import User
    from gonghui.organisation.models import Union

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_gonghui_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may read and write: union paths (``None`` means everything)."""

    read: tuple[str, ...] | None
    write: tuple[str, ...] | None
    reveal: tuple[str, ...] | None

    def covers(self, path: str, *, mode: str = "read") -> bool:
        paths = getattr(self, mode)
        if paths is None:
            return True
        return any(path.startswith(p) for p in paths)


NOTHING = Scope(read=(), write=(), reveal=())
EVERYTHING = Scope(read=None, write=None, reveal=None)


@dataclass(frozen=True)
class Grant:
    """What one role grant gives over one union's subtree."""

    path: str
    read: bool
    write: bool
    reveal: bool


GrantReader = Callable[[Any], Iterable[Grant]]
_grant_reader: GrantReader | None = None


def set_grant_reader(reader: GrantReader) -> None:
    """Say where users' grants come from (the accounts app, from its ``ready()``)."""
    global _grant_reader
    _grant_reader = reader


class SystemActor:
    """The platform itself acting: management commands, the demo builder, scheduled work.

    It reads and writes everything, like a superuser, but is not an account: the audit trail
    records no user for it. Passing it is explicit; no selector treats a missing actor as
    "everything".
    """

    pk = None
    id = None
    is_superuser = True
    is_authenticated = True
    is_active = True
    is_staff = False
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()

#: Who acts in a service or reads through a selector: a signed-in user (as a request carries it,
#: possibly anonymous, which scope refuses like any stranger) or the platform itself.
Actor: TypeAlias = "User | AnonymousUser | SystemActor"


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already inside another path of the set."""
    kept: list[str] = []
    for p in sorted(paths, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))


def user_scope(user: Any) -> Scope:
    """The scope of a user, computed once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached: Scope | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = EVERYTHING
    elif _grant_reader is None:
        scope = NOTHING
    else:
        read: set[str] = set()
        write: set[str] = set()
        reveal: set[str] = set()
        for grant in _grant_reader(user):
            if grant.read:
                read.add(grant.path)
            if grant.write:
                write.add(grant.path)
            if grant.reveal:
                reveal.add(grant.path)
        scope = Scope(read=_minimal(read), write=_minimal(write), reveal=_minimal(reveal))
    if not isinstance(user, SystemActor):
        setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after the user's grants changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_lookup_of(model: type[Model]) -> str:
    lookup: str | None = getattr(model, "scope_lookup", None)
    if not lookup:
        raise TypeError(f"{model.__name__} declares no scope_lookup and cannot be scoped")
    return lookup


def scope_q(model: type[Model], paths: tuple[str, ...]) -> Q:
    lookup = scope_lookup_of(model)
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{lookup}__startswith": p})
    return q


def scope_queryset(user: Any, qs: QuerySet[M], *, mode: str = "read") -> QuerySet[M]:
    """The part of ``qs`` that ``user`` may read (``mode="read"``) or change (``"write"``)."""
    paths = getattr(user_scope(user), mode)
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    return qs.filter(scope_q(qs.model, paths))


def subtree_queryset(qs: QuerySet[M], union: Union) -> QuerySet[M]:
    """The part of ``qs`` that belongs to ``union`` or any union below it."""
    return qs.filter(**{f"{scope_lookup_of(qs.model)}__startswith": union.path})


def require_write(user: Any, union: Union) -> None:
    """Raise unless ``user`` may change records of ``union``.

    Outside the user's read scope the union "does not exist"; inside it but read-only, the
    user is told so.
    """
    scope = user_scope(user)
    if scope.covers(union.path, mode="write"):
        return
    if scope.covers(union.path, mode="read"):
        raise DomainError(CoreError.READ_ONLY, _("您的账号对该工会只有查看权限，不能修改。"))
    raise DomainError(CoreError.NOT_FOUND, _("找不到该工会组织，或不在您的管辖范围内。"))


def path_of(obj: Model) -> str:
    """The union path an object belongs to, following its model's ``scope_lookup``."""
    value: Any = obj
    for part in scope_lookup_of(type(obj)).split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value if isinstance(value, str) else ""


def is_back_office(user: Any) -> bool:
    """May sign in to the back office: a superuser or a holder of a back-office role."""
    scope = user_scope(user)
    return scope.read is None or bool(scope.read)


def can_write_anything(user: Any) -> bool:
    scope = user_scope(user)
    return scope.write is None or bool(scope.write)


def can_reveal(user: Any, union_path: str) -> bool:
    return user_scope(user).covers(union_path, mode="reveal")
