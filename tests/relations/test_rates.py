"""The three rates on a hand-built district, for the federation and for one street.

On 31 December 2015:
- ent_a (EA, 100 workers): a general contract in force covering 80;
- ent_b (EB, 60 workers): a wage agreement in force covering 50;
- shop (A's joint union, 40 workers): no contract;
- gone (covered until 30 June 2015, 500 workers): a contract in force, but no union now;
- loose (never covered, 300 workers): not counted anywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gonghui.core.metrics import figure
from gonghui.organisation.services import coverage_end, coverage_start
from gonghui.relations import rates, services
from tests import factories as f

from .factories import in_force

D = dt.date
ON = D(2015, 12, 31)


@pytest.fixture
def case(district: Any) -> Any:
    root = district.root
    for ent, n in ((district.ent_a, 100), (district.ent_b, 60)):
        ent.workforce = n
        ent.save(update_fields=["workforce"])
    joint = f.make_union(root, district.A1, f.KIND.JOINT, "甲一条街工会", joint_kind="one_street")
    shop = f.make_enterprise(root, district.A1, name="甲小店", workforce=40)
    coverage_start(actor=root, union=joint, enterprise=shop, on=D(2013, 1, 1))
    gone = f.make_enterprise(root, district.A1, name="甲迁出企业", workforce=500)
    cov = coverage_start(actor=root, union=joint, enterprise=gone, on=D(2013, 1, 1))
    f.make_enterprise(root, district.A1, name="甲无工会企业", workforce=300)
    in_force(
        root,
        district.EA,
        [district.ent_a],
        signed_on=D(2015, 1, 5),
        expires_on=D(2017, 12, 31),
        workers={district.ent_a.pk: 80},
    )
    in_force(
        root,
        district.EB,
        [district.ent_b],
        kind="wage",
        signed_on=D(2015, 3, 2),
        expires_on=D(2016, 3, 31),
        workers={district.ent_b.pk: 50},
    )
    in_force(root, joint, [gone], signed_on=D(2015, 1, 5), expires_on=D(2017, 12, 31))
    coverage_end(actor=root, coverage=cov, on=D(2015, 7, 1))
    district.shop, district.gone, district.joint = shop, gone, joint
    return district


def _names(qs: Any) -> set[str]:
    return {e.name for e in qs}


def test_establishment_rate_counts_enterprises_with_a_union_and_a_contract(case: Any) -> None:
    r = rates.establishment(actor=case.root, union=case.F, on=ON)
    assert (r.numerator, r.denominator, r.value) == (2, 3, Decimal("66.67"))
    assert _names(r.counted) == {"甲企业有限公司", "乙企业有限公司"}
    assert _names(r.not_counted) == {"甲小店"}


def test_rates_of_a_street_count_its_own_enterprises(case: Any) -> None:
    r = rates.establishment(actor=case.cadre_a, union=case.A, on=ON)
    assert (r.numerator, r.denominator, r.value) == (1, 2, Decimal("50.00"))
    c = rates.coverage(actor=case.cadre_a, union=case.A, on=ON)
    assert (c.numerator, c.denominator, c.value) == (80, 140, Decimal("57.14"))


def test_coverage_rate_divides_workers_covered_by_the_workforce(case: Any) -> None:
    r = rates.coverage(actor=case.root, union=case.F, on=ON)
    assert (r.numerator, r.denominator, r.value) == (130, 200, Decimal("65.00"))
    assert {e.name: e.workers_covered for e in r.counted} == {
        "甲企业有限公司": 80,
        "乙企业有限公司": 50,
    }


def test_an_enterprise_covered_by_two_kinds_counts_its_workers_once(case: Any) -> None:
    in_force(
        case.root,
        case.EA,
        [case.ent_a],
        kind="wage",
        signed_on=D(2015, 4, 1),
        expires_on=D(2016, 3, 31),
        workers={case.ent_a.pk: 90},
    )
    r = rates.coverage(actor=case.root, union=case.F, on=ON)
    assert (r.numerator, r.denominator) == (140, 200)  # 90 (the larger) + 50
    assert rates.establishment(actor=case.root, union=case.F, on=ON).numerator == 2


def test_rates_on_a_day_before_the_contracts(case: Any) -> None:
    r = rates.establishment(actor=case.root, union=case.F, on=D(2014, 12, 31))
    # gone was still covered then, and nothing was in force.
    assert (r.numerator, r.denominator, r.value) == (0, 4, Decimal("0.00"))


def test_fulfilment_rate_counts_contracts_ended_in_the_twelve_months_checked_fulfilled(
    district: Any,
) -> None:
    root = district.root

    def contract(kind: str, signed_on: dt.date, expires_on: dt.date) -> Any:
        return in_force(
            root,
            district.EA,
            [district.ent_a],
            kind=kind,
            signed_on=signed_on,
            expires_on=expires_on,
        )

    fulfilled = contract("wage", D(2014, 6, 2), D(2015, 6, 30))
    services.contract_check_fulfilment(
        actor=root, contract=fulfilled, on=D(2015, 7, 10), fulfilment="fulfilled"
    )
    partly = contract("women", D(2012, 3, 1), D(2015, 3, 31))
    services.contract_check_fulfilment(
        actor=root, contract=partly, on=D(2015, 4, 10), fulfilment="partly"
    )
    before = contract("general", D(2012, 1, 4), D(2014, 12, 31))
    services.contract_check_fulfilment(
        actor=root, contract=before, on=D(2015, 1, 10), fulfilment="fulfilled"
    )
    ended = contract("general", D(2015, 2, 2), D(2017, 12, 31))
    services.contract_terminate(actor=root, contract=ended, on=D(2015, 9, 1), reason="企业转产")
    contract("wage", D(2015, 7, 6), D(2016, 6, 30))  # in force: not due yet

    r = rates.fulfilment(actor=root, union=district.F, on=ON)
    assert (r.numerator, r.denominator, r.value) == (1, 3, Decimal("33.33"))
    assert set(r.counted) == {fulfilled}
    assert set(r.not_counted) == {partly, ended}
    # On 1 July 2015 the window holds 'before' (checked fulfilled in January), 'partly' and
    # the wage agreement that expired the day before, not checked yet then.
    early = rates.fulfilment(actor=root, union=district.F, on=D(2015, 7, 1))
    assert (early.numerator, early.denominator) == (1, 3)
    assert set(early.counted) == {before}
    assert set(early.not_counted) == {partly, fulfilled}


def test_rate_figures_are_the_rates_on_the_periods_last_day(case: Any) -> None:
    result = figure("relations.establishment_rate", actor=case.root, union=case.F, year=2015)
    assert result is not None
    assert result.value == Decimal("66.67")
    assert result.records is not None
    assert result.excluded is not None
    assert _names(result.records) == {"甲企业有限公司", "乙企业有限公司"}
    assert _names(result.excluded) == {"甲小店"}
    coverage = figure("relations.coverage_rate", actor=case.root, union=case.F, year=2015)
    assert coverage is not None
    assert coverage.value == Decimal("65.00")
