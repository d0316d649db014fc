"""The demo district's 2015 report reproduces the seed's figures, and is deterministic."""

from __future__ import annotations

import hashlib
import re
import warnings
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from gonghui.core.metrics import figure, seed_catalogue
from gonghui.core.scope import SYSTEM
from gonghui.demo.builder import DemoBuilder
from gonghui.membership.models import Membership, Person
from gonghui.organisation.models import Union
from gonghui.reports.checks import findings, run_checks
from gonghui.reports.draft import report_draft
from gonghui.reports.selectors import annual_report


def within_bound(value: Decimal, seed: Decimal, bound: str) -> bool:
    if bound == "exact":
        return value == seed
    if bound == "about":
        return abs(value - seed) <= seed * Decimal("0.02")
    if bound == "at_least":
        return value >= seed
    raise AssertionError(f"unknown bound {bound}")


@pytest.mark.parametrize(
    ("value", "seed", "bound", "ok"),
    [
        (76, 76, "exact", True),
        (75, 76, "exact", False),
        (19_992, 19_600, "about", True),
        (19_993, 19_600, "about", False),
        (1_154_93, 1_154_93, "at_least", True),
        (299, 300, "at_least", False),
    ],
)
def test_within_bound_reads_the_catalogue_bounds(value, seed, bound, ok):
    assert within_bound(Decimal(value), Decimal(seed), bound) is ok


@pytest.mark.django_db
def test_demo_2015_report_matches_every_implemented_seed_figure():
    """Every id of the seed's catalogue: an implemented figure must be within its bound; one
    whose domain is installed must be implemented; those whose domain has not landed yet are
    listed (a warning in the test summary), not failed."""
    result = DemoBuilder(seed=2015, log=lambda _m: None).build()
    if connection.vendor == "postgresql":
        # Planner statistics for the rows just loaded (ANALYZE counts this transaction's own
        # rows): without them each figure is planned for an empty table and takes seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    installed = {c.label for c in apps.get_app_configs()}
    report = annual_report(actor=SYSTEM, union=result.federation, year=2015, compare=False)
    failures, not_implemented, not_landed = [], [], []
    checked = 0
    for entry in seed_catalogue():
        row = report.row(entry.id)
        assert row is not None, entry.id
        if entry.owner not in installed:
            assert row.result is None, f"{entry.id} is computed but its domain is not installed"
            not_landed.append(f"{entry.id} ({entry.owner})")
            continue
        if row.result is None:
            not_implemented.append(entry.id)
            continue
        checked += 1
        computed = row.result
        if not within_bound(Decimal(computed.value), entry.seed_value, entry.bound):
            failures.append(f"{entry.id}: {computed.value} vs {entry.value} ({entry.bound})")
        assert computed.records is not None, entry.id
        assert computed.records.exists(), entry.id
        # The engine's figure is the domain's own.
        direct = figure(entry.id, actor=SYSTEM, union=result.federation, year=2015)
        assert direct is not None
        assert direct.value == computed.value, entry.id
    assert checked >= 49
    assert not failures, failures
    assert not not_implemented, f"installed domains leave these uncomputed: {not_implemented}"
    assert checked + len(not_landed) == len(seed_catalogue()) == 78
    if not_landed:
        warnings.warn(
            f"{len(not_landed)} of the seed's 78 figures wait for their domain: "
            + ", ".join(not_landed),
            stacklevel=1,
        )
    # The demo's records contradict no logic check.
    outcomes = run_checks(actor=SYSTEM, union=result.federation, period=report.period)
    assert [(o.check.id, o.result.message) for o in findings(outcomes)] == []
    # Its draft fills every placeholder of the registered paragraphs with its numbers.
    draft = report_draft(actor=SYSTEM, union=result.federation, period=report.period)
    assert draft.missing == []
    text = "".join(p.text for s in draft.sections for p in s.paragraphs)
    assert "全年新建工会组织76家，涵盖企业533家。" in text
    assert "新增会员1.9" in text
    assert "万名" in text
    assert "职工意外伤害补助2名，补助金额2000元" in text
    # The same figures for another year are not the seed's: they are computed, not typed in.
    assert figure("org.unions_founded", actor=SYSTEM, union=result.federation, year=2016).value == 0
    # One more full-time worker (recruited by examination) took up post in March 2016.
    assert (
        figure("org.fulltime_staff_total", actor=SYSTEM, union=result.federation, year=2016).value
        == 13
    )
    assert {login.username for login in result.logins} >= {"admin", "cadre_wj", "cadre_lh"}
    # The worker signs in with their mobile number, as a worker who claimed their record does.
    (worker,) = [login for login in result.logins if login.role == "职工"]
    assert re.fullmatch(r"1\d{10}", worker.username)
    # Today the demo's worker finds this year's aid to apply for, and no programme of 2015.
    from gonghui.accounts.models import User
    from gonghui.assistance.selectors import programmes_open_to

    today = timezone.localdate()
    person = User.objects.get(username="+86" + worker.username).person
    offered = {p.name for p in programmes_open_to(person=person, on=today)}
    assert f"{today.year}年春风助学" in offered
    assert not any(name.startswith("2015年") for name in offered)


def _fingerprint() -> str:
    h = hashlib.sha256()
    for row in Union.objects.order_by("path").values_list("path", "code", "name", "founded_on"):
        h.update(repr(row).encode())
    for row in Person.objects.order_by("ric_hash").values_list("ric_hash", "name", "union__code"):
        h.update(repr(row).encode())
    for row in Membership.objects.order_by("person__ric_hash", "started_on").values_list(
        "person__ric_hash", "union__code", "started_on", "ended_on", "start_reason"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


@pytest.mark.django_db
def test_demo_is_deterministic_for_a_seed():
    prints = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            DemoBuilder(seed=seed, scale=0.03, log=lambda _m: None).build()
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]
