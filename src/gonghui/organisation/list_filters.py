"""List filters by place in the union tree, for any back-office list of records that belong
to a union: a street (the street federations the reader may see) and any union's subtree
(picked by typing part of its name or code). Both filter by the union's materialized path,
so a union's sub-unions are included, and both start from the reader's scope: a street cadre
is offered, and finds, nothing of another street."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import AutocompleteSelectFilter

from .models import Union, UnionKind
from .selectors import union_list


def _in_subtree(queryset: QuerySet[Any], union_path_lookup: str, pk: Any, request: Any) -> Any:
    """``queryset`` limited to the subtree of the union ``pk``, if the reader may see it;
    an unknown union or one outside the reader's scope gives no rows."""
    try:
        union = union_list(actor=request.user).get(pk=pk)
    except (Union.DoesNotExist, ValueError, TypeError):
        return queryset.none()
    return queryset.filter(**{f"{union_path_lookup}__startswith": union.path})


class UnionSubtreeFilter(AutocompleteSelectFilter):  # type: ignore[misc]  # untyped third-party base
    """``("union", UnionSubtreeFilter)``: the records of a union and of all its sub-unions."""

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value()
        if value in (None, ""):
            return queryset
        return _in_subtree(queryset, f"{self.field_path}__path", value, request)


class StreetFilter(admin.SimpleListFilter):
    """The records of one street federation's subtree; the model's ``scope_lookup`` says where
    its union's path is."""

    title = _("街道")
    parameter_name = "street"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, Any]]:
        streets = union_list(actor=request.user).filter(kind=UnionKind.STREET_FEDERATION)
        streets = streets.order_by("path")
        return [(str(u.pk), u.name) for u in streets]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if not self.value():
            return queryset
        lookup = queryset.model.scope_lookup  # type: ignore[attr-defined]
        return _in_subtree(queryset, lookup, self.value(), request)
