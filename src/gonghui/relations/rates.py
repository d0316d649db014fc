"""The three rates of collective bargaining (建制率, 覆盖率, 履约率), each defined here once,
for any union's subtree and any day.

- Enterprises with a union on day D: enterprises whose local union (``Enterprise.union``) is
  in the subtree and that some union covers on D (a ``Coverage`` started on or before D and
  not ended by D).
- A contract in force on D: a contract that took effect, on a day between its effective date
  and its last day (the expiry date, or the day before it ended early), both included.

Establishment rate = enterprises with a union that have a collective contract (of any kind)
in force on D ÷ enterprises with a union on D.

Coverage rate = workers covered by the contracts in force on D at those enterprises (for
each enterprise, the largest number of workers any of its contracts in force covers) ÷ the
workforce of the enterprises with a union on D.

Fulfilment rate = contracts whose last day in force fell in the twelve months up to D
(D included) and whose fulfilment check, recorded by D, found them fully fulfilled ÷ those
contracts (the contracts due for the check); contracts signed by a union of the subtree.

Each rate is a percentage rounded half-up to two places (0 when nothing is to be counted),
with the records counted and the records of the denominator not counted, for drill-down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum

from gonghui.core.scope import Actor, scope_queryset, subtree_queryset
from gonghui.organisation.models import Coverage, Enterprise

from . import harmony
from .models import TOOK_EFFECT, ContractEnterprise, Fulfilment
from .selectors import contract_list, in_force_q

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


ESTABLISHMENT, COVERAGE, FULFILMENT = "establishment", "coverage", "fulfilment"


@dataclass(frozen=True)
class Definition:
    """A rate's names and its 口径 (the rule above, in English and in Chinese)."""

    figure_id: str
    zh: str
    en: str
    definition: str
    definition_zh: str
    records_zh: str  # what its drill-down lists


DEFINITIONS = {
    ESTABLISHMENT: Definition(
        "relations.establishment_rate",
        "集体合同建制率",
        "establishment rate of collective contracts",
        "enterprises with a union that have a collective contract of any kind in force on the "
        "day, as a share of the enterprises of the subtree that a union covers on that day",
        "统计日有工会组织（由企业工会或联合工会覆盖）的企业中，有生效集体合同（任一类别）的"
        "企业所占比例",
        "企业",
    ),
    COVERAGE: Definition(
        "relations.coverage_rate",
        "集体合同覆盖率",
        "coverage rate of collective contracts",
        "workers covered by the contracts in force on the day (per enterprise, the largest "
        "number any of its contracts in force covers) as a share of the workforce of the "
        "enterprises with a union on that day",
        "统计日生效集体合同覆盖的职工人数（每家企业取其生效合同覆盖人数的最大值）"
        "占有工会组织企业职工总数的比例",
        "企业",
    ),
    FULFILMENT: Definition(
        "relations.fulfilment_rate",
        "集体合同履约率",
        "fulfilment rate of collective contracts",
        "contracts whose last day in force fell in the twelve months up to the day and whose "
        "fulfilment check, recorded by then, found them fully fulfilled, as a share of those "
        "contracts",
        "截至统计日的12个月内期满（或提前终止）的集体合同中，经履约检查全面履行的合同所占比例",
        "集体合同",
    ),
}


@dataclass
class Rate:
    key: str
    on: dt.date
    numerator: int
    denominator: int
    counted: QuerySet[Any]
    not_counted: QuerySet[Any]

    @property
    def value(self) -> Decimal:
        if not self.denominator:
            return Decimal("0.00")
        return harmony.rounded(Decimal(self.numerator) * 100 / Decimal(self.denominator))


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def unionised_enterprises(*, actor: Actor, union: Union, on: dt.date) -> QuerySet[Enterprise]:
    """Enterprises of the subtree that a union covers on ``on``."""
    covered = Coverage.objects.filter(enterprise=OuterRef("pk"), started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )
    qs = subtree_queryset(scope_queryset(actor, Enterprise.objects.all()), union)
    return qs.filter(Exists(covered)).select_related("union")


def _with_contract(on: dt.date) -> Exists:
    return Exists(ContractEnterprise.objects.filter(in_force_q(on), enterprise=OuterRef("pk")))


def establishment(*, actor: Actor, union: Union, on: dt.date) -> Rate:
    base = unionised_enterprises(actor=actor, union=union, on=on)
    counted = base.filter(_with_contract(on))
    not_counted = base.exclude(_with_contract(on))
    return Rate(ESTABLISHMENT, on, counted.count(), base.count(), counted, not_counted)


def coverage(*, actor: Actor, union: Union, on: dt.date) -> Rate:
    base = unionised_enterprises(actor=actor, union=union, on=on)
    largest = (
        ContractEnterprise.objects.filter(in_force_q(on), enterprise=OuterRef("pk"))
        .values("enterprise")
        .annotate(m=Max("workers_covered"))
        .values("m")
    )
    counted = base.filter(_with_contract(on)).annotate(workers_covered=Subquery(largest))
    # The numerator in one grouped query (each enterprise's largest cover, summed): summing
    # ``counted`` ran the sub-query once per enterprise, 2 s for a city of 58,760 of them
    # (docs/benchmarks.md). The enterprises with a contract in force are those ``counted``
    # lists, so the two agree (tests/relations).
    covered = (
        ContractEnterprise.objects.filter(in_force_q(on), enterprise__in=base.values("pk"))
        .values("enterprise")
        .annotate(largest=Max("workers_covered"))
        .aggregate(n=Sum("largest"))["n"]
        or 0
    )
    workforce = base.aggregate(n=Sum("workforce"))["n"] or 0
    return Rate(COVERAGE, on, covered, workforce, counted, base.exclude(_with_contract(on)))


def contracts_due_for_check(*, actor: Actor, union: Union, on: dt.date) -> QuerySet[Any]:
    """Contracts of the subtree whose last day in force fell in the twelve months up to
    ``on``."""
    start = _year_before(on)
    ended = Q(terminated_on__isnull=True, expires_on__gt=start, expires_on__lte=on) | Q(
        terminated_on__isnull=False,
        terminated_on__gt=start + dt.timedelta(days=1),
        terminated_on__lte=on + dt.timedelta(days=1),
    )
    return contract_list(actor=actor, union=union).filter(ended, status__in=TOOK_EFFECT)


def fulfilment(*, actor: Actor, union: Union, on: dt.date) -> Rate:
    due = contracts_due_for_check(actor=actor, union=union, on=on)
    fulfilled = Q(fulfilment=Fulfilment.FULFILLED, checked_on__lte=on)
    counted = due.filter(fulfilled)
    return Rate(FULFILMENT, on, counted.count(), due.count(), counted, due.exclude(fulfilled))


RATES = {ESTABLISHMENT: establishment, COVERAGE: coverage, FULFILMENT: fulfilment}


def rate(key: str, *, actor: Actor, union: Union, on: dt.date) -> Rate:
    return RATES[key](actor=actor, union=union, on=on)
