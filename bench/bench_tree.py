"""The folding union tree on 10,000 unions: its first page and the unfolding of one union.

Figures (``bench <name> <value> <unit>``):

- ``tree_first_page_ms``: median of 7 ``GET /admin/tree/`` as the federation's admin (the
  federation and its 20 street federations, with the registered counters and the children
  counts), after one warm-up request.
- ``tree_children_ms``: median of 7 ``GET /admin/tree/<id>/children/`` of a community union
  (about 24 enterprise unions) and of a street federation (20 communities), alternately.
- ``tree_search_ms`` (stderr only): median of 7 searches by part of a name.

Set-up, not measured: on its own scratch database (``gonghui_bench_tree`` unless
``BENCH_DATABASE`` says otherwise: other benchmarks may be running on ``gonghui_bench``), a
federation, 20 street federations, 400 community unions and 9,579 enterprise unions (10,000 in
all) inserted in bulk with their materialized paths, as the service would give them; 100,000
people with a membership each in the enterprise unions (bulk, plain placeholder identifiers:
the tree reads only the memberships), and one covered enterprise per community, so the
member and coverage counters have rows to count.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

os.environ.setdefault("BENCH_DATABASE", "gonghui_bench_tree")

from _common import emit, fresh_database, note

STREETS = 20
COMMUNITIES = 20  # per street
UNIONS = 10_000
PEOPLE = 100_000
RUNS = 7


def _seg(n: int) -> str:
    return f"{n:04d}"


def build() -> dict[str, Any]:
    """Insert the tree (and members) in bulk; return the ids the measures use."""
    import datetime as dt

    from gonghui.accounts.models import User
    from gonghui.membership.models import Membership, Person
    from gonghui.organisation.models import Coverage, Enterprise, Union, UnionKind

    founded = dt.date(2000, 1, 1)
    fed = Union.objects.create(
        name="基准区总工会", code="FED", kind=UnionKind.FEDERATION, path=_seg(1), depth=0
    )
    streets = Union.objects.bulk_create(
        Union(
            name=f"第{s}街道总工会",
            code=f"ST{s:02d}",
            kind=UnionKind.STREET_FEDERATION,
            parent=fed,
            path=f"{fed.path}.{_seg(s)}",
            depth=1,
            founded_on=founded,
        )
        for s in range(1, STREETS + 1)
    )
    communities = Union.objects.bulk_create(
        Union(
            name=f"第{s}街道第{c}社区工会",
            code=f"CM{s:02d}{c:02d}",
            kind=UnionKind.COMMUNITY,
            parent=street,
            path=f"{street.path}.{_seg(c)}",
            depth=2,
            founded_on=founded,
        )
        for s, street in enumerate(streets, 1)
        for c in range(1, COMMUNITIES + 1)
    )
    left = UNIONS - 1 - len(streets) - len(communities)
    enterprises: list[Union] = []
    for i in range(left):
        community = communities[i % len(communities)]
        n = i // len(communities) + 1
        enterprises.append(
            Union(
                name=f"{community.name}第{n}企业工会",
                code=f"EN{i:05d}",
                kind=UnionKind.ENTERPRISE,
                parent=community,
                path=f"{community.path}.{_seg(n)}",
                depth=3,
                founded_on=founded,
            )
        )
    enterprises = Union.objects.bulk_create(enterprises, batch_size=2000)
    assert Union.objects.count() == UNIONS
    people = Person.objects.bulk_create(
        (
            Person(
                union=enterprises[i % len(enterprises)],
                name=f"职工{i}",
                ric_hash=f"bench-{i}",
                ric_encrypted="-",
                ric_masked="-",
                gender="M",
                birth_date=dt.date(1980, 1, 1),
            )
            for i in range(PEOPLE)
        ),
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        (
            Membership(person=p, union_id=p.union_id, started_on=founded, start_reason="joined")
            for p in people
        ),
        batch_size=5000,
    )
    firms = Enterprise.objects.bulk_create(
        Enterprise(name=f"基准企业{i}", uscc=f"BENCH{i:013d}", union=c, industry="C")
        for i, c in enumerate(communities)
    )
    Coverage.objects.bulk_create(
        Coverage(union=c, enterprise=e, started_on=founded)
        for c, e in zip(communities, firms, strict=True)
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = User.objects.create_superuser("bench_admin", password="x")  # noqa: S106
    return {"admin": admin, "community": communities[0].pk, "street": streets[0].pk}


def _median_ms(fn: Any) -> float:
    fn()  # warm-up
    times = []
    for _n in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> None:
    fresh_database()
    from django.test import Client
    from django.urls import reverse

    started = time.perf_counter()
    ids = build()
    note(f"built {UNIONS} unions and {PEOPLE} members in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(ids["admin"])

    def first_page() -> None:
        response = client.get(reverse("admin:union_tree"))
        assert response.status_code == 200
        assert len(response.context_data["nodes"]) == 1 + STREETS

    toggle = iter(range(10_000))

    def children() -> None:
        pk = ids["community"] if next(toggle) % 2 else ids["street"]
        response = client.get(reverse("admin:union_tree_children", args=[pk]))
        assert response.status_code == 200
        assert response.context_data["nodes"]

    def search() -> None:
        response = client.get(reverse("admin:union_tree"), {"q": "第7社区工会第3"})
        assert response.status_code == 200
        assert response.context_data["matches"]

    emit("tree_first_page_ms", _median_ms(first_page), "ms")
    emit("tree_children_ms", _median_ms(children), "ms")
    note(f"tree_search_ms {_median_ms(search):.2f} ms")


if __name__ == "__main__":
    run()
