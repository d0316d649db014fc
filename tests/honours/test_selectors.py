"""Reads of honours: the scoped list and the model workers the assistance work pays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gonghui.core.errors import DomainError
from gonghui.core.scope import SYSTEM
from gonghui.honours.models import HonourKind, HonourLevel
from gonghui.honours.selectors import honour_get, honour_list, model_worker_persons
from gonghui.honours.services import honour_revoke
from tests import factories as f

from .factories import make_honour

K, L = HonourKind, HonourLevel
D = dt.date


def model_worker(d: Any, union: Any, keeper: Any, **kw: Any) -> Any:
    person = f.make_person(d.root, union, name=kw.pop("name", None) or "劳模")
    make_honour(d.root, keeper, kind=K.MODEL_WORKER, person=person, **kw)
    return person


def test_model_worker_persons_are_holders_in_force_on_the_day(district: Any) -> None:
    d = district
    old = model_worker(d, d.EA, d.A, year=2001, level=L.PROVINCIAL)
    this_year = model_worker(d, d.A1, d.A, year=2015)
    model_worker(d, d.EA, d.A, year=2016)  # not yet named
    revoked_before = model_worker(d, d.EA, d.A, year=2010)
    revoked_after = model_worker(d, d.EA, d.A, year=2010, level=L.NATIONAL)
    for person, on in ((revoked_before, D(2014, 5, 1)), (revoked_after, D(2015, 3, 1))):
        honour = person.honours.get()
        honour_revoke(actor=d.root, honour=honour, on=on, reason="违纪")
    medal = f.make_person(d.root, d.EA)
    make_honour(d.root, d.A, kind=K.MAYDAY_MEDAL, person=medal, year=2012)

    on_new_year = model_worker_persons(actor=SYSTEM, union=d.F, on=D(2015, 2, 1))
    assert set(on_new_year) == {old, this_year, revoked_after}
    assert set(model_worker_persons(actor=SYSTEM, union=d.F, on=D(2015, 3, 1))) == {old, this_year}
    end_2014 = model_worker_persons(actor=SYSTEM, union=d.F, on=D(2014, 12, 31))
    assert set(end_2014) == {old, revoked_after}


def test_model_worker_persons_lists_a_person_once_and_by_keeping_union(district: Any) -> None:
    d = district
    twice = model_worker(d, d.EA, d.A, year=2005)
    make_honour(d.root, d.F, kind=K.MODEL_WORKER, level=L.NATIONAL, year=2010, person=twice)
    kept_by_b = model_worker(d, d.EB, d.B, year=2008)
    kept_by_fed = model_worker(d, d.EB, d.F, year=2008)
    on = D(2015, 2, 1)
    assert list(model_worker_persons(actor=SYSTEM, union=d.F, on=on).order_by("pk")) == [
        twice,
        kept_by_b,
        kept_by_fed,
    ]
    assert list(model_worker_persons(actor=SYSTEM, union=d.A, on=on)) == [twice]
    assert list(model_worker_persons(actor=SYSTEM, union=d.B, on=on)) == [kept_by_b]


def test_honour_list_is_scoped_and_filtered(district: Any) -> None:
    d = district
    a = make_honour(d.root, d.A, enterprise=d.ent_a)
    a_home = make_honour(
        d.root, d.A1, kind=K.ADVANCED_WORKERS_HOME, level=L.DISTRICT, recipient_union=d.EA
    )
    b = make_honour(d.root, d.B, enterprise=d.ent_b, year=2014)
    assert set(honour_list(actor=d.cadre_a)) == {a, a_home}
    assert set(honour_list(actor=d.cadre_b)) == {b}
    assert set(honour_list(actor=d.admin)) == {a, a_home, b}
    assert set(honour_list(actor=d.admin, year=2015)) == {a, a_home}
    assert set(honour_list(actor=d.admin, union=d.A1)) == {a_home}
    assert set(honour_list(actor=d.admin, kind=K.WORKER_PIONEER, level=L.MUNICIPAL)) == {a, b}
    assert set(honour_list(actor=d.admin, kind=[K.ADVANCED_WORKERS_HOME])) == {a_home}
    assert set(honour_list(actor=SYSTEM)) == {a, a_home, b}
    assert honour_get(actor=d.cadre_a, id=a.pk) == a
    with pytest.raises(DomainError):
        honour_get(actor=d.cadre_a, id=b.pk)
