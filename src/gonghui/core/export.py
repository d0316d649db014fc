"""Spreadsheet export of any list, through the same scoped queryset the list shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from . import numbers
from .xlsx import Formatted, Sheet, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Column = tuple[Any, Callable[[Any], Any]]  # (label, lazy or plain; getter)


def _cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def cell_value(value: Any) -> Any:
    """A value as a spreadsheet cell holds it (what :func:`xlsx_bytes` writes), for writers
    of other workbook shapes (the report's workbook)."""
    return _cell_value(value)


MONEY_FORMAT = numbers.excel_format("元")


def _list_cell(value: Any) -> Any:
    # An amount stays a number, shown as the list shows it (13,051,150.00).
    if isinstance(value, Decimal):
        return Formatted(value, MONEY_FORMAT)
    return _cell_value(value)


def xlsx_bytes(title: str, columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """A one-sheet workbook: a bold header row, then one row per object; amounts are numbers
    in the cell, shown with thousands separators and two decimals."""
    getters = [getter for _label, getter in columns]
    return write_workbook(
        [
            Sheet(
                title,
                [[str(label) for label, _getter in columns]],
                ([_list_cell(get(obj)) for get in getters] for obj in rows),
                cell_formats=[MONEY_FORMAT],
            )
        ]
    )


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
