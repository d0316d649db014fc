"""Figures as a Chinese office writes them, on every page, in exports and in printed reports.

- counts with thousands separators: ``19,652``;
- yuan with two decimals: ``13,051,150.00``;
- 万元 with two decimals in tables (``106.75``, ``0.20``, ``1,154.93``), at most two in running
  text (``0.2万元``);
- percentages: ``85.3%``;
- in running text, large counts in 万 with at most two decimals: ``1.96万``;
- otherwise in running text (the draft of the work report) without thousands separators, as
  the seed report writes them: ``18860``人次, ``1154.93``万元, ``0.2``万元 (:func:`text`).

Each figure says its unit (``CatalogueEntry.unit_zh``): 人, 人次, 个, 家, 户, 场, 项, 万元, %.
Spreadsheets keep numbers as numbers, with the same display in the cell: :func:`excel_format`
gives the cell's number format.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TWO = Decimal("0.01")
ONE = Decimal("0.1")

MONEY_UNITS = {"yuan", "元"}
WAN_UNITS = {"10k CNY", "万元"}
PERCENT_UNITS = {"percent", "%"}


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _trim(text: str) -> str:
    """Drop trailing zeros after the point (and the point itself)."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def count(value: Any) -> str:
    """An integer count: ``19,652``."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}"


def yuan(value: Any) -> str:
    """An amount in yuan, two decimals: ``13,051,150.00``."""
    if value is None or value == "":
        return ""
    return f"{_decimal(value).quantize(TWO, rounding=ROUND_HALF_UP):,.2f}"


def wan_yuan(value: Any, *, text: bool = False) -> str:
    """An amount already in 万元: two decimals in a table (``106.75``, ``0.20``), at most two
    in running text (``text=True``: ``0.2``)."""
    if value is None or value == "":
        return ""
    rounded = _decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)
    shown = f"{rounded:,.2f}"
    return _trim(shown) if text else shown


def percent(value: Any, *, places: int = 1) -> str:
    """A percentage given in percent (``85.26`` → ``85.3%``)."""
    if value is None or value == "":
        return ""
    step = Decimal(1).scaleb(-places)
    rounded = _decimal(value).quantize(step, rounding=ROUND_HALF_UP)
    return _trim(f"{rounded:,.{places}f}") + "%"


def in_wan(value: Any) -> str:
    """A count in running text: below 10,000 as it is (``7,662``), above in 万 with at most
    two decimals (``19652`` → ``1.97万``, ``18000`` → ``1.8万``)."""
    number = _decimal(value)
    if abs(number) < 10_000:
        return count(number) if number == number.to_integral_value() else _trim(f"{number:,}")
    wan = (number / 10_000).quantize(TWO, rounding=ROUND_HALF_UP)
    return _trim(f"{wan:,.2f}") + "万"


def figure(value: Any, unit: str) -> str:
    """A figure of the report in its unit (the catalogue's English or Chinese unit)."""
    if value is None or value == "":
        return ""
    if unit in WAN_UNITS:
        return wan_yuan(value)
    if unit in MONEY_UNITS:
        return yuan(value)
    if unit in PERCENT_UNITS:
        return percent(value)
    number = _decimal(value)
    if number == number.to_integral_value():
        return count(number)
    return _trim(f"{number:,.2f}")


def text(value: Any, unit: str) -> str:
    """A figure in running text, in its unit: counts without separators (``18860``), money
    with at most two decimals (``1154.93``, ``0.2``), percentages as in tables (``85.3%``)."""
    if value is None or value == "":
        return ""
    if unit in PERCENT_UNITS:
        return percent(value)
    if unit in WAN_UNITS:
        return wan_yuan(value, text=True).replace(",", "")
    if unit in MONEY_UNITS:
        return _trim(yuan(value)).replace(",", "")
    number = _decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return _trim(f"{number.quantize(TWO, rounding=ROUND_HALF_UP)}")


def excel_format(unit: str) -> str:
    """The spreadsheet number format that shows a figure of ``unit`` as :func:`figure` does."""
    if unit in WAN_UNITS:
        return "#,##0.00"
    if unit in MONEY_UNITS:
        return "#,##0.00"
    if unit in PERCENT_UNITS:
        return '0.0"%"'
    return "#,##0"
