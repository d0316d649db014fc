"""Money: Decimal yuan with two places, everywhere (never float).

- :class:`MoneyField` is the model field of an amount (``max_digits=14``, two places);
- :func:`parse_money` turns what a person typed or a file held into yuan, or refuses it with a
  message that names the field;
- :func:`total` sums a queryset's amounts (``0.00`` when there is none);
- :func:`wan` turns yuan into 万元 (10,000 yuan) keeping every fen.

Balances change by atomic ``F()`` updates under a row lock (``core.locks``), never by
read-modify-write.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
WAN = Decimal(10_000)
LIMIT = Decimal("1e12")  # no amount of a union's reaches a trillion yuan
BAD_AMOUNT = "bad_amount"


class MoneyField(models.DecimalField):  # type: ignore[type-arg]  # as DecimalField is
    """An amount in yuan: 14 digits, two of them after the point."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        # Migrations see a plain DecimalField: the column is exactly that.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def parse_money(value: Any, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """``value`` as Decimal yuan with two places. Refuses floats' noise, signs, fractions of a
    fen and absurd sizes with a Chinese message naming ``field``."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(BAD_AMOUNT, _("金额“%s”不是有效的数字。") % value, field=field) from None
    if not amount.is_finite():
        raise DomainError(BAD_AMOUNT, _("金额不是有效的数字。"), field=field)
    if abs(amount) >= LIMIT:  # before quantize, which fails on huge values
        raise DomainError(BAD_AMOUNT, _("金额过大，请核对。"), field=field)
    if amount != amount.quantize(CENT):
        raise DomainError(BAD_AMOUNT, _("金额最多保留两位小数（到分）。"), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(BAD_AMOUNT, _("金额必须大于 0 元。"), field=field)
    return amount.quantize(CENT)


def total(qs: QuerySet[Any], field: str = "amount") -> Decimal:
    """The sum of ``field`` over ``qs``, ``0.00`` when empty."""
    return qs.aggregate(total=Sum(field))["total"] or ZERO


def wan(yuan: Decimal) -> Decimal:
    """Yuan in 万元, keeping every fen (four decimal places): 57,700.00 yuan is 5.7700."""
    return (yuan / WAN).quantize(Decimal("0.0001"))
