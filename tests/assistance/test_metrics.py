"""The assistance figures: computed from records, scoped to a subtree, exact in 万元; and
over the demo district, the report's money equals the paid, not reversed disbursements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F, Sum

from gonghui.assistance import services
from gonghui.assistance.models import (
    Disbursement,
    DisbursementReversal,
    DisbursementState,
    Donation,
    Programme,
    ProgrammeKind,
    RecipientKind,
)
from gonghui.core.metrics import catalogue, figure, implemented
from gonghui.core.scope import SYSTEM
from tests.assistance.factories import paid, person, programme

S = DisbursementState
pytestmark = pytest.mark.django_db
OURS = sorted(
    e.id for e in catalogue() if e.owner == "assistance"
)  # every assistance.* id and mayday.model_worker_condolences
MONEY_METRICS = {
    "assistance.festival_amount_wan": ProgrammeKind.FESTIVAL,
    "assistance.summer_cooling_amount_wan": ProgrammeKind.SUMMER_COOLING,
    "assistance.dialysis_amount_wan": ProgrammeKind.DIALYSIS,
    "assistance.corporate_medical_aid_amount_wan": ProgrammeKind.CORPORATE_MEDICAL,
    "assistance.accident_subsidy_amount_wan": ProgrammeKind.ACCIDENT,
    "assistance.education_aid_amount_wan": ProgrammeKind.EDUCATION,
    "assistance.medical_mutual_aid_amount_wan": ProgrammeKind.MUTUAL_AID,
}


def test_every_figure_owned_by_assistance_is_implemented():
    assert "mayday.model_worker_condolences" in OURS
    assert len(OURS) == 21
    assert set(OURS) <= set(implemented())


def test_cooling_amount_is_exact_in_wan_and_excludes_reversed(district):
    cooling = programme(
        district.admin,
        district.F,
        kind=ProgrammeKind.SUMMER_COOLING,
        recipient_kind=RecipientKind.HOUSEHOLD,
        budget="60000",
    )
    people = [person(district.root, district.A1) for _ in range(3)]
    for who, amount in zip(people, ["500.00", "800.00", "1000.00"], strict=True):
        paid(district.cadre_a, district.admin, cooling, who, amount, period="2015-夏季")
    wrong = Disbursement.objects.get(person=people[2])
    services.disbursement_reverse(
        actor=district.admin, disbursement=wrong, reason="重复", on=dt.date(2015, 7, 1)
    )
    amount = figure(
        "assistance.summer_cooling_amount_wan", actor=SYSTEM, union=district.F, year=2015
    )
    households = figure(
        "assistance.summer_cooling_households", actor=SYSTEM, union=district.F, year=2015
    )
    assert amount.value == Decimal("0.13")
    assert households.value == 2
    assert set(amount.records) == set(Disbursement.objects.filter(state=S.PAID))
    # Scoped to the subtree; another year counts nothing.
    assert (
        figure(
            "assistance.summer_cooling_households", actor=SYSTEM, union=district.B, year=2015
        ).value
        == 0
    )
    assert (
        figure(
            "assistance.summer_cooling_households", actor=SYSTEM, union=district.F, year=2016
        ).value
        == 0
    )


def test_hardship_families_is_the_year_end_count(district):
    from tests.assistance.factories import hardship

    stays = hardship(district.admin, district.A, person(district.root, district.A1))
    leaves = hardship(district.admin, district.B, person(district.root, district.B1))
    services.hardship_file_leave(
        actor=district.admin, file=leaves, on=dt.date(2015, 12, 31), reason="income_raised"
    )
    result = figure("assistance.hardship_families", actor=SYSTEM, union=district.F, year=2015)
    assert result.value == 1
    assert list(result.records) == [stays]
    assert (
        figure("assistance.hardship_families", actor=SYSTEM, union=district.F, year=2014).value == 2
    )


def _yuan(qs) -> Decimal:
    return qs.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")


def test_demo_2015_reproduces_the_assistance_figures_and_the_money_adds_up():
    from gonghui.demo.builder import DemoBuilder

    fed = DemoBuilder(seed=2015, log=lambda _m: None).build().federation
    entries = {e.id: e for e in catalogue()}
    failures = []
    for metric_id in OURS:
        entry = entries[metric_id]
        result = figure(metric_id, actor=SYSTEM, union=fed, year=2015)
        ok = {
            "exact": result.value == entry.seed_value,
            "at_least": result.value >= entry.seed_value,
        }[entry.bound]
        if not ok:
            failures.append(f"{metric_id}: {result.value} vs {entry.value}")
        assert result.records.exists(), metric_id
    assert not failures, failures
    assert figure(
        "assistance.summer_cooling_amount_wan", actor=SYSTEM, union=fed, year=2015
    ).value == Decimal("5.77")

    # The report's money = the paid, not reversed disbursements of the year.
    paid_2015 = Disbursement.objects.filter(state=S.PAID, paid_on__year=2015)
    report_yuan = sum(
        (figure(m, actor=SYSTEM, union=fed, year=2015).value for m in MONEY_METRICS), Decimal(0)
    ) * Decimal(10_000)
    screening = _yuan(paid_2015.filter(programme__kind=ProgrammeKind.CANCER_SCREENING))
    assert report_yuan + screening == _yuan(paid_2015)
    for metric_id, kind in MONEY_METRICS.items():
        kind_yuan = _yuan(paid_2015.filter(programme__kind=kind))
        assert figure(metric_id, actor=SYSTEM, union=fed, year=2015).value * 10_000 == kind_yuan, (
            metric_id
        )
    # Each programme's books agree with its disbursements; the reversal is in the ledger.
    for prog in Programme.objects.all():
        ds = Disbursement.objects.filter(programme=prog)
        assert prog.paid == _yuan(ds.filter(state=S.PAID)), prog.name
        assert prog.committed == _yuan(ds.filter(state__in=[S.APPROVED, S.PAID])), prog.name
        assert prog.committed <= prog.budget
    assert DisbursementReversal.objects.count() == 1
    assert not Disbursement.objects.filter(approved_by=F("proposed_by")).exists()
    spring = (
        figure("assistance.spring_breeze_funds_wan", actor=SYSTEM, union=fed, year=2015).value
        * 10_000
    )
    assert spring == _yuan(Donation.objects.filter(voided_at__isnull=True))
    receipts = list(Donation.objects.order_by("receipt_no").values_list("receipt_no", flat=True))
    assert receipts == [f"CF2015-{i:06d}" for i in range(1, len(receipts) + 1)]
