"""The assistance services: the flow, the money rules, eligibility, files, donations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.assistance import selectors, services
from gonghui.assistance.errors import AssistanceError as E
from gonghui.assistance.models import (
    Disbursement,
    DisbursementReversal,
    DisbursementState,
    HardshipFile,
    ProgrammeKind,
    RecipientKind,
)
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry
from gonghui.core.money import total
from gonghui.core.scope import SYSTEM
from tests import factories as f
from tests.assistance.factories import hardship, paid, person, programme

S = DisbursementState
pytestmark = pytest.mark.django_db


@pytest.fixture
def prog(district):
    return programme(district.admin, district.F, budget="10000.00", max_amount=Decimal("5000"))


@pytest.fixture
def worker(district):
    return person(district.root, district.A1, name="张三")


def _propose(d, prog, who, amount="3000.00", **kw):
    return services.disbursement_propose(
        actor=d.cadre_a, programme=prog, person=who, amount=amount, reason="子女上大学", **kw
    )


def test_disbursement_goes_proposed_approved_paid_and_is_audited(district, prog, worker):
    d = _propose(district, prog, worker)
    assert d.state == S.PROPOSED
    assert d.union == district.A1
    assert d.period == "2015"
    services.disbursement_approve(actor=district.admin, disbursement=d)
    prog.refresh_from_db()
    assert prog.committed == Decimal("3000.00")
    assert prog.paid == 0
    services.disbursement_pay(actor=district.admin, disbursement=d, paid_on=dt.date(2015, 9, 1))
    prog.refresh_from_db()
    d.refresh_from_db()
    assert d.state == S.PAID
    assert d.paid_on == dt.date(2015, 9, 1)
    assert (prog.committed, prog.paid, prog.remaining) == (Decimal(3000), Decimal(3000), 7000)
    actions = list(
        AuditEntry.objects.filter(object_id=str(d.pk), action__startswith="disbursement.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["disbursement.propose", "disbursement.approve", "disbursement.pay"]


def test_disbursement_approve_refuses_the_proposer(district, prog, worker):
    d = _propose(district, prog, worker)
    with pytest.raises(DomainError) as err:
        services.disbursement_approve(actor=district.cadre_a, disbursement=d)
    assert err.value.code == E.SAME_PERSON
    d.refresh_from_db()
    assert d.state == S.PROPOSED


def test_database_refuses_approver_equal_to_proposer(district, prog, worker):
    from django.db import IntegrityError, transaction

    d = _propose(district, prog, worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=d.pk).update(
            state=S.APPROVED, approved_by=district.cadre_a, approved_at=d.proposed_at
        )


def test_disbursement_approve_refuses_beyond_the_budget(district, worker):
    prog = programme(district.admin, district.F, budget="4000.00")
    first = _propose(district, prog, worker, amount="3000.00")
    services.disbursement_approve(actor=district.admin, disbursement=first)
    other = person(district.root, district.A1)
    second = _propose(district, prog, other, amount="1500.00")
    with pytest.raises(DomainError) as err:
        services.disbursement_approve(actor=district.admin, disbursement=second)
    assert err.value.code == E.OVER_BUDGET
    assert "剩余 1,000.00 元" in str(err.value.message)


@pytest.mark.parametrize(
    ("amount", "code"),
    [("0", E.BAD_AMOUNT), ("-5", E.BAD_AMOUNT), ("10.005", E.BAD_AMOUNT), ("abc", E.BAD_AMOUNT)],
)
def test_disbursement_propose_refuses_bad_amounts(district, prog, worker, amount, code):
    with pytest.raises(DomainError) as err:
        _propose(district, prog, worker, amount=amount)
    assert err.value.code == code
    assert err.value.field == "amount"
    assert not Disbursement.objects.exists()


def test_disbursement_propose_refuses_above_the_cap(district, prog, worker):
    with pytest.raises(DomainError) as err:
        _propose(district, prog, worker, amount="5000.01")
    assert err.value.code == E.OVER_CAP
    assert "上限 5,000.00 元" in str(err.value.message)


def test_same_person_cannot_be_paid_twice_under_a_programme_and_period(district, prog, worker):
    paid(district.cadre_a, district.admin, prog, worker, "1000.00")
    with pytest.raises(DomainError) as err:
        _propose(district, prog, worker, amount="1000.00")
    assert err.value.code == E.DUPLICATE
    # Another period of the same programme is allowed.
    assert _propose(district, prog, worker, amount="1000.00", period="2015-秋季").pk


def test_database_refuses_a_second_live_disbursement(district, prog, worker):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    d = _propose(district, prog, worker)
    copy = Disbursement(
        union=d.union,
        programme=prog,
        period=d.period,
        person=worker,
        amount=Decimal("1.00"),
        reason="x",
        proposed_by=district.admin,
        proposed_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_reversal_corrects_a_paid_disbursement_once_and_allows_a_new_payment(
    district, prog, worker
):
    d = paid(district.cadre_a, district.admin, prog, worker, "5000.00")
    reversal = services.disbursement_reverse(
        actor=district.admin, disbursement=d, reason="金额录入错误", on=dt.date(2015, 9, 3)
    )
    d.refresh_from_db()
    prog.refresh_from_db()
    assert d.state == S.REVERSED
    assert d.amount == Decimal("5000.00")
    assert d.paid_on is not None
    assert reversal.amount == Decimal("5000.00")
    assert (prog.committed, prog.paid) == (0, 0)
    with pytest.raises(DomainError) as err:
        services.disbursement_reverse(actor=district.admin, disbursement=d, reason="再次")
    assert err.value.code == E.BAD_STATE
    assert DisbursementReversal.objects.count() == 1
    again = paid(district.cadre_a, district.admin, prog, worker, "4000.00")
    assert again.state == S.PAID
    prog.refresh_from_db()
    assert prog.paid == Decimal("4000.00")


@pytest.mark.parametrize("verb", ["approve", "pay", "reject", "cancel"])
def test_a_paid_disbursement_never_changes(district, prog, worker, verb):
    d = paid(district.cadre_a, district.admin, prog, worker, "1000.00")
    service = getattr(services, f"disbursement_{verb}")
    kwargs = {"reason": "x"} if verb in ("reject", "cancel") else {}
    with pytest.raises(DomainError) as err:
        service(actor=district.admin, disbursement=d, **kwargs)
    assert err.value.code == E.BAD_STATE
    d.refresh_from_db()
    assert d.state == S.PAID
    assert d.amount == Decimal("1000.00")


def test_cancel_of_an_approved_disbursement_gives_the_budget_back(district, prog, worker):
    d = _propose(district, prog, worker, amount="2500.00")
    services.disbursement_approve(actor=district.admin, disbursement=d)
    services.disbursement_cancel(actor=district.admin, disbursement=d, reason="受助人放弃")
    prog.refresh_from_db()
    assert prog.committed == 0
    with pytest.raises(DomainError):
        services.disbursement_reject(actor=district.admin, disbursement=d, reason="")


def test_street_b_cadre_cannot_propose_for_a_street_a_person(district, prog, worker):
    with pytest.raises(DomainError) as err:
        services.disbursement_propose(
            actor=district.cadre_b, programme=prog, person=worker, amount="10", reason="x"
        )
    assert err.value.code == "not_found"


def test_programme_of_another_street_does_not_serve_this_one(district, worker):
    b_prog = programme(district.admin, district.B, name="乙街道助学")
    with pytest.raises(DomainError) as err:
        _propose(district, b_prog, worker)
    assert err.value.code == E.OUT_OF_PROGRAMME


def test_eligibility_women_members_and_hardship_file(district):
    man = person(district.root, district.A1, ric=f.make_ric(female=False))
    woman = f.make_person(district.root, district.A1, ric=f.make_ric(female=True))
    screening = programme(
        district.admin,
        district.F,
        kind=ProgrammeKind.CANCER_SCREENING,
        women_only=True,
        requires_hardship_file=True,
    )
    with pytest.raises(DomainError, match="女职工"):
        _propose(district, screening, man, amount="260")
    with pytest.raises(DomainError, match="不在档"):
        _propose(district, screening, woman, amount="260")
    file = hardship(district.admin, district.A, woman)
    d = _propose(district, screening, woman, amount="260")
    assert d.family == file
    mutual = programme(
        district.admin, district.F, kind=ProgrammeKind.MUTUAL_AID, requires_member=True
    )
    with pytest.raises(DomainError, match="会员"):
        _propose(district, mutual, woman, amount="100")


def test_household_programme_pays_a_family_once(district):
    head = person(district.root, district.A1)
    file = hardship(district.admin, district.A, head)
    cooling = programme(
        district.admin,
        district.F,
        kind=ProgrammeKind.SUMMER_COOLING,
        recipient_kind=RecipientKind.HOUSEHOLD,
    )
    d = _propose(district, cooling, head, amount="800", period="2015-夏季")
    assert d.family == file
    with pytest.raises(DomainError) as err:
        _propose(district, cooling, head, amount="800", period="2015-夏季")
    assert err.value.code == E.DUPLICATE


def test_period_must_start_with_the_programme_year(district, prog, worker):
    with pytest.raises(DomainError) as err:
        _propose(district, prog, worker, period="2016")
    assert err.value.code == E.BAD_PERIOD
    assert err.value.field == "period"


def test_hardship_file_lifecycle_and_year_end_count(district):
    head = person(district.root, district.A1)
    file = hardship(district.admin, district.A, head, filed_on=dt.date(2014, 3, 1))
    assert file.review_due_on == dt.date(2015, 3, 1)
    with pytest.raises(DomainError) as err:
        hardship(district.admin, district.A, head)
    assert err.value.code == E.ALREADY_ON_FILE
    services.hardship_review(
        actor=district.admin,
        file=file,
        reviewed_on=dt.date(2015, 3, 2),
        income_per_head="700",
        threshold="872",
        keep=True,
    )
    file.refresh_from_db()
    assert file.review_due_on == dt.date(2016, 3, 2)
    services.hardship_file_leave(
        actor=district.admin, file=file, on=dt.date(2016, 1, 10), reason="re_employed"
    )
    on_2015 = selectors.files_on_file(actor=SYSTEM, union=district.F, on=dt.date(2015, 12, 31))
    on_2016 = selectors.files_on_file(actor=SYSTEM, union=district.F, on=dt.date(2016, 12, 31))
    assert list(on_2015) == [file]
    assert not on_2016.exists()
    assert list(selectors.files_left(actor=district.admin, year=2016)) == [
        HardshipFile.objects.get(pk=file.pk)
    ]


def test_hardship_file_refuses_income_above_threshold(district):
    head = person(district.root, district.A1)
    with pytest.raises(DomainError) as err:
        hardship(district.admin, district.A, head, income_per_head="900.00")
    assert err.value.field == "income_per_head"
    assert "高于当地困难标准" in str(err.value.message)


def test_files_never_helped_and_due_for_review(district, prog):
    helped = hardship(district.admin, district.A, person(district.root, district.A1))
    never = hardship(district.admin, district.A, person(district.root, district.A1))
    paid(district.cadre_a, district.admin, prog, helped.head, "100")
    today = dt.date(2015, 12, 31)
    assert list(selectors.files_never_helped(actor=district.cadre_a, on=today)) == [never]
    assert set(selectors.files_due_for_review(actor=district.cadre_a, on=today)) == {helped, never}


def test_benefits_of_a_family_show_every_programme(district, prog):
    head = person(district.root, district.A1)
    file = hardship(district.admin, district.A, head)
    other = programme(district.admin, district.F, kind=ProgrammeKind.DIALYSIS, name="透析")
    paid(district.cadre_a, district.admin, prog, head, "2000")
    _propose(district, other, head, amount="3500")
    qs = selectors.benefits_of(actor=district.cadre_a, family=file)
    assert qs.count() == 2
    assert selectors.benefit_totals(qs) == {
        "paid": Decimal("2000.00"),
        "pending": Decimal("3500.00"),
    }
    assert not selectors.benefits_of(actor=district.cadre_b, family=file).exists()


def test_donations_have_gapless_receipts_and_top_units_are_commended(district):
    campaign = services.campaign_create(
        actor=district.admin, union=district.F, year=2015, name="春风行动", receipt_prefix="CF2015"
    )
    amounts = [("甲公司", "enterprise", "50000"), ("乙公司", "enterprise", "80000")]
    amounts += [("丙工会", "union", "3000"), ("张三", "person", "99999")]
    made = [
        services.donation_record(
            actor=district.cadre_a,
            campaign=campaign,
            union=district.A1,
            donor_kind=kind,
            donor_name=name,
            amount=amount,
            donated_on=dt.date(2015, 4, 1),
        )
        for name, kind, amount in amounts
    ]
    assert [d.receipt_no for d in made] == [f"CF2015-{i:06d}" for i in range(1, 5)]
    services.donation_void(actor=district.admin, donation=made[2], reason="重复登记")
    top = services.campaign_commend_top_donors(
        actor=district.admin, campaign=campaign, n=10, on=dt.date(2015, 12, 1)
    )
    assert [c.donor_name for c in top] == ["乙公司", "甲公司"]  # units only, voided left out
    with pytest.raises(DomainError):
        services.campaign_commend_top_donors(
            actor=district.admin, campaign=campaign, n=10, on=dt.date(2015, 12, 1)
        )
    qs = selectors.donations_in_year(actor=SYSTEM, union=district.F, year=2015)
    assert total(qs) == Decimal("229999.00")
    assert selectors.donation_totals_by_street(qs, district.F) == [
        {"street": "甲街道总工会", "total": Decimal("229999.00"), "n": 3}
    ]


def test_amount_in_words_on_receipts():
    from gonghui.assistance.receipts import amount_in_words

    assert amount_in_words(Decimal("57700.00")) == "伍万柒仟柒佰元整"
    assert amount_in_words(Decimal("1001.50")) == "壹仟零壹元伍角"
    assert amount_in_words(Decimal("0.05")) == "伍分"


# --- a dissolved union takes on no new work, even from a copy loaded before -------------------


@pytest.fixture
def dissolved(district):
    """A community union dissolved after the caller loaded it (the copy each call gets)."""
    from gonghui.organisation.models import Union
    from gonghui.organisation.services import union_dissolve

    gone = f.make_union(district.admin, district.A, f.KIND.COMMUNITY, name="撤并社区工会")
    head = f.make_person(district.root, gone, name="李撤并")
    ent = f.make_enterprise(district.root, gone)
    stale = Union.objects.get(pk=gone.pk)
    union_dissolve(actor=district.admin, union=gone, on=dt.date(2015, 1, 1), reason="撤并")
    assert stale.dissolved_on is None
    return {"union": stale, "head": head, "enterprise": ent}


def _campaign(district):
    return services.campaign_create(
        actor=district.admin, union=district.F, year=2015, name="春风行动", receipt_prefix="CF15"
    )


NEW_WORK = {
    "programme": lambda d, x: programme(d.admin, x["union"]),
    "campaign": lambda d, x: services.campaign_create(
        actor=d.admin, union=x["union"], year=2015, name="春风行动", receipt_prefix="CFX"
    ),
    "hardship_file": lambda d, x: hardship(d.admin, x["union"], x["head"]),
    "disbursement": lambda d, x: services.disbursement_propose(
        actor=d.admin,
        programme=programme(d.admin, d.F, requires_member=False),
        person=x["head"],
        union=x["union"],
        amount="100",
        reason="慰问",
    ),
    "visit": lambda d, x: services.visit_record(
        actor=d.admin,
        programme=programme(d.admin, d.F, kind=ProgrammeKind.FESTIVAL),
        union=x["union"],
        enterprise=x["enterprise"],
        visited_on=dt.date(2015, 2, 1),
        visitors="走访组",
    ),
    "donation": lambda d, x: services.donation_record(
        actor=d.admin,
        campaign=_campaign(d),
        union=x["union"],
        donor_kind="person",
        donor_name="张三",
        amount="100",
        donated_on=dt.date(2015, 3, 1),
    ),
}


@pytest.mark.parametrize("work", sorted(NEW_WORK))
def test_new_work_under_a_union_dissolved_since_the_caller_loaded_it_is_refused(
    district, dissolved, work
):
    with pytest.raises(DomainError) as err:
        NEW_WORK[work](district, dissolved)
    assert err.value.code == E.UNION_DISSOLVED
    assert err.value.field == "union"
    assert "撤并社区工会" in str(err.value.message)
    assert (
        not AuditEntry.objects.filter(union_path=dissolved["union"].path)
        .exclude(
            action__in=["union.create", "union.dissolve", "person.create", "enterprise.create"]
        )
        .exists()
    )


def test_a_proposal_follows_the_programmes_rules_as_they_are_now(district, prog, worker):
    from gonghui.assistance.models import Programme

    stale = Programme.objects.get(pk=prog.pk)  # max 5000 when loaded
    services.programme_update(actor=district.admin, programme=prog, max_amount=Decimal("1000"))
    with pytest.raises(DomainError) as err:
        _propose(district, stale, worker, amount="3000.00")
    assert err.value.code == E.OVER_CAP
    assert not Disbursement.objects.exists()
