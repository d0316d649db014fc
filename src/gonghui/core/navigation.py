"""Who sees which entries of the back office's sidebar (the entries are in settings.UNFOLD)."""

from __future__ import annotations

from django.http import HttpRequest

from .scope import is_back_office


def back_office(request: HttpRequest) -> bool:
    return is_back_office(request.user)


def superuser(request: HttpRequest) -> bool:
    return bool(request.user.is_superuser)
