"""Real concurrent transactions on PostgreSQL: the tree lock and the ID-number uniqueness.

Each thread gets its own database connection (Django connections are per thread) and
closes it when done; a barrier releases all threads at once.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.db import connection

from gonghui.accounts.models import User
from gonghui.core.errors import DomainError
from gonghui.membership import services as membership_services
from gonghui.membership.errors import MembershipError
from gonghui.membership.models import Membership, Person
from gonghui.membership.services import person_create
from gonghui.organisation.models import Union, UnionKind
from gonghui.organisation.services import union_create
from tests import factories as f
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent transactions and advisory locks (PostgreSQL only)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_concurrent_union_create_under_same_parent_all_get_distinct_paths(district):
    n = 8
    actor_pk, parent_pk = district.admin.pk, district.A.pk

    def create(i: int) -> tuple[str, str]:
        actor = User.objects.get(pk=actor_pk)  # this thread's own objects and connection
        parent = Union.objects.get(pk=parent_pk)
        union = union_create(
            actor=actor,
            parent=parent,
            name=f"并发社区工会{i}",
            code=f"CC-{i}",
            kind=UnionKind.COMMUNITY,
        )
        return union.code, union.path

    results, errors = run_at_once(n, create)

    assert errors == []
    paths = [path for _, path in results]
    assert len(set(paths)) == n
    children = Union.objects.filter(parent=district.A).values_list("path", flat=True)
    assert sorted(children) == [f"{district.A.path}.{i:04d}" for i in range(1, n + 2)]


def test_concurrent_person_create_with_same_id_number_yields_one_person(district):
    ric = f.make_ric()
    actor_pk, union_pk = district.admin.pk, district.A1.pk
    spellings = [ric, ric.lower()]

    def create(i: int) -> int:
        actor = User.objects.get(pk=actor_pk)
        union = Union.objects.get(pk=union_pk)
        return person_create(actor=actor, union=union, name=f"并发{i}", ric=spellings[i]).pk

    results, errors = run_at_once(2, create)

    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert errors[0].code == MembershipError.DUPLICATE_PERSON
    assert Person.objects.count() == 1
    assert Person.objects.get().pk == results[0]


def test_concurrent_joins_of_one_person_leave_one_open_membership(district, monkeypatch):
    # Kept by B1 and joining elsewhere: whoever wins moves the person's record.
    person = f.make_person(district.admin, district.B1)
    actor_pk, person_pk = district.admin.pk, person.pk
    targets = [district.A1.pk, district.EA.pk, district.A.pk, district.EB.pk] * 2
    follow = membership_services._follow

    def slow_follow(*args: Any, **kwargs: Any) -> None:
        # Hold the winner's transaction open so the others are surely waiting on the lock.
        follow(*args, **kwargs)
        time.sleep(0.2)

    monkeypatch.setattr(membership_services, "_follow", slow_follow)

    def join(i: int) -> int:
        actor = User.objects.get(pk=actor_pk)
        return membership_services.membership_join(
            actor=actor,
            person=Person.objects.get(pk=person_pk),
            union=Union.objects.get(pk=targets[i]),
            on=dt.date(2022, 1, 1),
        ).pk

    results, errors = run_at_once(len(targets), join)

    assert [getattr(e, "code", repr(e)) for e in errors] == [MembershipError.ALREADY_MEMBER] * (
        len(targets) - 1
    )
    assert len(results) == 1
    open_ = Membership.objects.filter(person_id=person_pk, ended_on__isnull=True)
    assert list(open_.values_list("pk", flat=True)) == results
    assert Person.objects.get(pk=person_pk).union_id == open_.get().union_id
