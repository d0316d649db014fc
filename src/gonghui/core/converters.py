"""URL path converters (registered by ``CoreConfig.ready``)."""

from __future__ import annotations

from django.urls import register_converter

#: the largest value of the 64-bit integer columns that hold ids (bigint on PostgreSQL, and
#: all SQLite can bind)
MAX_ID = 2**63 - 1


class IdConverter:
    """``<id:pk>``: a database id in a URL, digits that fit a 64-bit column. A longer number
    does not match the URL (a 404) instead of reaching the database, where SQLite cannot even
    bind it (``OverflowError``, a 500)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver takes it as "no match"
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
