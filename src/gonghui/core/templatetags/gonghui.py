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
