"""What every router of the API shares: the error bodies it documents and bounded paging."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination

#: the portal shows at most this many activities or registrations on one page, and so do we
LIST_LIMIT = 100


class ErrorOut(Schema):
    code: str
    detail: str


class DetailOut(Schema):
    """Ninja's own answers: 401 for a missing or bad token, 400 for a body that is not JSON."""

    detail: str


class InvalidOut(Schema):
    """Ninja's own answer to a request that does not fit the schema (422)."""

    detail: list[dict[str, Any]]


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset with upper bounds: ninja's own accept any integer, and one beyond
    PostgreSQL's bigint makes the query fail (a 500) instead of a 422."""

    class Input(Schema):
        limit: int = Field(LIST_LIMIT, ge=1, le=500)
        offset: int = Field(0, ge=0, le=1_000_000)


#: the answers every endpoint may give besides its success (documented, so the schema is true);
#: 503 (``code`` "database_unavailable", with Retry-After) while the database cannot be reached
NOT_FOUND: dict[int, Any] = {401: DetailOut, 404: ErrorOut, 422: InvalidOut, 503: ErrorOut}
REFUSED: dict[int, Any] = {400: ErrorOut | DetailOut, **NOT_FOUND}


def refuse_body_not_json(request: HttpRequest) -> None:
    """The schema describes JSON bodies only, but ninja parses any body as JSON whatever its
    ``Content-Type``: a body of another type is refused as a body outside the schema is
    (422). Call first in an operation that takes a body."""
    if request.body and request.content_type != "application/json":
        message = _("请求体须为 JSON（Content-Type: application/json）。")
        raise ValidationError([{"type": "content_type", "loc": ["body"], "msg": str(message)}])
