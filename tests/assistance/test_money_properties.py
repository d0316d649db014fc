"""Property: any sequence of propose/approve/pay/reverse/cancel/reject keeps the money whole.

After every step: the programme's committed equals the approved and paid amounts, its paid
equals the paid (not reversed) amounts, committed never exceeds the budget, paid plus
reversed minus reversals equals paid, a person has at most one live disbursement per
period, and every successful step left exactly one audit entry.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.assistance import services
from gonghui.assistance.models import Disbursement, DisbursementReversal, DisbursementState
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from tests.assistance.factories import person, programme

S = DisbursementState
pytestmark = pytest.mark.django_db

OPS = st.one_of(
    st.tuples(
        st.just("propose"),
        st.integers(0, 2),
        st.integers(0, 1),
        st.integers(1, 300_000).map(lambda fen: Decimal(fen) / 100),
    ),
    st.tuples(
        st.sampled_from(["approve", "pay", "reverse", "cancel", "reject"]),
        st.integers(0, 9),
        st.just(0),
        st.just(Decimal(0)),
    ),
)


def _total(qs) -> Decimal:
    return qs.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")


def _check(prog) -> None:
    prog.refresh_from_db()
    ds = Disbursement.objects.filter(programme=prog)
    assert prog.committed == _total(ds.filter(state__in=[S.APPROVED, S.PAID]))
    assert prog.paid == _total(ds.filter(state=S.PAID))
    assert 0 <= prog.paid <= prog.committed <= prog.budget
    reversals = _total(DisbursementReversal.objects.filter(disbursement__programme=prog))
    assert _total(ds.filter(state__in=[S.PAID, S.REVERSED])) - reversals == prog.paid
    live = ds.filter(state__in=[S.PROPOSED, S.APPROVED, S.PAID])
    assert live.values("person", "period").distinct().count() == live.count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=14))
def test_any_sequence_of_operations_keeps_the_totals_consistent(district, ops) -> None:
    with transaction.atomic():
        prog = programme(district.admin, district.F, budget="5000.00")
        people = [person(district.root, district.A1) for _ in range(3)]
        made: list[Disbursement] = []
        audit_before = AuditEntry.objects.filter(action__startswith="disbursement.").count()
        done = 0
        for verb, a, b, amount in ops:
            try:
                if verb == "propose":
                    made.append(
                        services.disbursement_propose(
                            actor=district.cadre_a,
                            programme=prog,
                            person=people[a],
                            period=f"2015-{'上下'[b]}半年",
                            amount=amount,
                            reason="性质测试",
                        )
                    )
                elif made:
                    d = made[a % len(made)]
                    actor = district.admin
                    if verb in ("approve", "pay"):
                        getattr(services, f"disbursement_{verb}")(actor=actor, disbursement=d)
                    else:
                        getattr(services, f"disbursement_{verb}")(
                            actor=actor, disbursement=d, reason="更正"
                        )
                else:
                    continue
                done += 1
            except DomainError:
                pass
            _check(prog)
        audit_after = AuditEntry.objects.filter(action__startswith="disbursement.").count()
        assert audit_after - audit_before == done
        transaction.set_rollback(True)
