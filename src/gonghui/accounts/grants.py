"""Where the scope mechanism (``core.scope``) reads a user's role grants from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gonghui.core.scope import Grant

from .models import RoleGrant


def grants_of(user: Any) -> Iterator[Grant]:
    """The back-office grants of ``user``: read everywhere granted, write with a write role,
    reveal personal data as a federation admin or where the grant says so."""
    rows = RoleGrant.objects.filter(user=user, union__isnull=False).values_list(
        "role", "union__path", "can_reveal_pii"
    )
    for role, path, can_reveal in rows:
        if role not in RoleGrant.BACK_OFFICE_ROLES:
            continue
        yield Grant(
            path=path,
            read=True,
            write=role in RoleGrant.WRITE_ROLES,
            reveal=bool(can_reveal) or role == RoleGrant.Role.FEDERATION_ADMIN,
        )
