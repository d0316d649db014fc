"""Honours built through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gonghui.honours.models import HonourKind, HonourLevel
from gonghui.honours.services import honour_award


def make_honour(
    actor: Any,
    union: Any,
    *,
    kind: str = HonourKind.WORKER_PIONEER,
    level: str = HonourLevel.MUNICIPAL,
    year: int = 2015,
    **recipient: Any,
) -> Any:
    return honour_award(
        actor=actor,
        union=union,
        kind=kind,
        level=level,
        year=year,
        awarded_on=recipient.pop("awarded_on", dt.date(year, 4, 28)),
        **recipient,
    )
