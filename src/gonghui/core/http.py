"""Facts about the request that depend on how the platform is deployed."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the proxy's X-Real-IP when deployed behind one.

    The header is trusted only with ``BEHIND_PROXY`` (the nginx in front overwrites it, so a
    client cannot forge it); otherwise it is ignored and ``REMOTE_ADDR`` is the client.
    """
    if settings.BEHIND_PROXY:
        real = str(request.META.get("HTTP_X_REAL_IP", "")).strip()
        if real:
            return real
    return str(request.META.get("REMOTE_ADDR", ""))
