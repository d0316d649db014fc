"""Real concurrent transactions on PostgreSQL: the tree lock and the ID-number uniqueness.

Each thread gets its own database connection (Django connections are per thread) and
closes it when done; a barrier releases all threads at once.
"""

from __future__ import annotations

import datetime as dt
import threading
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
from gonghui.organisation import services as org_services
from gonghui.organisation.errors import OrganisationError
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


@pytest.mark.parametrize("late", ["creators", "dissolution", "nobody"])
def test_union_create_racing_a_dissolution_leaves_no_active_union_under_a_dissolved_parent(
    district, monkeypatch, late
):
    """Creators under a community race its dissolution. ``late`` says whose tree lock is
    delayed, so both orders are forced: creators that checked their copy of the parent
    before the dissolution committed, and a dissolution that comes after the creators."""
    parent = union_create(
        actor=district.admin, parent=district.A, name="将撤并社区", code="GOING", kind="community"
    )
    actor_pk = district.admin.pk
    stale = Union.objects.get(pk=parent.pk)  # the creators' copy, as their forms loaded it
    roles = threading.local()
    take_lock = org_services.advisory_xact_lock

    def slow_lock(name: str) -> None:
        if getattr(roles, "role", None) == late:
            time.sleep(0.3)
        take_lock(name)

    monkeypatch.setattr(org_services, "advisory_xact_lock", slow_lock)

    def work(i: int) -> str:
        actor = User.objects.get(pk=actor_pk)
        if i == 0:
            roles.role = "dissolution"
            org_services.union_dissolve(
                actor=actor, union=stale, on=dt.date(2022, 1, 1), reason="撤并"
            )
            return "dissolved"
        roles.role = "creators"
        union_create(
            actor=actor, parent=stale, name=f"新企业工会{i}", code=f"RACE-{i}", kind="enterprise"
        )
        return "created"

    results, errors = run_at_once(4, work)

    orphans = Union.objects.filter(dissolved_on__isnull=True, parent__dissolved_on__isnull=False)
    assert not orphans.exists()
    assert all(isinstance(e, DomainError) for e in errors), errors
    codes = {e.code for e in errors}
    if "dissolved" in results:
        assert results == ["dissolved"]
        assert codes == {OrganisationError.PARENT_DISSOLVED}
    else:
        assert results == ["created"] * 3
        assert codes == {OrganisationError.HAS_ACTIVE_CHILDREN}
    if late == "creators":
        assert "dissolved" in results
    if late == "dissolution":
        assert "dissolved" not in results


def test_activity_create_from_a_copy_loaded_before_a_dissolution_is_refused(district):
    from gonghui.activities.models import Activity
    from gonghui.activities.services import activity_create

    gone = union_create(
        actor=district.admin, parent=district.A, name="将撤并社区", code="GOING", kind="community"
    )
    actor_pk = district.admin.pk
    stale = Union.objects.get(pk=gone.pk)

    def work(i: int) -> str:
        actor = User.objects.get(pk=actor_pk)
        if i == 0:
            org_services.union_dissolve(
                actor=actor, union=stale, on=dt.date(2022, 1, 1), reason="撤并"
            )
            return "dissolved"
        time.sleep(0.3)  # the cadre presses "save" on a form loaded before the dissolution
        activity_create(
            actor=actor,
            union=stale,
            kind="health_check",
            title="体检",
            starts_on=dt.date(2030, 1, 1),
            capacity=10,
        )
        return "created"

    results, errors = run_at_once(2, work)

    assert results == ["dissolved"]
    assert [type(e) for e in errors] == [DomainError]
    assert not Activity.objects.filter(union=gone).exists()
