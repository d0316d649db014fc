"""Behaviour of the membership selectors: who is a member on a day, who joined, who is found."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from stdnum.cn.ric import calc_check_digit as ric_check

from gonghui.core.errors import CoreError, DomainError
from gonghui.core.metrics import Period
from gonghui.core.scope import SYSTEM
from gonghui.membership import services as ms
from gonghui.membership.selectors import (
    members_joined,
    members_on,
    person_get,
    person_list,
)
from tests import factories as f

D = dt.date


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The district fixture creates six accounts; Argon2 would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ric_of(region: str, born: D, order: int) -> str:
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + ric_check(body + "0")


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def count_on(district: Any, union: Any, day: D, actor: Any = None) -> int:
    return members_on(actor=actor or district.admin, union=union, on=day).count()


# --- members_on -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2022, 2, 28), 0),
        (D(2022, 3, 1), 1),  # started_on is inside
        (D(2022, 8, 31), 1),
        (D(2022, 9, 1), 0),  # ended_on is outside
    ],
)
def test_members_on_is_half_open_at_both_boundaries(district, day, expected):
    person = f.make_person(district.admin, district.A1, joined=D(2022, 3, 1))
    ms.membership_leave(actor=district.admin, membership=person.memberships.get(), on=D(2022, 9, 1))

    assert count_on(district, district.F, day) == expected
    assert count_on(district, district.A1, day) == expected


def test_members_on_around_a_transfer_counts_each_union_on_its_side(district):
    person = f.make_person(district.admin, district.A1, joined=D(2022, 3, 1))
    ms.membership_transfer(
        actor=district.admin,
        membership=person.memberships.get(),
        to_union=district.EB,
        on=D(2022, 6, 1),
    )

    assert (
        count_on(district, district.A, D(2022, 5, 31)),
        count_on(district, district.B, D(2022, 5, 31)),
    ) == (1, 0)
    assert (
        count_on(district, district.A, D(2022, 6, 1)),
        count_on(district, district.B, D(2022, 6, 1)),
    ) == (0, 1)
    for day in (D(2022, 3, 1), D(2022, 5, 31), D(2022, 6, 1), D(2030, 1, 1)):
        assert count_on(district, district.F, day) == 1


def test_members_on_counts_the_subtree_of_the_union(district):
    for union in (district.A, district.A1, district.EA, district.B1):
        f.make_person(district.admin, union, joined=D(2020, 1, 1))

    day = D(2021, 1, 1)
    assert count_on(district, district.F, day) == 4
    assert count_on(district, district.A, day) == 3
    assert count_on(district, district.A1, day) == 2
    assert count_on(district, district.EA, day) == 1
    assert count_on(district, district.B, day) == 1


def test_members_on_is_limited_to_the_actor_scope(district):
    f.make_person(district.admin, district.A1, joined=D(2020, 1, 1))
    f.make_person(district.admin, district.B1, joined=D(2020, 1, 1))

    day = D(2021, 1, 1)
    assert count_on(district, district.F, day, actor=district.cadre_a) == 1
    assert count_on(district, district.F, day, actor=district.leader) == 2
    assert count_on(district, district.B, day, actor=district.cadre_a) == 0


# --- members_joined -------------------------------------------------------------------------


def test_members_joined_counts_joins_on_both_year_boundaries_only(district):
    a = district.admin
    inside = [
        f.make_person(a, district.A1, joined=D(2022, 1, 1)),
        f.make_person(a, district.EA, joined=D(2022, 12, 31)),
    ]
    f.make_person(a, district.A1, joined=D(2021, 12, 31))
    f.make_person(a, district.A1, joined=D(2023, 1, 1))

    joined = members_joined(actor=SYSTEM, union=district.F, period=Period.of(2022))

    assert {m.person for m in joined} == set(inside)


def test_members_joined_ignores_transfers_and_counts_rejoining(district):
    a = district.admin
    mover = f.make_person(a, district.A1, joined=D(2021, 6, 1))
    ms.membership_transfer(
        actor=a, membership=mover.memberships.get(), to_union=district.EA, on=D(2022, 2, 1)
    )
    back = f.make_person(a, district.A1, joined=D(2021, 6, 1))
    ms.membership_leave(actor=a, membership=back.memberships.get(), on=D(2022, 2, 1))
    ms.membership_join(actor=a, person=back, union=district.A1, on=D(2022, 8, 1))

    joined = members_joined(actor=SYSTEM, union=district.F, period=Period.of(2022))

    assert [(m.person, m.started_on) for m in joined] == [(back, D(2022, 8, 1))]
    assert members_joined(actor=SYSTEM, union=district.F, period=Period.of(2021)).count() == 2


def test_members_joined_is_limited_to_subtree_and_actor_scope(district):
    a = district.admin
    f.make_person(a, district.A1, joined=D(2022, 5, 1))
    f.make_person(a, district.EB, joined=D(2022, 5, 1))

    assert members_joined(actor=SYSTEM, union=district.A, period=Period.of(2022)).count() == 1
    assert members_joined(actor=SYSTEM, union=district.F, period=Period.of(2022)).count() == 2
    assert (
        members_joined(actor=district.cadre_b, union=district.F, period=Period.of(2022)).count()
        == 1
    )


# --- person_list: search --------------------------------------------------------------------


@pytest.fixture
def people(district: Any) -> Any:
    a = district.admin
    district.zhang = ms.person_create(
        actor=a, union=district.A1, name="张伟", ric=ric_of("330104", D(1990, 1, 1), 123)
    )
    x_ric = next(r for n in range(1000) if (r := ric_of("110105", D(1970, 3, 8), n)).endswith("X"))
    district.wang = ms.person_create(actor=a, union=district.A1, name="王伟", ric=x_ric)
    district.li = ms.person_create(
        actor=a, union=district.B1, name="李娜", ric=ric_of("330104", D(1992, 2, 2), 456)
    )
    return district


def names(qs: Any) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_person_list_search_by_name_part(people):
    assert names(person_list(actor=people.admin, search="伟")) == {"张伟", "王伟"}
    assert names(person_list(actor=people.admin, search=" 李娜 ")) == {"李娜"}
    assert names(person_list(actor=people.admin, search="赵")) == set()


@pytest.mark.parametrize(
    "spelling",
    [
        lambda r: r,
        lambda r: r.lower(),
        full_width,
        lambda r: f"{r[:6]} {r[6:14]} {r[14:]}",
    ],
    ids=["canonical", "lower-case", "full-width", "spaced"],
)
def test_person_list_search_by_full_id_number_in_any_accepted_form(people, spelling):
    from gonghui.core import pii

    ric = pii.decrypt(people.wang.ric_encrypted)

    assert list(person_list(actor=people.admin, search=spelling(ric))) == [people.wang]


def test_person_list_search_by_fifteen_digit_legacy_number(people):
    assert list(person_list(actor=people.admin, search="330104900101123")) == [people.zhang]


def test_person_list_search_by_partial_id_number_finds_nobody(people):
    assert not person_list(actor=people.admin, search="330104").exists()
    assert not person_list(actor=people.admin, search="3301041990010112").exists()


def test_person_list_search_by_id_number_stays_in_scope(people):
    ric = ric_of("330104", D(1992, 2, 2), 456)

    assert not person_list(actor=people.cadre_a, search=ric).exists()
    assert list(person_list(actor=people.cadre_b, search=ric)) == [people.li]


# --- person_list: scope ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("root", {"张伟", "王伟", "李娜"}),
        ("admin", {"张伟", "王伟", "李娜"}),
        ("leader", {"张伟", "王伟", "李娜"}),
        ("cadre_a", {"张伟", "王伟"}),
        ("evaluator", {"张伟", "王伟"}),
        ("cadre_b", {"李娜"}),
    ],
)
def test_person_list_scope_per_role(people, who, expected):
    assert names(person_list(actor=getattr(people, who))) == expected


def test_person_list_for_worker_is_empty(people):
    worker = f.make_user(people.root, f.ROLE.WORKER, None)

    assert not person_list(actor=worker).exists()


def test_person_list_follows_the_person_through_a_transfer(people):
    m = ms.membership_join(
        actor=people.admin, person=people.zhang, union=people.A1, on=D(2020, 1, 1)
    )
    ms.membership_transfer(actor=people.admin, membership=m, to_union=people.EB, on=D(2021, 1, 1))

    assert "张伟" not in names(person_list(actor=people.cadre_a))
    assert "张伟" in names(person_list(actor=people.cadre_b))


def test_person_get_outside_scope_looks_like_missing(people):
    with pytest.raises(DomainError) as outside:
        person_get(actor=people.cadre_a, id=people.li.pk)
    with pytest.raises(DomainError) as missing:
        person_get(actor=people.cadre_a, id=999_999)

    assert outside.value.code == missing.value.code == CoreError.NOT_FOUND
    assert str(outside.value.message) == str(missing.value.message)


def test_person_list_reads_union_and_employer_without_extra_queries(
    people, django_assert_num_queries
):
    for _ in range(5):
        f.make_person(people.admin, people.A1, employer=people.ent_a)
    actor = people.admin
    list(person_list(actor=actor)[:1])  # warm the actor's scope cache

    with django_assert_num_queries(1):
        rows = [(p.union.name, p.employer and p.employer.name) for p in person_list(actor=actor)]

    assert len(rows) == 8
