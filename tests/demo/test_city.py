"""build_demo --scale N: a city of demo districts, each the demo district's shape, analyzed.

Built small (each district at 3 % of the demo's people and firms) so the test takes seconds;
the benchmark builds it whole (bench/bench_report.py).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from gonghui.accounts.models import User
from gonghui.core.scope import SYSTEM
from gonghui.demo.builder import DemoBuilder
from gonghui.membership.models import Membership, Person
from gonghui.organisation.models import Enterprise, Union, UnionKind
from gonghui.reports.selectors import annual_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a city is built on PostgreSQL"),
]
SCALE = 0.03


def _values(union: Union) -> dict[str, Any]:
    report = annual_report(actor=SYSTEM, union=union, year=2015, compare=False)
    return {r.entry.id: r.value for r in report.rows if r.computed}


def _rates(union: Union) -> set[str]:
    report = annual_report(actor=SYSTEM, union=union, year=2015, compare=False)
    return {r.entry.id for r in report.rows if r.is_rate}


def _reltuples(model: Any) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return float(cursor.fetchone()[0])


@pytest.fixture
def demo_values() -> dict[str, Any]:
    """The 2015 figures of the demo district built alone at the same seed and scale."""
    with transaction.atomic():
        DemoBuilder(seed=2015, scale=SCALE, log=lambda _m: None).build(analyze_after=False)
        values = _values(Union.objects.get(code="JA"))
        transaction.set_rollback(True)
    return values


def test_a_city_of_two_districts_is_twice_the_demo_district(demo_values: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("build_demo", scale=2, district_scale=SCALE, stdout=out)

    city = Union.objects.get(parent__isnull=True)
    districts = list(Union.objects.filter(parent=city).order_by("path"))
    assert [(d.code, d.name, d.kind) for d in districts] == [
        ("JA", "江岸区总工会", UnionKind.FEDERATION),
        ("HB", "湖滨区总工会", UnionKind.FEDERATION),
    ]
    assert "City of 2 districts built" in out.getvalue()
    ja, hb = districts

    # Each district holds the same numbers of records, under its own codes and ID numbers.
    def counts(d: Union) -> tuple[int, ...]:
        under = d.path
        return (
            Union.objects.filter(path__startswith=under).count(),
            Enterprise.objects.filter(union__path__startswith=under).count(),
            Person.objects.filter(union__path__startswith=under).count(),
            Membership.objects.filter(union__path__startswith=under).count(),
        )

    assert counts(ja) == counts(hb)
    assert counts(ja)[2] > 1000
    assert not Union.objects.filter(path__startswith=hb.path, code__startswith="JA").exists()
    assert Union.objects.filter(path__startswith=hb.path, code__startswith="HB-").count() == (
        counts(hb)[0] - 1
    )
    ja_usccs = set(
        Enterprise.objects.filter(union__path__startswith=ja.path).values_list("uscc", flat=True)
    )
    hb_usccs = set(
        Enterprise.objects.filter(union__path__startswith=hb.path).values_list("uscc", flat=True)
    )
    assert ja_usccs.isdisjoint(hb_usccs)
    assert all(u.startswith("91330105") for u in hb_usccs)
    assert User.objects.filter(username__in=["admin", "hb_admin", "city_leader"]).count() == 3

    # Figure for figure: each district's 2015 report is the demo district's, and the city's
    # counts are their sum (a rate of the city is the rate of two equal halves).
    ja_values, hb_values, city_values = _values(ja), _values(hb), _values(city)
    assert ja_values == demo_values
    assert hb_values == demo_values
    rates = _rates(city)
    assert rates, "the catalogue has rates"
    for metric_id, value in demo_values.items():
        expected = value if metric_id in rates else value * 2
        assert city_values[metric_id] == expected, metric_id

    # The build analyzed what it wrote: the planner knows the tables' sizes.
    assert _reltuples(Person) == pytest.approx(Person.objects.count(), rel=0.05)
    assert _reltuples(Membership) > 0


def test_scale_must_be_a_share_or_a_whole_number_of_districts() -> None:
    from django.core.management.base import CommandError

    for bad in (1.5, 2.5, 0, -1):
        with pytest.raises(CommandError, match="--scale"):
            call_command("build_demo", scale=bad, stdout=io.StringIO())
    assert not Union.objects.exists()
