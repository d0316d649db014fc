"""The records behind a figure or a finding, as the reader may see them, in the columns of
their back-office list (the same columns its Excel export has).

The back office's own queryset of a model (``ModelAdmin.get_queryset``) is scoped and carries
the list's joins and annotations; the report reads records through it, with the request of
the page or, for a script, a request that carries only the reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.export import Column
from gonghui.core.scope import Actor, scope_queryset


def reader_request(actor: Actor) -> HttpRequest:
    """A request that says only who reads (for records read outside a page: the command)."""
    request = HttpRequest()
    request.user = actor  # type: ignore[assignment]  # the platform itself may read too
    return request


@dataclass
class Listing:
    """Records of one model and the columns they are shown in."""

    records: QuerySet[Any]
    columns: list[Column]

    @property
    def model_name(self) -> str:
        return str(self.records.model._meta.verbose_name_plural)

    @property
    def headers(self) -> list[str]:
        return [str(label) for label, _getter in self.columns]

    def cells(self, obj: Any) -> list[Any]:
        return [getter(obj) for _label, getter in self.columns]

    def rows(self) -> Iterator[list[Any]]:
        for obj in self.records.order_by("pk").iterator(2000):
            yield self.cells(obj)

    def page(self, number: Any, per_page: int = 100) -> tuple[Page, list[tuple[str, list[Any]]]]:
        """One page of the records: (page, [(link to the record, cells)])."""
        page = Paginator(self.records.order_by("pk"), per_page).get_page(number)
        meta = self.records.model._meta
        table = []
        for obj in page.object_list:
            try:
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            except NoReverseMatch:
                url = ""
            table.append((url, self.cells(obj)))
        return page, table


def listing(request: HttpRequest, records: QuerySet[Any]) -> Listing:
    """``records`` as ``request.user`` may see them, with their list's columns."""
    model_admin = admin.site._registry.get(records.model)
    if model_admin is None:
        if getattr(records.model, "scope_lookup", None):
            records = scope_queryset(request.user, records)
        return Listing(records, [(_("记录"), str)])
    # The admin's own queryset: scoped, with the list's joins and annotations.
    shown = model_admin.get_queryset(request).filter(pk__in=records.values("pk"))
    related = model_admin.list_select_related
    if related is True:
        shown = shown.select_related()
    elif related:
        shown = shown.select_related(*related)
    # An export column may name a foreign key the list does not show (who paid): joined too,
    # or every row of a figure's thousands would cost a query.
    shown = shown.select_related(*_foreign_keys(model_admin))
    columns = model_admin.export_columns()  # type: ignore[attr-defined]
    return Listing(shown, columns)


def _foreign_keys(model_admin: Any) -> list[str]:
    names = getattr(model_admin, "export_fields", None) or model_admin.list_display
    found = []
    for name in names:
        if not isinstance(name, str):
            continue
        try:
            field = model_admin.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if (field.many_to_one or field.one_to_one) and field.concrete:
            found.append(name)
    return found
