"""Behaviour of the organisation selectors: the counted tree and what each role may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from gonghui.accounts.services import grant_role
from gonghui.core.errors import CoreError, DomainError
from gonghui.membership import services as ms
from gonghui.organisation import selectors as sel
from gonghui.organisation.models import UnionKind
from tests import factories as f

D = dt.date
ALL_CODES = {"FED", "ST-A", "CM-A1", "EN-A", "ST-B", "CM-B1", "EN-B"}
STREET_A = {"ST-A", "CM-A1", "EN-A"}
STREET_B = {"ST-B", "CM-B1", "EN-B"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The district fixture creates six accounts; Argon2 would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def codes(qs: Any) -> set[str]:
    return set(qs.values_list("code", flat=True))


def by_code(nodes: list[Any]) -> dict[str, Any]:
    return {n.union.code: n for n in nodes}


@pytest.fixture
def members(district: Any) -> Any:
    """Members around 30 June 2022:

    A1: p1 (since 2020), p2 (left on 30 June 2022); EA: p3 (joined on 30 June 2022);
    B1 → EB: p4 (transferred on 1 Jan 2022); F itself: p5.
    """
    a = district.admin
    f.make_person(a, district.A1, joined=D(2020, 1, 1))
    p2 = f.make_person(a, district.A1, joined=D(2020, 1, 1))
    ms.membership_leave(actor=a, membership=p2.memberships.get(), on=D(2022, 6, 30))
    f.make_person(a, district.EA, joined=D(2022, 6, 30))
    p4 = f.make_person(a, district.B1, joined=D(2020, 1, 1))
    ms.membership_transfer(
        actor=a, membership=p4.memberships.get(), to_union=district.EB, on=D(2022, 1, 1)
    )
    f.make_person(a, district.F, joined=D(2020, 1, 1))
    return district


# --- union_tree -----------------------------------------------------------------------------


def test_union_tree_counts_own_and_subtree_members_on_the_day(members):
    tree = by_code(sel.union_tree(actor=members.admin, on=D(2022, 6, 30)))

    own = {code: n.own["members"] for code, n in tree.items()}
    total = {code: n.total["members"] for code, n in tree.items()}
    assert own == {
        "FED": 1,
        "ST-A": 0,
        "CM-A1": 1,
        "EN-A": 1,
        "ST-B": 0,
        "CM-B1": 0,
        "EN-B": 1,
    }
    assert total == {
        "FED": 4,
        "ST-A": 2,
        "CM-A1": 2,
        "EN-A": 1,
        "ST-B": 1,
        "CM-B1": 1,
        "EN-B": 1,
    }


def test_union_tree_counts_on_the_day_before(members):
    tree = by_code(sel.union_tree(actor=members.admin, on=D(2022, 6, 29)))

    assert tree["CM-A1"].own["members"] == 2  # p2 still a member, p3 not yet
    assert tree["EN-A"].own["members"] == 0
    assert tree["ST-A"].total["members"] == 2
    assert tree["FED"].total["members"] == 4


def test_union_tree_counts_transfer_in_receiving_union_only(members):
    before = by_code(sel.union_tree(actor=members.admin, on=D(2021, 12, 31)))
    after = by_code(sel.union_tree(actor=members.admin, on=D(2022, 1, 1)))

    assert (before["CM-B1"].own["members"], before["EN-B"].own["members"]) == (1, 0)
    assert (after["CM-B1"].own["members"], after["EN-B"].own["members"]) == (0, 1)
    assert before["ST-B"].total["members"] == after["ST-B"].total["members"] == 1


def test_union_tree_is_in_path_order_with_levels(members):
    nodes = sel.union_tree(actor=members.admin, on=D(2022, 6, 30))

    assert [n.union.path for n in nodes] == sorted(n.union.path for n in nodes)
    assert {n.union.code: n.level for n in nodes} == {
        "FED": 0,
        "ST-A": 1,
        "CM-A1": 2,
        "EN-A": 3,
        "ST-B": 1,
        "CM-B1": 2,
        "EN-B": 3,
    }


def test_union_tree_for_street_cadre_shows_own_subtree_from_level_zero(members):
    nodes = sel.union_tree(actor=members.cadre_a, on=D(2022, 6, 30))

    assert [(n.union.code, n.level, n.total["members"]) for n in nodes] == [
        ("ST-A", 0, 2),
        ("CM-A1", 1, 2),
        ("EN-A", 2, 1),
    ]


def test_union_tree_from_a_root_shows_that_subtree(members):
    nodes = sel.union_tree(actor=members.admin, on=D(2022, 6, 30), root=members.A1)

    assert [(n.union.code, n.own["members"], n.total["members"]) for n in nodes] == [
        ("CM-A1", 1, 2),
        ("EN-A", 1, 1),
    ]


def test_union_tree_counts_covered_enterprises(members):
    tree = by_code(sel.union_tree(actor=members.admin, on=D(2022, 6, 30)))

    assert tree["EN-A"].own["covered"] == 1
    assert tree["EN-B"].own["covered"] == 1
    assert tree["CM-A1"].own["covered"] == 0


def test_union_tree_query_count_does_not_grow_with_the_tree(members, django_assert_max_num_queries):
    a = members.admin
    for _ in range(5):
        community = f.make_union(a, members.A, UnionKind.COMMUNITY)
        for _ in range(3):
            f.make_person(a, community, joined=D(2021, 1, 1))

    with django_assert_max_num_queries(4):
        nodes = sel.union_tree(actor=a, on=D(2022, 6, 30))

    assert by_code(nodes)["FED"].total["members"] == 4 + 15


# --- union_list / union_get -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("root", ALL_CODES, ALL_CODES),
        ("admin", ALL_CODES, ALL_CODES),
        ("cadre_a", STREET_A, STREET_A),
        ("cadre_b", STREET_B, STREET_B),
        ("leader", ALL_CODES, set()),
        ("evaluator", STREET_A, set()),
    ],
)
def test_union_list_scope_per_role(district, who, read, write):
    actor = getattr(district, who)

    assert codes(sel.union_list(actor=actor)) == read
    assert codes(sel.union_list(actor=actor, mode="write")) == write


def test_union_list_for_worker_role_is_empty(district):
    worker = f.make_user(district.root, f.ROLE.WORKER, None)

    assert not sel.union_list(actor=worker).exists()


def test_union_list_for_anonymous_or_inactive_user_is_empty(district):
    district.cadre_a.is_active = False
    district.cadre_a.save()
    from gonghui.accounts.models import User

    inactive = User.objects.get(pk=district.cadre_a.pk)

    assert not sel.union_list(actor=AnonymousUser()).exists()
    assert not sel.union_list(actor=inactive).exists()


def test_union_list_of_cadre_with_two_grants_is_both_subtrees(district):
    user = f.make_user(district.root, f.ROLE.UNION_CADRE, district.A1)
    grant_role(actor=district.root, user=user, role=f.ROLE.UNION_CADRE, union=district.EB)

    assert codes(sel.union_list(actor=user)) == {"CM-A1", "EN-A", "EN-B"}


def test_union_get_outside_scope_looks_like_missing(district):
    with pytest.raises(DomainError) as outside:
        sel.union_get(actor=district.cadre_a, id=district.B.pk)
    with pytest.raises(DomainError) as missing:
        sel.union_get(actor=district.cadre_a, id=999_999)

    assert outside.value.code == missing.value.code == CoreError.NOT_FOUND
    assert str(outside.value.message) == str(missing.value.message)
    assert sel.union_get(actor=district.cadre_a, id=district.A1.pk) == district.A1


def test_union_roots_are_the_top_of_each_scope(district):
    assert list(sel.union_roots(actor=district.root)) == [district.F]
    assert list(sel.union_roots(actor=district.cadre_a)) == [district.A]


# --- enterprise_list ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "names"),
    [
        ("admin", {"甲企业有限公司", "乙企业有限公司"}),
        ("leader", {"甲企业有限公司", "乙企业有限公司"}),
        ("cadre_a", {"甲企业有限公司"}),
        ("evaluator", {"甲企业有限公司"}),
        ("cadre_b", {"乙企业有限公司"}),
    ],
)
def test_enterprise_list_scope_per_role(district, who, names):
    qs = sel.enterprise_list(actor=getattr(district, who))

    assert set(qs.values_list("name", flat=True)) == names


def test_enterprise_list_follows_the_area_union_not_the_covering_union(district):
    # An enterprise registered in street B but covered by a joint union of street A
    # is managed by B.
    from gonghui.organisation.services import coverage_start

    joint = f.make_union(district.admin, district.A1, UnionKind.JOINT, joint_kind="trade")
    ent = f.make_enterprise(district.admin, district.B1, name="丙企业")
    coverage_start(actor=district.admin, union=joint, enterprise=ent, on=D(2020, 1, 1))

    assert ent not in sel.enterprise_list(actor=district.cadre_a)
    assert ent in sel.enterprise_list(actor=district.cadre_b)


def test_enterprise_list_write_mode_is_empty_for_read_only_roles(district):
    assert not sel.enterprise_list(actor=district.leader, mode="write").exists()
    assert not sel.enterprise_list(actor=district.evaluator, mode="write").exists()


def test_enterprise_get_outside_scope_is_not_found(district):
    with pytest.raises(DomainError) as info:
        sel.enterprise_get(actor=district.cadre_a, id=district.ent_b.pk)

    assert info.value.code == CoreError.NOT_FOUND
    assert sel.enterprise_get(actor=district.cadre_b, id=district.ent_b.pk) == district.ent_b
