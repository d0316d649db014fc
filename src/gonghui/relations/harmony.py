"""The arithmetic of the harmony index, in one place, in Decimal.

- An indicator set's weights are positive and sum to exactly 100.
- An enterprise's index is Σ(weight × score) / 100 over the set's indicators, each score
  between 0 and 100, rounded half-up to two places: an index between 0 and 100.
- The district's index is, as the year's set says, the plain mean of the scored enterprises'
  indices or their mean weighted by each enterprise's workforce, rounded the same way.
- The change from last year is this year's index less last year's (same rounding).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weights_total(weights: Iterable[Decimal]) -> Decimal:
    return sum((Decimal(w) for w in weights), Decimal(0))


def weights_valid(weights: Iterable[Decimal]) -> bool:
    ws = [Decimal(w) for w in weights]
    return bool(ws) and all(w > 0 for w in ws) and weights_total(ws) == HUNDRED


def enterprise_index(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ(weight × score) / 100 for (weight, score) pairs."""
    total = sum((Decimal(w) * Decimal(s) for w, s in pairs), Decimal(0))
    return rounded(total / HUNDRED)


def district_index(indices: Iterable[tuple[Decimal, int]], *, weighted: bool) -> Decimal | None:
    """The mean of (index, workforce) pairs, weighted by workforce if ``weighted``; None when
    there is nothing to average."""
    rows = [(Decimal(i), int(w)) for i, w in indices]
    if not rows:
        return None
    if weighted:
        total_weight = sum(w for _i, w in rows)
        if total_weight == 0:
            return None
        return rounded(sum((i * w for i, w in rows), Decimal(0)) / total_weight)
    return rounded(sum((i for i, _w in rows), Decimal(0)) / len(rows))


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return rounded(current - previous)
