"""The organisation figures of the annual report, and the ``annual_report`` command.

Each figure is checked for the federation and for one street (its subtree only), on the
year's boundaries (1 January and 31 December), and its ``records`` must be the rows that
make up its value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from gonghui.core.metrics import catalogue, implemented
from gonghui.core.metrics import figure as compute_figure
from gonghui.core.scope import SYSTEM
from gonghui.membership import services as ms
from gonghui.organisation import services as org
from gonghui.organisation.models import CadrePosition, JointKind, UnionKind
from tests import factories as f

D = dt.date
YEAR = 2023


@pytest.fixture(autouse=True)
def fast_password_hashing() -> Any:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def figure(metric_id: str, union: Any, year: int = YEAR) -> Any:
    result = compute_figure(metric_id, actor=SYSTEM, union=union, year=year)
    assert result is not None, f"{metric_id} is not implemented"
    return result


# --- org.unions_founded ----------------------------------------------------------------------


@pytest.fixture
def founded(district: Any) -> Any:
    """Unions founded around 2023 in both streets."""
    a, F = district.admin, district
    F.a_first = f.make_union(a, F.A, UnionKind.COMMUNITY, founded_on=D(2023, 1, 1))
    F.a_last = f.make_union(
        a, F.A1, UnionKind.JOINT, joint_kind=JointKind.TRADE, founded_on=D(2023, 12, 31)
    )
    F.a_before = f.make_union(a, F.A, UnionKind.COMMUNITY, founded_on=D(2022, 12, 31))
    F.a_undated = f.make_union(a, F.A, UnionKind.COMMUNITY, founded_on=None)
    F.b_mid = f.make_union(a, F.B1, UnionKind.ENTERPRISE, founded_on=D(2023, 6, 1))
    F.b_after = f.make_union(a, F.B, UnionKind.COMMUNITY, founded_on=D(2024, 1, 1))
    return F


def test_unions_founded_counts_the_year_inclusive_of_both_ends(founded):
    result = figure("org.unions_founded", founded.F)

    assert result.value == 3
    assert set(result.records) == {founded.a_first, founded.a_last, founded.b_mid}


def test_unions_founded_for_a_street_counts_its_subtree_only(founded):
    street_a = figure("org.unions_founded", founded.A)
    street_b = figure("org.unions_founded", founded.B)

    assert (street_a.value, set(street_a.records)) == (2, {founded.a_first, founded.a_last})
    assert (street_b.value, set(street_b.records)) == (1, {founded.b_mid})


def test_unions_founded_in_neighbouring_years(founded):
    assert set(figure("org.unions_founded", founded.F, 2022).records) == {founded.a_before}
    assert set(figure("org.unions_founded", founded.F, 2024).records) == {founded.b_after}


def test_unions_founded_includes_the_scope_union_itself(founded):
    result = figure("org.unions_founded", founded.a_last)

    assert (result.value, list(result.records)) == (1, [founded.a_last])


# --- org.enterprises_covered_new -----------------------------------------------------------


@pytest.fixture
def covered(district: Any) -> Any:
    """e1 covered first by a new enterprise union, then by a new joint union (twice, one
    enterprise); e2 through the new joint union only; e3 by an old joint union; e4 by a new
    union of street B."""
    a, F = district.admin, district
    new_ent = f.make_union(a, F.A1, UnionKind.ENTERPRISE, founded_on=D(2023, 3, 1))
    new_joint = f.make_union(
        a, F.A1, UnionKind.JOINT, joint_kind=JointKind.AREA, founded_on=D(2023, 12, 31)
    )
    old_joint = f.make_union(
        a, F.A1, UnionKind.JOINT, joint_kind=JointKind.TRADE, founded_on=D(2015, 1, 1)
    )
    new_b = f.make_union(a, F.B1, UnionKind.ENTERPRISE, founded_on=D(2023, 1, 1))
    F.e1, F.e2, F.e3 = (f.make_enterprise(a, F.A1) for _ in range(3))
    F.e4 = f.make_enterprise(a, F.B1)
    org.coverage_start(actor=a, union=new_ent, enterprise=F.e1, on=D(2023, 3, 1))
    org.coverage_start(actor=a, union=new_joint, enterprise=F.e1, on=D(2023, 12, 31))
    org.coverage_start(actor=a, union=new_joint, enterprise=F.e2, on=D(2023, 12, 31))
    org.coverage_start(actor=a, union=old_joint, enterprise=F.e3, on=D(2016, 1, 1))
    org.coverage_start(actor=a, union=new_b, enterprise=F.e4, on=D(2023, 1, 1))
    return F


def test_enterprises_covered_new_counts_each_enterprise_once(covered):
    result = figure("org.enterprises_covered_new", covered.F)

    assert result.value == 3
    assert list(result.records.order_by("pk")) == [covered.e1, covered.e2, covered.e4]
    assert result.records.count() == result.value


def test_enterprises_covered_new_for_a_street_counts_its_new_unions_only(covered):
    street_a = figure("org.enterprises_covered_new", covered.A)
    street_b = figure("org.enterprises_covered_new", covered.B)

    assert (street_a.value, set(street_a.records)) == (2, {covered.e1, covered.e2})
    assert (street_b.value, set(street_b.records)) == (1, {covered.e4})


def test_enterprises_covered_new_ignores_unions_founded_in_other_years(covered):
    assert figure("org.enterprises_covered_new", covered.F, 2024).value == 0


def test_enterprises_covered_new_counts_coverage_begun_by_the_end_of_the_year(covered):
    # old_joint was founded in 2015 but began covering e3 in 2016: a past year's figure does
    # not grow with what happened after it.
    assert figure("org.enterprises_covered_new", covered.F, 2015).value == 0


# --- org.members_joined --------------------------------------------------------------------


@pytest.fixture
def joined(district: Any) -> Any:
    a, F = district.admin, district
    F.first = f.make_person(a, F.A1, joined=D(2023, 1, 1))
    F.last = f.make_person(a, F.EB, joined=D(2023, 12, 31))
    f.make_person(a, F.A1, joined=D(2022, 12, 31))
    f.make_person(a, F.EB, joined=D(2024, 1, 1))
    mover = f.make_person(a, F.B1, joined=D(2020, 1, 1))
    ms.membership_transfer(
        actor=a, membership=mover.memberships.get(), to_union=F.EA, on=D(2023, 6, 1)
    )
    return F


def test_members_joined_counts_joins_in_the_year_not_transfers(joined):
    result = figure("org.members_joined", joined.F)

    assert result.value == 2
    assert {m.person for m in result.records} == {joined.first, joined.last}


def test_members_joined_for_a_street(joined):
    street_a = figure("org.members_joined", joined.A)
    street_b = figure("org.members_joined", joined.B)

    assert (street_a.value, [m.person for m in street_a.records]) == (1, [joined.first])
    assert (street_b.value, [m.person for m in street_b.records]) == (1, [joined.last])


# --- org.staff_recruited / org.fulltime_staff_total ---------------------------------------


def appoint(district: Any, union: Any, on: D, *, person: Any = None, **kw: Any) -> Any:
    return org.cadre_appoint(
        actor=district.admin,
        union=union,
        person=person or f.make_person(district.admin, union),
        position=kw.pop("position", CadrePosition.FULL_TIME_WORKER),
        appointed_on=on,
        full_time=kw.pop("full_time", True),
        **kw,
    )


def test_staff_recruited_counts_full_time_exam_recruits_appointed_in_the_year(district):
    first = appoint(district, district.A1, D(2023, 1, 1), recruited_by_exam=True)
    appoint(
        district,
        district.A1,
        D(2023, 6, 1),
        person=first.person,
        position=CadrePosition.VICE_CHAIR,
        recruited_by_exam=True,
    )
    last = appoint(district, district.EB, D(2023, 12, 31), recruited_by_exam=True)
    appoint(district, district.A1, D(2022, 12, 31), recruited_by_exam=True)
    appoint(district, district.A1, D(2024, 1, 1), recruited_by_exam=True)
    appoint(district, district.A1, D(2023, 5, 1))  # full-time, not by exam
    appoint(district, district.A1, D(2023, 5, 1), full_time=False, recruited_by_exam=True)

    everyone = figure("org.staff_recruited", district.F)
    street_a = figure("org.staff_recruited", district.A)

    assert everyone.value == 2  # one person with two posts counts once
    assert {c.person for c in everyone.records} == {first.person, last.person}
    assert everyone.records.count() == 3
    assert street_a.value == 1
    assert {c.person for c in street_a.records} == {first.person}


def test_fulltime_staff_total_counts_those_in_post_on_31_december(district):
    in_post = appoint(district, district.A1, D(2020, 1, 1))
    ends_on_31_dec = appoint(district, district.A1, D(2020, 1, 1))
    org.cadre_end(actor=district.admin, cadre=ends_on_31_dec, on=D(2023, 12, 31))
    ends_next_year = appoint(district, district.EB, D(2020, 1, 1))
    org.cadre_end(actor=district.admin, cadre=ends_next_year, on=D(2024, 1, 1))
    appointed_31_dec = appoint(district, district.EA, D(2023, 12, 31))
    appoint(district, district.A1, D(2024, 1, 1))
    appoint(district, district.A1, D(2020, 1, 1), full_time=False)
    appoint(
        district,
        district.EA,
        D(2021, 1, 1),
        person=in_post.person,
        position=CadrePosition.CHAIR,
    )

    everyone = figure("org.fulltime_staff_total", district.F)
    street_a = figure("org.fulltime_staff_total", district.A)
    street_b = figure("org.fulltime_staff_total", district.B)

    expected = {in_post.person, ends_next_year.person, appointed_31_dec.person}
    assert everyone.value == 3
    assert {c.person for c in everyone.records} == expected
    assert ends_on_31_dec not in everyone.records
    assert street_a.value == 2
    assert {c.person for c in street_a.records} == {in_post.person, appointed_31_dec.person}
    assert street_b.value == 1
    assert figure("org.fulltime_staff_total", district.F, 2022).value == 3  # before the ends


# --- the annual_report command -------------------------------------------------------------


def report_csv(*args: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("annual_report", "--year", str(YEAR), "--format", "csv", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_annual_report_csv_has_every_catalogue_figure(founded):
    rows = report_csv()

    assert rows[0] == ["id", "value"]
    assert len(rows) == len(catalogue()) + 1
    assert [r[0] for r in rows[1:]] == [e.id for e in catalogue()]
    values = dict(rows[1:])
    for metric_id, value in values.items():
        if metric_id in implemented():
            assert value != "", metric_id
        else:
            assert value == "", f"{metric_id} is not computed yet but has {value!r}"
    assert values["org.unions_founded"] == "3"
    assert values["org.members_joined"] == "0"


def test_annual_report_for_a_street_by_code(founded):
    values = dict(report_csv("--union", "ST-A")[1:])

    assert values["org.unions_founded"] == "2"


def test_annual_report_unknown_union_code_is_a_command_error(district):
    with pytest.raises(CommandError, match="NO-SUCH"):
        call_command(
            "annual_report", "--year", str(YEAR), "--union", "NO-SUCH", stdout=io.StringIO()
        )


def test_annual_report_text_format_lists_every_figure(founded):
    out = io.StringIO()
    call_command("annual_report", "--year", str(YEAR), stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == len(catalogue())
    first = lines[0].split()
    assert first[:2] == ["org.unions_founded", "3"]
