"""No overbooking and no double registration under real concurrency (PostgreSQL).

Threads each hold their own database connection (Django connections are per thread); a
barrier releases them together. PostgreSQL's default of 100 connections bounds the number of
threads, so 200 registrations come from 50 connections, 4 each, all racing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from gonghui.accounts.models import User
from gonghui.activities import services
from gonghui.activities.models import Activity, Registration, RegistrationStatus
from gonghui.core.errors import DomainError
from gonghui.membership.models import Person
from tests.activities.conftest import make_activity, person
from tests.concurrency import run_at_once as _run_at_once

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]
S = RegistrationStatus


def run_at_once(n: int, work: Callable[[int], list[Any]]) -> tuple[list[Any], list[BaseException]]:
    """Each thread returns a list of outcomes; they are flattened."""
    results, errors = _run_at_once(n, work)
    return [x for out in results for x in out], errors


def test_200_concurrent_registrations_for_50_places_give_exactly_50(district):
    activity = make_activity(district.admin, district.A, capacity=50)
    people = [person(district.admin, district.A1).pk for _ in range(200)]
    admin_pk = district.admin.pk

    def register_four(i: int) -> list[str]:
        actor = User.objects.get(pk=admin_pk)
        a = Activity.objects.select_related("union").get(pk=activity.pk)
        out = []
        for pk in people[i * 4 : i * 4 + 4]:
            p = Person.objects.select_related("union").get(pk=pk)
            out.append(services.registration_create(actor=actor, activity=a, person=p).status)
        return out

    results, errors = run_at_once(50, register_four)

    assert errors == []
    assert Counter(results) == {S.REGISTERED: 50, S.WAITLISTED: 150}
    regs = Registration.objects.filter(activity=activity)
    assert regs.count() == 200
    assert regs.values("person").distinct().count() == 200
    assert regs.filter(status=S.REGISTERED).count() == 50
    activity.refresh_from_db()
    assert (activity.taken, activity.waiting) == (50, 150)


def test_the_same_person_registering_from_many_connections_at_once_gets_one_registration(
    district,
):
    activity = make_activity(district.admin, district.A, capacity=5)
    p = person(district.admin, district.A1)
    admin_pk = district.admin.pk

    def register(i: int) -> list[str]:
        actor = User.objects.get(pk=admin_pk)
        a = Activity.objects.select_related("union").get(pk=activity.pk)
        try:
            return [services.registration_create(actor=actor, activity=a, person=p).status]
        except DomainError as err:
            return [err.code]

    results, errors = run_at_once(20, register)

    assert errors == []
    assert Counter(results) == {S.REGISTERED: 1, "duplicate": 19}
    assert Registration.objects.filter(activity=activity).count() == 1


def test_cancellations_racing_registrations_never_overbook_and_keep_the_counters(district):
    activity = make_activity(district.admin, district.A, capacity=20)
    admin = district.admin
    first = [person(admin, district.A1) for _ in range(30)]  # 20 places, 10 waitlisted
    regs = [services.registration_create(actor=admin, activity=activity, person=p) for p in first]
    newcomers = [person(admin, district.A1).pk for _ in range(30)]
    to_cancel = [r.pk for r in regs[:15]] + [r.pk for r in regs[25:]]  # places and waitlist

    def work(i: int) -> list[str]:
        actor = User.objects.get(pk=admin.pk)
        if i < 20:
            r = Registration.objects.select_related("activity__union", "person").get(
                pk=to_cancel[i]
            )
            return [services.registration_cancel(actor=actor, registration=r).status]
        a = Activity.objects.select_related("union").get(pk=activity.pk)
        out = []
        for pk in newcomers[(i - 20) * 2 : (i - 20) * 2 + 2]:
            p = Person.objects.select_related("union").get(pk=pk)
            out.append(services.registration_create(actor=actor, activity=a, person=p).status)
        return out

    _results, errors = run_at_once(35, work)

    assert errors == []
    activity.refresh_from_db()
    by_status = Counter(
        Registration.objects.filter(activity=activity).values_list("status", flat=True)
    )
    assert by_status[S.CANCELLED] == 20
    assert by_status[S.REGISTERED] == 20  # every freed place was refilled, none overbooked
    assert by_status[S.WAITLISTED] == 60 - 20 - 20
    assert (activity.taken, activity.waiting) == (20, by_status[S.WAITLISTED])
