"""Real concurrent transactions on PostgreSQL: one disbursement is approved and paid once,
concurrent approvals never commit a programme beyond its budget, and a writer stuck behind
another's lock is told so instead of hanging."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections, transaction

from gonghui.accounts.models import User
from gonghui.assistance import services
from gonghui.assistance.errors import AssistanceError as E
from gonghui.assistance.models import Disbursement, DisbursementState, Programme
from gonghui.core.errors import DomainError
from gonghui.core.locks import LOCK_TIMEOUT, lock
from gonghui.core.models import AuditEntry
from tests import factories as f
from tests.assistance.factories import person, programme
from tests.organisation.test_concurrency import run_at_once

S = DisbursementState
pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL only)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def approvers(district: Any) -> list[Any]:
    second = f.make_user(district.root, f.ROLE.FEDERATION_ADMIN, district.F, username="fed2")
    return [district.admin, second]


def _proposed(district: Any, prog: Programme, amount: str = "1000.00") -> Disbursement:
    return services.disbursement_propose(
        actor=district.cadre_a,
        programme=prog,
        person=person(district.root, district.A1),
        amount=Decimal(amount),
        reason="并发测试",
    )


def test_two_cadres_approving_and_paying_at_once_pay_once(district: Any, approvers: Any) -> None:
    prog = programme(district.admin, district.F, budget="5000.00")
    d = _proposed(district, prog)
    ids = [u.pk for u in approvers]

    def approve(i: int) -> str:
        actor = User.objects.get(pk=ids[i])
        return services.disbursement_approve(
            actor=actor, disbursement=Disbursement.objects.get(pk=d.pk)
        ).state

    results, errors = run_at_once(2, approve)
    assert results == [S.APPROVED]
    assert [getattr(e, "code", repr(e)) for e in errors] == [E.BAD_STATE]

    def pay(i: int) -> str:
        actor = User.objects.get(pk=ids[i])
        return services.disbursement_pay(
            actor=actor, disbursement=Disbursement.objects.get(pk=d.pk)
        ).state

    results, errors = run_at_once(2, pay)
    assert results == [S.PAID]
    assert [getattr(e, "code", repr(e)) for e in errors] == [E.BAD_STATE]
    prog.refresh_from_db()
    assert (prog.committed, prog.paid) == (Decimal("1000.00"), Decimal("1000.00"))
    assert AuditEntry.objects.filter(object_id=str(d.pk), action="disbursement.pay").count() == 1


def test_concurrent_approvals_cannot_over_commit_the_budget(district: Any, approvers: Any) -> None:
    prog = programme(district.admin, district.F, budget="3000.00")
    pending = [_proposed(district, prog) for _ in range(8)]
    approver = approvers[0].pk

    def approve(i: int) -> int:
        actor = User.objects.get(pk=approver)
        return services.disbursement_approve(
            actor=actor, disbursement=Disbursement.objects.get(pk=pending[i].pk)
        ).pk

    results, errors = run_at_once(len(pending), approve)
    assert len(results) == 3
    assert [getattr(e, "code", repr(e)) for e in errors] == [E.OVER_BUDGET] * 5
    prog.refresh_from_db()
    assert prog.committed == Decimal("3000.00") <= prog.budget
    assert Disbursement.objects.filter(programme=prog, state=S.APPROVED).count() == 3


def test_concurrent_proposals_for_one_person_make_one_disbursement(district: Any) -> None:
    prog = programme(district.admin, district.F, budget="9000.00")
    who = person(district.root, district.A1)
    actors = [district.cadre_a.pk, district.admin.pk, district.root.pk]

    def propose(i: int) -> int:
        return services.disbursement_propose(
            actor=User.objects.get(pk=actors[i]),
            programme=Programme.objects.get(pk=prog.pk),
            person=type(who).objects.select_related("union").get(pk=who.pk),
            amount=Decimal("500.00"),
            reason="并发提出",
        ).pk

    results, errors = run_at_once(3, propose)
    assert len(results) == 1
    assert [getattr(e, "code", repr(e)) for e in errors] == [E.DUPLICATE] * 2


def test_an_approval_behind_a_held_programme_lock_is_told_busy(
    district: Any, approvers: Any, settings: Any
) -> None:
    settings.LOCK_TIMEOUT_SECONDS = 0.3
    prog = programme(district.admin, district.F, budget="5000.00")
    d = _proposed(district, prog)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:  # another writer keeps the programme row locked
        try:
            with transaction.atomic():
                lock(Programme.objects.get(pk=prog.pk))
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        with pytest.raises(DomainError) as busy:
            services.disbursement_approve(
                actor=approvers[0], disbursement=Disbursement.objects.get(pk=d.pk)
            )
    finally:
        release.set()
        holder.join(10)
    assert busy.value.code == LOCK_TIMEOUT
    d.refresh_from_db()
    prog.refresh_from_db()
    assert (d.state, prog.committed) == (S.PROPOSED, Decimal("0.00"))
    assert not AuditEntry.objects.filter(action="disbursement.approve").exists()
