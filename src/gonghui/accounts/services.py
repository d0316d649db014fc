"""Accounts and role grants."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.scope import forget_scope

from .models import RoleGrant, User


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    name: str = "",
    role: str | None = None,
    union: Any = None,
    can_reveal_pii: bool = False,
    person: Any = None,
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
    *, actor: Any, user: User, role: str, union: Any, can_reveal_pii: bool = False
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
