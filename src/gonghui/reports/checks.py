"""Logic checks before a report is final (the national statistical report's checking step).

The rules are code in the domain that owns the data (its ``checks.py``, registered with
``core.metrics.logic_check`` from its ``ready()``). The report engine adds one rule of its own
for every figure counted in percent: a rate cannot exceed 100 %. A check runs for the report's
reader, union and period, and lists the records at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from gonghui.core import numbers
from gonghui.core.metrics import (
    CheckResult,
    LogicCheck,
    MetricQuery,
    Period,
    catalogue,
    compute,
    entry,
    implemented,
    logic_checks,
)
from gonghui.core.scope import Actor

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


RATE_PREFIX = "rate."


def _rate_at_most_100(metric_id: str, q: MetricQuery) -> CheckResult:
    result = compute(metric_id, q)
    if result is None or Decimal(result.value) <= 100:
        return CheckResult(0, "")
    figure = entry(metric_id)
    label = figure.zh if figure else metric_id
    count = result.records.count() if result.records is not None else 1
    message = _("“%(label)s”为 %(value)s，超过 100%%：计入的记录多于应有的总数。") % {
        "label": label,
        "value": numbers.percent(result.value),
    }
    return CheckResult(count, str(message), result.records)


def rate_checks() -> list[LogicCheck]:
    """One "at most 100 %" rule for each implemented figure counted in percent."""
    return [
        LogicCheck(
            id=f"{RATE_PREFIX}{e.id}",
            area=e.area,
            owner="reports",
            title=_("“%(label)s”不得超过 100%%") % {"label": e.zh},
            run=partial(_rate_at_most_100, e.id),
        )
        for e in catalogue()
        if e.unit in numbers.PERCENT_UNITS and e.id in implemented()
    ]


def all_checks() -> list[LogicCheck]:
    return logic_checks() + rate_checks()


def check_get(check_id: str) -> LogicCheck | None:
    return next((c for c in all_checks() if c.id == check_id), None)


@dataclass
class CheckOutcome:
    check: LogicCheck
    result: CheckResult

    @property
    def failed(self) -> bool:
        return self.result.count > 0


def run_checks(*, actor: Actor, union: Union, period: Period) -> list[CheckOutcome]:
    """Every logic check for ``union``'s subtree over ``period``, as ``actor`` reads it."""
    q = MetricQuery(actor=actor, union=union, period=period)
    return [CheckOutcome(check, check.run(q)) for check in all_checks()]


def findings(outcomes: list[CheckOutcome]) -> list[CheckOutcome]:
    """The checks that found records at fault."""
    return [o for o in outcomes if o.failed]
