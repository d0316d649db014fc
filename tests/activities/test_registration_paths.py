"""The registration's one SQL statement (``activities.services``) against its executable
reference, the same decision in plain ORM steps, and the Python rules (the ready-statement
reads are tested in tests/core/test_hot_path_reads.py).

On PostgreSQL a registration is one statement that repeats ``registration_open`` in SQL; on
other databases it runs in ORM steps that call ``registration_open`` itself. Both run here (the
steps forced through ``REGISTER_BY_VENDOR``), on the same cases, and must agree with each
other and with the Python rule.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.utils import timezone

from gonghui.activities import selectors, services
from gonghui.activities.errors import ActivityError
from gonghui.activities.models import (
    Activity,
    ActivityStatus,
    Allocation,
    Registration,
    RegistrationStatus,
)
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from tests.activities.conftest import make_activity, person

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture(params=["one_statement", "steps"])
def path(request, monkeypatch):
    if request.param == "steps":
        monkeypatch.setattr(services.registration, "REGISTER_BY_VENDOR", {})
    return request.param


def outcome(actor, activity, p):
    try:
        return services.registration_create(actor=actor, activity=activity, person=p).status
    except DomainError as err:
        return err.code


def test_the_two_paths_agree_with_registration_open_on_every_window(district):
    now = timezone.now()
    today = timezone.localdate()
    times = {
        "none": None,
        "past": now - dt.timedelta(hours=1),
        "future": now + dt.timedelta(hours=1),
    }
    days = {"yesterday": -1, "today": 0, "tomorrow": 1}
    cases = list(
        itertools.product(
            (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED, ActivityStatus.DRAFT),
            (None, 2),
            times,
            times,
            days,
        )
    )
    seen = set()
    for status, capacity, opens, closes, day in cases:
        if times[opens] and times[closes] and times[opens] >= times[closes]:
            continue  # refused by the activity's own check constraint
        activity = make_activity(district.admin, district.A, publish=False)
        starts = today + dt.timedelta(days=days[day])
        Activity.objects.filter(pk=activity.pk).update(
            status=status,
            capacity=capacity,
            opens_at=times[opens],
            closes_at=times[closes],
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=1),
        )
        activity.refresh_from_db()
        expected = S.REGISTERED if services.registration_open(activity) else ActivityError.NOT_OPEN
        results = []
        for vendors in ({"postgresql": services._register_in_one_statement}, {}):
            module = services.registration
            module.REGISTER_BY_VENDOR, saved = vendors, module.REGISTER_BY_VENDOR
            try:
                results.append(
                    outcome(district.admin, activity, person(district.admin, district.A1))
                )
            finally:
                module.REGISTER_BY_VENDOR = saved
        assert results == [expected, expected], (status, capacity, opens, closes, day)
        seen.add(expected)
    assert seen == {S.REGISTERED, ActivityError.NOT_OPEN}  # both outcomes were exercised


def test_each_path_places_waitlists_counts_and_audits(district, path):
    a = make_activity(district.admin, district.A, capacity=2)
    people = [person(district.admin, district.A1) for _ in range(3)]
    regs = [
        services.registration_create(actor=district.admin, activity=a, person=p) for p in people
    ]
    assert [r.status for r in regs] == [S.REGISTERED, S.REGISTERED, S.WAITLISTED]
    assert all(r.pk for r in regs)
    assert not any(r._state.adding for r in regs)
    a.refresh_from_db()
    assert (a.taken, a.waiting) == (2, 1)
    assert [(r.activity.taken, r.activity.waiting) for r in regs] == [(1, 0), (2, 0), (2, 1)]
    stored = {r.pk: r.status for r in a.registrations.all()}
    assert stored == {r.pk: r.status for r in regs}
    entries = AuditEntry.objects.filter(action="registration.create").order_by("id")
    assert [(e.object_id, e.message, e.actor_id, e.union_path) for e in entries] == [
        (str(r.pk), f"报名（{S(r.status).label}）", district.admin.pk, district.A.path)
        for r in regs
    ]
    assert entries[0].object_repr == str(regs[0])
    assert entries[0].changes == {}


def test_each_path_only_applies_to_a_lottery(district, path):
    a = make_activity(district.admin, district.A, capacity=1, allocation=Allocation.LOTTERY)
    statuses = [
        services.registration_create(
            actor=district.admin, activity=a, person=person(district.admin, district.A1)
        ).status
        for _ in range(2)
    ]
    assert statuses == [S.APPLIED, S.APPLIED]
    a.refresh_from_db()
    assert (a.taken, a.waiting) == (0, 0)


def test_a_duplicate_inside_a_transaction_is_refused_and_the_transaction_goes_on(district, path):
    a = make_activity(district.admin, district.A, capacity=5)
    p = person(district.admin, district.A1)
    with transaction.atomic():
        services.registration_create(actor=district.admin, activity=a, person=p)
        with pytest.raises(DomainError) as err:
            services.registration_create(actor=district.admin, activity=a, person=p)
        assert err.value.code == ActivityError.DUPLICATE
        assert a.registrations.count() == 1  # the transaction is still usable
    a.refresh_from_db()
    assert (a.taken, a.waiting) == (1, 0)


def test_is_open_to_agrees_with_the_list_query(district):
    admin = district.admin
    ends = {"over": timezone.localdate() - dt.timedelta(days=1), "ahead": None}
    activities = []
    for union, women, migrants, status, end in itertools.product(
        (district.F, district.A, district.A1, district.B),
        (False, True),
        (False, True),
        (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED, ActivityStatus.DRAFT),
        ends,
    ):
        a = make_activity(admin, union, publish=False, women_only=women, migrants_only=migrants)
        update = {"status": status}
        if ends[end]:
            update.update(starts_on=ends[end], ends_on=ends[end])
        Activity.objects.filter(pk=a.pk).update(**update)
        activities.append(a.pk)
    people = [
        person(admin, district.A1),
        person(admin, district.A1, female=True),
        person(admin, district.EA, migrant=True),
        person(admin, district.B1, female=True, migrant=True),
    ]
    for p in people:
        listed = set(selectors.activities_open_to(person=p).values_list("pk", flat=True))
        each = {
            a.pk
            for a in Activity.objects.select_related("union").filter(pk__in=activities)
            if selectors.is_open_to(a, person=p)
        }
        assert each == listed
        assert listed  # every person sees something, so the comparison is not empty


def test_a_duplicate_is_known_by_the_constraint_the_database_names(district):
    from types import SimpleNamespace

    from django.db import IntegrityError

    from gonghui.core.errors import violated_constraint

    a = make_activity(district.admin, district.A, capacity=5)
    p = person(district.admin, district.A1)
    first = services.registration_create(actor=district.admin, activity=a, person=p)
    # A real refusal from PostgreSQL names the partial unique index.
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Registration.objects.create(activity=a, person=p, status=S.REGISTERED)
    assert violated_constraint(refused.value) == "registration_once_per_person"

    class DriverError(Exception):
        def __init__(self, name):
            super().__init__(name)
            self.diag = SimpleNamespace(constraint_name=name)

    def refusal(name):
        err = IntegrityError("some text that names registration_once_per_person")
        err.__cause__ = DriverError(name)
        return err

    # Another constraint is not a duplicate, whatever the message says and the data hold.
    assert not services._is_duplicate(refusal("registration_attended_has_time"), first)
    assert services._is_duplicate(refusal("registration_once_per_person"), first)
    # Where the database names no constraint (SQLite), the active registration decides.
    unnamed = IntegrityError("UNIQUE constraint failed: activities_registration.person_id")
    assert services._is_duplicate(unnamed, first)
    services.registration_cancel(actor=district.admin, registration=first)
    assert not services._is_duplicate(unnamed, first)
