"""The JSON API (django-ninja): OpenAPI at /api/docs, bearer-token authentication.

Every endpoint reads through the domains' scoped selectors, exactly as the back office does;
"not found" and "not yours" look the same.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer

from gonghui.accounts.services import api_token_user
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.unavailable import is_database_unavailable, unavailable_response


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
            refuse_unknown_query(request)
        return user


@functools.cache
def _query_names() -> dict[tuple[str, str], frozenset[str]]:
    """The query parameters the schema declares, by (path, method)."""
    names: dict[tuple[str, str], frozenset[str]] = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            names[(path, method.upper())] = frozenset(declared)
    return names


def refuse_unknown_query(request: HttpRequest) -> None:
    """A query parameter the schema does not describe is refused (422), as a body field the
    schema does not describe is: a misspelt filter must not silently return everything."""
    match = request.resolver_match
    if match is None or not request.GET:
        return
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", match.route)
    declared = _query_names().get((path, request.method or ""))
    if declared is None:
        return
    unknown = sorted(set(request.GET) - declared)
    if unknown:
        raise ValidationError(
            [
                {"type": "unknown_query", "loc": ["query", name], "msg": str(_("未知的查询参数。"))}
                for name in unknown
            ]
        )


api = NinjaAPI(
    title="工会工作平台 API",
    version="1",
    description=(
        "Gonghui: the union tree and members, activities (registration, waitlist, the "
        "membership card and check-in at the door), for mobile and WeChat clients."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> Any:
    status = 404 if exc.code == CoreError.NOT_FOUND else 400
    return api.create_response(
        request, {"code": exc.code, "detail": str(exc.message)}, status=status
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_error(request: HttpRequest, exc: Exception) -> Any:
    """503 while the database cannot be reached (ninja would answer a traceback in DEBUG);
    any other database error goes on to Django, as ninja does without DEBUG."""
    if is_database_unavailable(exc):
        return unavailable_response(request)
    raise exc


from . import activities, membership, organisation  # noqa: E402  (routers register on the api)

api.add_router("/unions", organisation.router)
api.add_router("/me", membership.router)
api.add_router("/me", activities.me_router)
api.add_router("/activities", activities.router)
api.add_router("/registrations", activities.registrations_router)
