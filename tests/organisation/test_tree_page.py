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
