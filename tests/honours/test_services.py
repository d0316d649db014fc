"""Behaviour of the honours services: award (the recipient rules) and revoke."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from gonghui.core.audit import history_for
from gonghui.core.errors import CoreError, DomainError
from gonghui.honours.errors import HonourError as E
from gonghui.honours.models import Honour, HonourKind, HonourLevel
from gonghui.honours.services import honour_revoke
from tests import factories as f

from .factories import make_honour

K, L = HonourKind, HonourLevel


def refused(call: Any, **kw: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kw)
    return info.value


@pytest.fixture
def worker(district: Any) -> Any:
    return f.make_person(district.root, district.EA, name="甲劳模", joined=dt.date(2010, 1, 1))


def test_honour_award_records_the_honour_and_audits_it(district: Any, worker: Any) -> None:
    honour = make_honour(district.cadre_a, district.A, kind=K.MODEL_WORKER, person=worker)
    assert (honour.union, honour.person, honour.year) == (district.A, worker, 2015)
    assert honour.recipient == worker
    assert str(honour) == "2015年市级劳动模范 · 甲劳模"
    entry = history_for(honour).get()
    assert entry.action == "honour.award"
    assert entry.actor == district.cadre_a
    assert "劳动模范" in entry.message


@pytest.mark.parametrize("recipient", ["recipient_union", "enterprise"])
def test_honour_award_gives_a_unit_title_to_a_union_or_an_enterprise(
    district: Any, recipient: str
) -> None:
    target = {"recipient_union": district.EA, "enterprise": district.ent_a}[recipient]
    honour = make_honour(district.cadre_a, district.A, **{recipient: target})
    assert honour.recipient == target


def test_honour_award_needs_a_recipient(district: Any) -> None:
    err = refused(make_honour, actor=district.root, union=district.A)
    assert err.code == E.RECIPIENT_REQUIRED
    assert "获得者" in str(err.message)


def test_honour_award_refuses_two_recipients(district: Any) -> None:
    err = refused(
        make_honour,
        actor=district.root,
        union=district.A,
        recipient_union=district.EA,
        enterprise=district.ent_a,
    )
    assert (err.code, err.field) == (E.RECIPIENT_AMBIGUOUS, "enterprise")
    assert "只能填写一项" in str(err.message)


@pytest.mark.parametrize("kind", [K.MODEL_WORKER, K.ADVANCED_WORKER, K.MAYDAY_MEDAL])
def test_honour_award_gives_a_person_kind_only_to_a_person(district: Any, kind: str) -> None:
    err = refused(
        make_honour, actor=district.root, union=district.A, kind=kind, recipient_union=district.EA
    )
    assert (err.code, err.field) == (E.RECIPIENT_KIND, "person")
    assert "须授予个人" in str(err.message)


def test_honour_award_gives_a_unit_kind_never_to_a_person(district: Any, worker: Any) -> None:
    err = refused(make_honour, actor=district.root, union=district.A, person=worker)
    assert (err.code, err.field) == (E.RECIPIENT_KIND, "person")
    assert "“工人先锋号”须授予集体" in str(err.message)


def test_honour_award_gives_a_workers_home_only_to_a_union(district: Any) -> None:
    err = refused(
        make_honour,
        actor=district.root,
        union=district.A,
        kind=K.ADVANCED_WORKERS_HOME,
        enterprise=district.ent_a,
    )
    assert (err.code, err.field) == (E.RECIPIENT_KIND, "recipient_union")


def test_honour_award_refuses_the_same_title_twice(district: Any) -> None:
    make_honour(district.root, district.A, recipient_union=district.EA)
    err = refused(make_honour, actor=district.root, union=district.F, recipient_union=district.EA)
    assert (err.code, err.field) == (E.DUPLICATE, "recipient_union")
    assert str(err.message) == "获得者“甲企业工会”已获得2015年度市级“工人先锋号”，不能重复登记。"
    # Another level or year is another title.
    make_honour(district.root, district.A, level=L.PROVINCIAL, recipient_union=district.EA)
    make_honour(district.root, district.A, year=2016, recipient_union=district.EA)
    assert Honour.objects.count() == 3


def test_honour_award_allows_two_other_titles_in_a_year(district: Any, worker: Any) -> None:
    for title in ("优秀工会积极分子", "巾帼建功标兵"):
        make_honour(district.root, district.A, kind=K.OTHER, person=worker, title=title)
    assert worker.honours.count() == 2


@pytest.mark.parametrize(
    ("recipient", "field"),
    [("person", "person"), ("union", "recipient_union"), ("enterprise", "enterprise")],
)
def test_honour_award_refuses_a_recipient_outside_the_keeping_union(
    district: Any, recipient: str, field: str
) -> None:
    kind = K.MODEL_WORKER if recipient == "person" else K.WORKER_PIONEER
    target = {
        "person": f.make_person(district.root, district.B1, name="乙职工"),
        "union": district.EB,
        "enterprise": district.ent_b,
    }[recipient]
    err = refused(make_honour, actor=district.root, union=district.A, kind=kind, **{field: target})
    assert (err.code, err.field) == (E.RECIPIENT_OUT_OF_SCOPE, field)
    assert "不在保管工会“甲街道总工会”的管辖范围内" in str(err.message)
    assert not Honour.objects.exists()


def test_honour_award_needs_write_scope_on_the_keeping_union(district: Any) -> None:
    err = refused(
        make_honour, actor=district.cadre_b, union=district.A, recipient_union=district.EA
    )
    assert err.code == CoreError.NOT_FOUND
    err = refused(make_honour, actor=district.leader, union=district.A, recipient_union=district.EA)
    assert err.code == CoreError.READ_ONLY


def test_honour_award_checks_the_year_and_the_award_date(district: Any) -> None:
    err = refused(
        make_honour, actor=district.root, union=district.A, year=1949, enterprise=district.ent_a
    )
    assert (err.code, err.field) == (E.BAD_YEAR, "year")
    err = refused(
        make_honour,
        actor=district.root,
        union=district.A,
        enterprise=district.ent_a,
        awarded_on=dt.date(2014, 12, 30),
    )
    assert (err.code, err.field) == (E.BAD_DATES, "awarded_on")
    assert "不在 2015 年度内" in str(err.message)


@pytest.mark.parametrize(
    ("kind", "recipient"),
    [
        (K.WORKER_PIONEER, {}),  # no recipient
        (K.WORKER_PIONEER, {"recipient_union": "EA", "enterprise": "ent_a"}),  # two
        (K.MODEL_WORKER, {"enterprise": "ent_a"}),  # a person-kind without a person
        (K.MAYDAY_AWARD, {"person": "worker"}),  # a unit-kind to a person
        (K.YIHUI_YIPIN, {"enterprise": "ent_a"}),  # a union's project to an enterprise
    ],
)
def test_database_refuses_a_recipient_that_does_not_fit(
    district: Any, worker: Any, kind: str, recipient: dict[str, str]
) -> None:
    objects = {"EA": district.EA, "ent_a": district.ent_a, "worker": worker}
    with pytest.raises(IntegrityError), transaction.atomic():
        Honour.objects.create(
            union=district.A,
            kind=kind,
            level=L.MUNICIPAL,
            year=2015,
            **{k: objects[v] for k, v in recipient.items()},
        )


def test_database_refuses_a_duplicate_and_an_impossible_year(district: Any) -> None:
    row = {"union": district.A, "kind": K.WORKER_PIONEER, "level": L.MUNICIPAL}
    Honour.objects.create(**row, year=2015, enterprise=district.ent_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Honour.objects.create(**row, year=2015, enterprise=district.ent_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Honour.objects.create(**row, year=2101, enterprise=district.ent_b)


# --- revoke ------------------------------------------------------------------------------------
def test_honour_revoke_keeps_the_honour_with_day_and_reason(district: Any) -> None:
    honour = make_honour(district.root, district.A, enterprise=district.ent_a)
    revoked = honour_revoke(
        actor=district.cadre_a, honour=honour, on=dt.date(2015, 9, 1), reason=" 发生安全事故 "
    )
    honour.refresh_from_db()
    assert (honour.revoked_on, honour.revoked_reason) == (dt.date(2015, 9, 1), "发生安全事故")
    assert revoked.pk == honour.pk
    assert not honour.is_in_force_on(dt.date(2015, 9, 1))
    assert honour.is_in_force_on(dt.date(2015, 8, 31))
    entry = history_for(honour).first()
    assert entry.action == "honour.revoke"
    assert "发生安全事故" in entry.message


def test_honour_revoke_refuses_what_cannot_be(district: Any) -> None:
    honour = make_honour(district.root, district.A, enterprise=district.ent_a)
    kw = {"honour": honour, "on": dt.date(2015, 9, 1), "reason": "事故"}
    assert refused(honour_revoke, actor=district.cadre_b, **kw).code == CoreError.NOT_FOUND
    err = refused(honour_revoke, actor=district.root, **{**kw, "reason": "  "})
    assert (err.code, err.field) == (E.REASON_REQUIRED, "reason")
    err = refused(honour_revoke, actor=district.root, **{**kw, "on": dt.date(2015, 4, 1)})
    assert (err.code, err.field) == (E.BAD_DATES, "on")
    err = refused(honour_revoke, actor=district.root, **{**kw, "on": dt.date(2999, 1, 1)})
    assert (err.code, err.field) == (E.BAD_DATES, "on")
    honour_revoke(actor=district.root, **kw)
    assert refused(honour_revoke, actor=district.root, **kw).code == E.ALREADY_REVOKED
