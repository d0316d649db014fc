"""While the database cannot be reached, every page answers 503 with a plain Chinese page (the
API with JSON) and ``Retry-After``, instead of a 500; once it is back, pages work again by
themselves (Django opens a new connection for the next request).

Django turns an exception into a response at each middleware, so no middleware can catch one
raised further in (the session and the signed-in user are read from the database before any
view). Instead the exception is noted on the request when Django handles it
(``got_request_exception``) and ``DatabaseUnavailableMiddleware``, which stands outside the
session and authentication middlewares, replaces the error page by the 503. Only errors of the
connection count: a lock or statement timeout is a real error of the request (a 500).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

#: seconds a client is asked to wait before trying again
RETRY_AFTER = 30
#: PostgreSQL SQLSTATEs that mean "no usable connection" besides class 08 (connection
#: exception): the server shutting down or starting up, or out of connection slots
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
#: SQLite result codes that mean the database file cannot be used at all
_UNAVAILABLE_SQLITE = {"SQLITE_CANTOPEN", "SQLITE_NOTADB"}
_FLAG = "_gonghui_database_unavailable"


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database cannot be reached (not that a statement failed)."""
    if isinstance(exc, InterfaceError):
        return True  # Django raises it for a connection already closed
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state:
        return state.startswith("08") or state in _UNAVAILABLE_STATES
    sqlite_error = getattr(cause, "sqlite_errorname", None)
    if sqlite_error is not None:
        return sqlite_error in _UNAVAILABLE_SQLITE
    # psycopg: every error the server reports has a SQLSTATE; one without was raised by the
    # client, which could not connect or lost the connection.
    return type(cause).__module__.startswith("psycopg")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, else a plain page that needs no database."""
    message = _(
        "数据库暂时无法连接，您的操作没有完成。请稍等片刻后刷新页面重试；如长时间无法使用，请联系系统管理员。"
    )
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"code": "database_unavailable", "detail": message},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        page = render_to_string("core/unavailable.html", {"language": translation.get_language()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _note(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Sent while Django handles the exception, so it is the one being handled.
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _FLAG, True)


def connect() -> None:
    got_request_exception.connect(_note, dispatch_uid="gonghui.database_unavailable")


class DatabaseUnavailableMiddleware:
    """Put before the session middleware: see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _FLAG, False):
            return unavailable_response(request)
        return response
