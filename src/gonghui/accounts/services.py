"""Accounts and role grants."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.pii import lookup_hash
from gonghui.core.scope import Actor, forget_scope

from .models import ApiToken, RoleGrant, User

if TYPE_CHECKING:
    from gonghui.membership.models import Person
    from gonghui.organisation.models import Union


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    name: str = "",
    role: str | None = None,
    union: Union | None = None,
    can_reveal_pii: bool = False,
    person: Person | None = None,
) -> User:
    """Create an account, optionally with one role over one union's subtree.

    Back-office roles get ``is_staff`` so Django's own checks agree with the grant.
    """
    # Chinese names are not split into given and family names: the whole name is kept.
    user = User(username=username, first_name=name, person=person)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_staff = role in RoleGrant.BACK_OFFICE_ROLES
    user.full_clean(exclude=["password"])
    user.save()
    if role:
        grant_role(actor=actor, user=user, role=role, union=union, can_reveal_pii=can_reveal_pii)
    return user


@transaction.atomic
def grant_role(
    *, actor: Actor, user: User, role: str, union: Union | None, can_reveal_pii: bool = False
) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, union=union, can_reveal_pii=can_reveal_pii)
    grant.full_clean()
    grant.save()
    forget_scope(user)
    audit.record(
        actor=actor,
        obj=grant,
        action="grant.create",
        message=_("授予“%(role)s”角色") % {"role": grant.get_role_display()},
    )
    return grant


TOKEN_DAYS = 90


@transaction.atomic
def api_token_create(*, actor: Actor, user: User, name: str, days: int = TOKEN_DAYS) -> str:
    """Make a bearer token for ``user`` and return it (the only time it is seen)."""
    token = secrets.token_urlsafe(32)
    made = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=lookup_hash(token),
        prefix=token[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        actor=actor, obj=made, action="api_token.create", message=_("创建接口令牌“%s”") % name
    )
    return token


def api_token_user(token: str) -> User | None:
    """The active user a live token belongs to (and note its use), else None."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=lookup_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
