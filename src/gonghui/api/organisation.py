"""Unions, as the caller's scope shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from gonghui.organisation.selectors import union_get, union_list

from .common import NOT_FOUND, BoundedPagination

router = Router(tags=["unions"])


class UnionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    joint_kind: str
    parent_id: int | None
    founded_on: dt.date | None
    dissolved_on: dt.date | None


@router.get("", response={200: list[UnionOut], **NOT_FOUND})
@paginate(BoundedPagination)
def list_unions(request: HttpRequest, search: str = Query("", max_length=100)) -> Any:
    """The unions the caller may see, in tree order; ``search`` matches name or code."""
    unions = union_list(actor=request.user)
    search = search.replace("\x00", "").strip()
    if search:
        from django.db.models import Q

        unions = unions.filter(Q(name__icontains=search) | Q(code__iexact=search))
    return unions


@router.get("/{union_id}", response={200: UnionOut, **NOT_FOUND})
def get_union(request: HttpRequest, union_id: int) -> Any:
    return union_get(actor=request.user, id=union_id)
