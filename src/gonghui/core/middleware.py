"""Chinese by default, English on request.

Django's LocaleMiddleware would follow the browser's Accept-Language; union offices' browsers
are often set to English while the platform's users work in Chinese, so the language here is
the one chosen with the language switcher (cookie), else ``settings.LANGUAGE_CODE``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionRefreshMiddleware:
    """The idle timeout without a session write on every request.

    Saving the session on each request (``SESSION_SAVE_EVERY_REQUEST``) costs an UPDATE and a
    disk-synced commit per page view, which dominates a rush of registrations. Here a signed-in
    session is re-saved (and its expiry pushed back) at most once a minute, so it still ends
    after its idle age without use, give or take that minute: ``SESSION_COOKIE_AGE`` (the back
    office's 30 minutes), or the ``set_expiry`` age a worker's portal sign-in gave it
    (``PORTAL_SESSION_DAYS``), which the re-save keeps, cookie included.
    """

    KEY = "_refreshed"
    EVERY = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.EVERY:
                session[self.KEY] = now
        return self.get_response(request)
