"""Template filters shared by every app's pages (no business rules: presentation only)."""

from __future__ import annotations

from typing import Any

from django import template

from gonghui.core import numbers

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (``{{ counts|get_item:c.key }}``), or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def count(value: Any) -> str:
    """A count as every page writes it (``core.numbers.count``: ``19,652``)."""
    return numbers.count(value)


@register.filter
def yuan(value: Any) -> str:
    """An amount in yuan as every page writes it (``core.numbers.yuan``: ``13,051,150.00``)."""
    return numbers.yuan(value)


@register.filter
def wan_yuan(value: Any) -> str:
    """An amount already in 万元, two decimals (``core.numbers.wan_yuan``: ``106.75``)."""
    return numbers.wan_yuan(value)


@register.filter
def percent(value: Any) -> str:
    """A percentage given in percent (``core.numbers.percent``: ``85.3%``)."""
    return numbers.percent(value)
