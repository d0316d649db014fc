"""The reads every signed-in request makes with ready statements (``core.sql``, decision 0012):
the session, the user with the worker's person and union, and the session refresh, against
what the ORM and Django's own session store do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from gonghui.accounts.backends import AccountBackend
from gonghui.core import sql
from gonghui.core.models import AuditEntry
from gonghui.core.sessions import SessionStore
from gonghui.membership.models import Person
from gonghui.membership.selectors import own_person
from tests.activities.conftest import person

pytestmark = pytest.mark.django_db


def test_get_one_reads_instances_as_the_orm_does(district):
    p = person(district.admin, district.A1)
    got = sql.get_one(Person, '"membership_person"."id" = %s', [p.pk], related=("union",))
    orm = Person.objects.select_related("union").get(pk=p.pk)
    fields = [f.attname for f in Person._meta.concrete_fields]
    assert [getattr(got, n) for n in fields] == [getattr(orm, n) for n in fields]
    assert got.union == orm.union
    assert got.union.path == district.A1.path
    assert not got._state.adding
    assert got._state.db == "default"
    entry = AuditEntry.objects.exclude(changes={}).first()
    assert entry is not None
    read = sql.get_one(AuditEntry, '"core_auditentry"."id" = %s', [entry.pk])
    assert isinstance(read.changes, dict)  # the JSON text was converted, as the ORM does
    assert read.changes == entry.changes
    assert read.at == entry.at
    assert sql.get_one(Person, '"membership_person"."id" = %s', [0]) is None


def test_get_one_leaves_a_null_foreign_key_empty(district):
    user = sql.get_one(
        type(district.admin), '"accounts_user"."id" = %s', [district.admin.pk], related=("person",)
    )
    assert user.username == district.admin.username
    assert user.person is None


def test_the_session_store_ignores_expired_sessions(district):
    store = SessionStore()
    store["k"] = "v"
    store.create()
    assert SessionStore(store.session_key).load() == {"k": "v"}
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_the_backend_returns_active_users_only(district):
    backend = AccountBackend()
    assert backend.get_user(district.cadre_a.pk) == district.cadre_a
    assert backend.get_user("not a number") is None
    assert backend.get_user(0) is None
    district.cadre_a.is_active = False
    district.cadre_a.save(update_fields=["is_active"])
    assert backend.get_user(district.cadre_a.pk) is None


def test_the_backend_loads_the_workers_person_and_union_with_the_user(
    district, django_assert_num_queries
):
    p = person(district.admin, district.A1)
    district.cadre_a.person = p
    district.cadre_a.save(update_fields=["person"])
    with django_assert_num_queries(1):
        user = AccountBackend().get_user(district.cadre_a.pk)
        got = own_person(user=user)
        assert got.union.path == district.A1.path
    assert got == p
    assert got.name == p.name


def test_a_refreshed_session_keeps_its_data_and_moves_its_expiry(district):
    store = SessionStore()
    store["k"] = "v"
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=5)
    )
    again = SessionStore(store.session_key)
    again["n"] = 1
    again.save()
    row = Session.objects.get(pk=store.session_key)
    assert row.expire_date > timezone.now() + dt.timedelta(minutes=29)
    assert SessionStore(store.session_key).load() == {"k": "v", "n": 1}


def test_refreshing_a_session_that_ended_meanwhile_is_an_update_error(district):
    store = SessionStore()
    store["k"] = "v"
    store.create()
    stale = SessionStore(store.session_key)
    assert stale["k"] == "v"  # read (and kept) before the row goes
    Session.objects.filter(pk=store.session_key).delete()
    stale["k"] = "w"
    with pytest.raises(UpdateError):
        stale.save()
    assert not Session.objects.filter(pk=store.session_key).exists()


def test_get_one_reads_from_the_database_the_router_gives(monkeypatch, district) -> None:
    from django.db import router

    p = person(district.admin, district.A1)
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(router, "db_for_read", db_for_read)
    assert sql.get_one(Person, '"membership_person"."id" = %s', [p.pk]) == p
    assert asked == [Person]
