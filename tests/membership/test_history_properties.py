"""Property: any sequence of join / transfer / leave keeps a person's history consistent.

Operations are drawn at random (many are refused); each one is also applied to a plain
model of the rules, and the database must agree with that model afterwards. Each example
runs in a savepoint that is rolled back, so examples do not see each other's data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.errors import DomainError
from gonghui.core.metrics import Period
from gonghui.core.scope import SYSTEM
from gonghui.membership import services as ms
from gonghui.membership.models import Membership, Person, StartReason
from gonghui.membership.selectors import members_joined, members_on
from gonghui.organisation.models import UnionKind
from gonghui.organisation.services import union_dissolve
from tests import factories as f

BASE = dt.date(2022, 1, 1)
SPAN = 25  # operations fall on BASE .. BASE + SPAN
LATE_FOUNDED = BASE + dt.timedelta(days=10)
GONE_DISSOLVED = BASE + dt.timedelta(days=20)
PEOPLE = 2


@pytest.fixture(autouse=True)
def fast_password_hashing() -> Any:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@dataclass
class World:
    actor: Any
    root: Any
    street_a: Any
    unions: list[Any]
    people: list[Any]


@pytest.fixture
def world(district: Any) -> World:
    """Unions to move between, one founded and one dissolved inside the span, two people."""
    a = district.admin
    late = f.make_union(a, district.A1, UnionKind.ENTERPRISE, founded_on=LATE_FOUNDED)
    gone = f.make_union(a, district.B1, UnionKind.ENTERPRISE)
    union_dissolve(actor=a, union=gone, on=GONE_DISSOLVED, reason="关停")
    gone.refresh_from_db()
    return World(
        actor=a,
        root=district.F,
        street_a=district.A,
        unions=[district.F, district.A1, district.EA, district.B1, district.EB, late, gone],
        people=[f.make_person(a, district.A1) for _ in range(PEOPLE)],
    )


@dataclass
class Stretch:
    union: int
    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


@dataclass
class Model:
    """The rules, written out plainly, over the operations that succeed."""

    stretches: dict[int, list[Stretch]] = field(default_factory=dict)
    joins: int = 0

    def history(self, p: int) -> list[Stretch]:
        return self.stretches.setdefault(p, [])

    def open(self, p: int) -> Stretch | None:
        h = self.history(p)
        return h[-1] if h and h[-1].end is None else None

    def join_ok(self, p: int, union: Any, day: dt.date) -> bool:
        return (
            union.dissolved_on is None
            and union.is_active_on(day)
            and self.open(p) is None
            and all(s.end is not None and s.end <= day for s in self.history(p))
        )

    def transfer_ok(self, p: int, u: int, union: Any, day: dt.date) -> bool:
        cur = self.open(p)
        return (
            cur is not None
            and cur.union != u
            and day >= cur.start
            and union.dissolved_on is None
            and union.is_active_on(day)
        )

    def leave_ok(self, p: int, day: dt.date) -> bool:
        cur = self.open(p)
        return cur is not None and day >= cur.start


operations = st.lists(
    st.tuples(
        # Joins are drawn twice as often: most refusals need a history to be refused by.
        st.sampled_from(["join", "join", "transfer", "leave"]),
        st.integers(0, PEOPLE - 1),
        st.integers(0, 6),
        # Few distinct days, around the founding (10) and dissolution (20) dates, so that
        # same-day and out-of-order operations come up often.
        st.sampled_from([0, 5, 9, 10, 15, 19, 20, 25]),
    ),
    min_size=8,
    max_size=30,
)


def latest_membership(person: Any) -> Membership | None:
    return person.memberships.order_by("-started_on", "-id").first()


def apply(world: World, model: Model, op: tuple[str, int, int, int]) -> None:
    kind, p, u, offset = op
    person, union, day = world.people[p], world.unions[u], BASE + dt.timedelta(days=offset)
    current = latest_membership(person)
    if kind != "join" and current is None:
        return  # nothing to transfer or end
    expected = {
        "join": lambda: model.join_ok(p, union, day),
        "transfer": lambda: model.transfer_ok(p, u, union, day),
        "leave": lambda: model.leave_ok(p, day),
    }[kind]()
    before = list(Membership.objects.order_by("id").values())
    try:
        if kind == "join":
            ms.membership_join(actor=world.actor, person=person, union=union, on=day)
        elif kind == "transfer":
            ms.membership_transfer(actor=world.actor, membership=current, to_union=union, on=day)
        else:
            ms.membership_leave(actor=world.actor, membership=current, on=day)
    except DomainError:
        assert not expected, f"{op} was refused but the rules allow it"
        assert list(Membership.objects.order_by("id").values()) == before, "a refusal wrote"
        return
    assert expected, f"{op} was accepted but the rules refuse it"
    if kind != "join":
        model.open(p).end = day  # type: ignore[union-attr]
    if kind != "leave":
        model.history(p).append(Stretch(u, day))
        model.joins += kind == "join"


def check_invariants(world: World, model: Model) -> None:
    union_index = {union.pk: i for i, union in enumerate(world.unions)}
    days = [BASE + dt.timedelta(days=d) for d in range(-1, SPAN + 2)]
    for p, person in enumerate(world.people):
        rows = list(person.memberships.order_by("started_on", "id"))
        # At most one open membership.
        assert sum(m.ended_on is None for m in rows) <= 1
        # Stretches never overlap: each ends no later than the next begins.
        for prev, nxt in itertools.pairwise(rows):
            assert prev.ended_on is not None
            assert prev.ended_on <= nxt.started_on
        # On any day, a member of at most one union.
        for day in days:
            assert len({m.union_id for m in rows if m.covers(day)}) <= 1
        # The database holds exactly the modelled history.
        assert [(union_index[m.union_id], m.started_on, m.ended_on) for m in rows] == [
            (s.union, s.start, s.end) for s in model.history(p)
        ]
        # The person's record is kept by the union of the latest stretch.
        if model.history(p):
            union = world.unions[model.history(p)[-1].union]
            assert Person.objects.get(pk=person.pk).union_id == union.pk
    street_a = {i for i, u in enumerate(world.unions) if u.path.startswith(world.street_a.path)}
    for day in days:
        covering = [s for h in model.stretches.values() for s in h if s.covers(day)]
        assert members_on(actor=world.actor, union=world.root, on=day).count() == len(covering)
        assert members_on(actor=world.actor, union=world.street_a, on=day).count() == len(
            [s for s in covering if s.union in street_a]
        )
    joined = members_joined(actor=SYSTEM, union=world.root, period=Period.of(BASE.year))
    assert joined.count() == model.joins
    assert all(m.start_reason == StartReason.JOINED for m in joined)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_membership_history_stays_consistent_for_any_operation_sequence(world, ops):
    with transaction.atomic():
        model = Model()
        for op in ops:
            apply(world, model, op)
        check_invariants(world, model)
        transaction.set_rollback(True)
