"""Reads about accounts."""

from __future__ import annotations

from django.conf import settings

from .models import RoleGrant, User


def portal_session_seconds(*, user: User) -> int | None:
    """How long a sign-in through the portal lasts without use, in seconds.

    A worker's account (the worker role and nothing that opens the back office) stays signed
    in for ``settings.PORTAL_SESSION_DAYS`` on the worker's own phone, until they sign out.
    ``None`` for everyone else: a back-office account keeps the back office's idle timeout
    (``SESSION_COOKIE_AGE``) and a session that ends with the browser, wherever it signs in.
    """
    if user.is_superuser or user.is_staff:
        return None
    roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if RoleGrant.Role.WORKER not in roles or roles & RoleGrant.BACK_OFFICE_ROLES:
        return None
    return int(settings.PORTAL_SESSION_DAYS) * 24 * 60 * 60
