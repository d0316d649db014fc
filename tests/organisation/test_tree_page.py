"""The folding union tree: the first page shows the top two levels, a union's sub-unions come
from a scoped endpoint when it is unfolded, and a search by name or code shows the path to
each match."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.organisation import selectors as sel
from tests import factories as f

pytestmark = pytest.mark.django_db

TREE = reverse("admin:union_tree")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _children_url(union: Any) -> str:
    return reverse("admin:union_tree_children", args=[union.pk])


@pytest.fixture
def members(district: Any) -> Any:
    f.make_person(district.admin, district.A1, joined=dt.date(2014, 1, 1))
    f.make_person(district.admin, district.EA, joined=dt.date(2014, 1, 1))
    f.make_person(district.admin, district.EB, joined=dt.date(2014, 1, 1))
    return district


def test_first_page_shows_the_top_two_levels_with_subtree_counts(members: Any) -> None:
    d = members
    response = _client(d.admin).get(TREE)
    shown = {n.union.code: n for n in response.context_data["nodes"]}
    assert list(shown) == ["FED", "ST-A", "ST-B"]
    assert shown["FED"].total["members"] == 3
    assert shown["ST-A"].total["members"] == 2
    assert (shown["ST-A"].children, shown["FED"].children) == (1, 2)
    html = response.content.decode()
    assert _children_url(d.A) in html
    assert "甲一社区工会" not in html  # folded: loaded when street A is unfolded
    assert "organisation/tree.js" in html


def test_unfolding_a_union_returns_its_sub_unions_with_their_counts(members: Any) -> None:
    d = members
    response = _client(d.cadre_a).get(_children_url(d.A1), {"base": d.A.depth})
    nodes = response.context_data["nodes"]
    assert [(n.union.code, n.level, n.own["members"], n.total["members"]) for n in nodes] == [
        ("EN-A", 2, 1, 1)
    ]
    assert 'data-level="2"' in response.content.decode()


def test_a_cadre_cannot_unfold_another_streets_union_or_the_federation(members: Any) -> None:
    d = members
    client = _client(d.cadre_a)
    assert client.get(_children_url(d.B)).status_code == 404
    assert client.get(_children_url(d.B1)).status_code == 404
    assert client.get(_children_url(d.F)).status_code == 404
    assert client.get(TREE, {"root": d.B.pk}).status_code == 404


def test_a_cadre_sees_its_own_street_at_the_top(members: Any) -> None:
    d = members
    response = _client(d.cadre_a).get(TREE)
    assert [n.union.code for n in response.context_data["nodes"]] == ["ST-A", "CM-A1"]
    assert "乙" not in response.content.decode()


def test_search_by_name_or_code_shows_the_path_to_each_match(members: Any) -> None:
    d = members
    matches = sel.union_search(actor=d.admin, text="企业工会")
    assert [(m.union.code, [a.code for a in m.ancestors]) for m in matches] == [
        ("EN-A", ["FED", "ST-A", "CM-A1"]),
        ("EN-B", ["FED", "ST-B", "CM-B1"]),
    ]
    html = _client(d.admin).get(TREE, {"q": "cm-b"}).content.decode()
    assert "乙一社区工会" in html
    assert 'data-testid="tree-match"' in html


def test_search_stays_in_the_readers_scope(members: Any) -> None:
    d = members
    matches = sel.union_search(actor=d.cadre_a, text="工会")
    assert {m.union.code for m in matches} == {"ST-A", "CM-A1", "EN-A"}
    # The path starts at the top of the cadre's scope: the federation is not shown.
    assert [a.code for m in matches if m.union.code == "EN-A" for a in m.ancestors] == [
        "ST-A",
        "CM-A1",
    ]
    assert sel.union_search(actor=d.cadre_b, text="甲") == []


def test_tree_pages_cost_a_fixed_number_of_queries(
    members: Any, django_assert_max_num_queries: Any
) -> None:
    d = members
    for n in range(15):
        f.make_union(d.admin, d.A1, f.KIND.ENTERPRISE, f"加建企业工会{n}", code=f"X{n}")
    client = _client(d.admin)
    with django_assert_max_num_queries(20):
        assert client.get(TREE).status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(_children_url(d.A1))
    assert len(response.context_data["nodes"]) == 16


def _flat_members(actor: Any, union: Any, on: dt.date) -> tuple[int, int]:
    """A union's members on ``on`` counted plainly: its own, and its whole subtree's."""
    from gonghui.membership.selectors import members_on, membership_list, on_date_q

    own = membership_list(actor=actor).filter(on_date_q(on), union=union).count()
    return own, members_on(actor=actor, union=union, on=on).count()


@pytest.fixture
def deep(members: Any) -> Any:
    """More members at every depth of street A: on the street and the community themselves,
    in five enterprise unions of the community (one member gone since), and in an enterprise
    union straight under the street; street B keeps its one member."""
    d = members
    f.make_person(d.admin, d.A, joined=dt.date(2015, 1, 1))
    f.make_person(d.admin, d.A1, joined=dt.date(2015, 1, 1))
    for n in range(5):
        unit = f.make_union(d.admin, d.A1, f.KIND.ENTERPRISE, f"深层企业工会{n}", code=f"DP{n}")
        for _k in range(n + 1):
            f.make_person(d.admin, unit, joined=dt.date(2016, 1, 1))
    direct = f.make_union(d.admin, d.A, f.KIND.ENTERPRISE, "街道直属企业工会", code="DIRECT")
    f.make_person(d.admin, direct, joined=dt.date(2016, 1, 1))
    from gonghui.membership.models import Membership
    from gonghui.membership.services import membership_leave

    gone = Membership.objects.filter(union__code="DP4").first()
    assert gone is not None
    membership_leave(actor=d.admin, membership=gone, on=dt.date(2020, 1, 1))
    return d


@pytest.fixture(params=["per union", "one pass"])
def strategy(request: Any, monkeypatch: Any) -> str:
    """Both ways a counter counts: through the index per union (small subtrees) and in one
    pass over the records (subtrees that hold most of the tree)."""
    from gonghui.core import backoffice

    if request.param == "one pass":
        monkeypatch.setattr(backoffice, "ONE_PASS_ABOVE", 0)
    return str(request.param)


def test_counts_of_a_deep_subtree_equal_the_flat_count(deep: Any, strategy: str) -> None:
    d = deep
    on = dt.date(2024, 6, 30)
    client = _client(d.admin)
    shown = list(client.get(TREE, {"on": on.isoformat()}).context_data["nodes"])
    for parent in (d.A, d.A1, d.EA):
        response = client.get(_children_url(parent), {"on": on.isoformat()})
        shown += list(response.context_data["nodes"] or [])
    codes = {n.union.code for n in shown}
    assert {"FED", "ST-A", "ST-B", "CM-A1", "DIRECT", "DP0", "DP4", "EN-A"} <= codes
    for node in shown:
        expected = _flat_members(d.admin, node.union, on)
        assert (node.own["members"], node.total["members"]) == expected, node.union.code
    by_code = {n.union.code: n for n in shown}
    # 1 (A1) + 1 (EA) + 1 (A) + 1 (direct) + 1 + 2 + 3 + 4 + (5 - 1 gone) in A, 1 in B
    assert by_code["ST-A"].total["members"] == 19
    assert by_code["FED"].total["members"] == 20
    assert by_code["DP4"].total["members"] == 4
    # the union's own subtree counted as a deep subtree of the counter's query
    assert sel.tree_children(actor=d.admin, union=d.A1, on=on)[0].total["members"] == 1


def test_counter_asked_for_unions_of_several_depths_rolls_each_up(deep: Any, strategy: str) -> None:
    from gonghui.core.backoffice import union_counters

    d = deep
    on = dt.date(2024, 6, 30)
    members = next(c for c in union_counters() if c.key == "members")
    dp2 = sel.union_get_by_code(actor=d.admin, code="DP2")
    asked = [d.F, d.A1, dp2, d.B]
    counts = members.count(d.admin, on, [u.path for u in asked])
    for union in asked:
        own, total = _flat_members(d.admin, union, on)
        assert (counts.own[union.path], counts.total[union.path]) == (own, total), union.code
    whole = members.count(d.admin, on, None)
    assert whole.total[d.F.path] == 20
    assert whole.own[dp2.path] == 3


def test_a_cadres_counts_include_nothing_outside_its_street(deep: Any, strategy: str) -> None:
    from gonghui.core.backoffice import union_counters

    d = deep
    on = dt.date(2024, 6, 30)
    members = next(c for c in union_counters() if c.key == "members")
    # asked for the federation and the other street, the cadre's counter still counts only
    # what its scope holds: street A's members
    counts = members.count(d.cadre_a, on, [d.F.path, d.B.path, d.A.path])
    assert counts.total[d.F.path] == counts.total[d.A.path] == 19
    assert counts.total[d.B.path] == 0
    assert members.count(d.cadre_b, on, [d.F.path]).total[d.F.path] == 1
    nodes = _client(d.cadre_a).get(TREE, {"on": on.isoformat()}).context_data["nodes"]
    assert [(n.union.code, n.total["members"]) for n in nodes] == [
        ("ST-A", 19),
        ("CM-A1", 17),
        ("DIRECT", 1),
    ]


def test_the_coverage_counter_counts_each_unions_own_enterprises(
    members: Any, strategy: str
) -> None:
    from gonghui.core.backoffice import union_counters

    d = members
    covered = next(c for c in union_counters() if c.key == "covered")
    assert not covered.rolls_up
    counts = covered.count(d.admin, dt.date(2024, 1, 1), [d.EA.path, d.A1.path, d.EB.path])
    assert {p: n for p, n in counts.own.items()} == {d.EA.path: 1, d.A1.path: 0, d.EB.path: 1}
    assert covered.count(d.cadre_a, dt.date(2024, 1, 1), [d.EB.path]).own[d.EB.path] == 0
    assert covered.count(d.admin, dt.date(2009, 1, 1), [d.EA.path]).own[d.EA.path] == 0
