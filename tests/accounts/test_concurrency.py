"""Real concurrent transactions on PostgreSQL: the claim form's hourly limit holds in a burst."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from gonghui.accounts.models import ClaimAttempt
from gonghui.core.errors import DomainError
from gonghui.core.sms import ConsoleBackend
from gonghui.membership.claim import MAX_CODES_PER_HOUR, portal_claim_start
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


def test_a_burst_of_claims_for_one_id_number_sends_no_more_than_the_hourly_limit(district):
    ric = f.make_ric(born=dt.date(1990, 5, 6))
    f.make_person(district.admin, district.EA, ric=ric, mobile="13812345678")
    ConsoleBackend.outbox.clear()
    n = 8

    def claim(i: int) -> int:
        return portal_claim_start(ric=ric, mobile="13812345678", address=f"10.0.0.{i}").pk

    results, errors = run_at_once(n, claim)

    assert len(results) == MAX_CODES_PER_HOUR
    assert len(errors) == n - MAX_CODES_PER_HOUR
    assert all(isinstance(e, DomainError) and e.code == "too_many_codes" for e in errors)
    assert ClaimAttempt.objects.count() == MAX_CODES_PER_HOUR
    assert len(ConsoleBackend.outbox) == MAX_CODES_PER_HOUR
