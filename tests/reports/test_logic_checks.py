"""Logic checks before a report is final: each rule finds the records at fault, finds nothing
in consistent records, and lists only what the reader may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from gonghui.assistance import services as aid
from gonghui.assistance.models import ProgrammeKind
from gonghui.core.metrics import MetricQuery, Period
from gonghui.core.scope import SYSTEM
from gonghui.organisation import services as org
from gonghui.reports.checks import all_checks, check_get, findings, run_checks
from tests import factories as f
from tests.assistance import factories as af
from tests.sampledomain.models import Loan
from tests.sampledomain.services import loan_create

from .conftest import client_for

D = dt.date
Y2015 = Period.of(2015)


def run(check_id: str, union: Any, actor: Any = SYSTEM, period: Period = Y2015) -> Any:
    check = check_get(check_id)
    assert check is not None, f"{check_id} is not registered"
    return check.run(MetricQuery(actor=actor, union=union, period=period))


def test_the_domains_rules_are_registered_by_their_apps():
    owners = {c.id: c.owner for c in all_checks()}
    assert owners["organisation.covered_beyond_enterprises_on_record"] == "organisation"
    assert owners["membership.joined_before_union_founded"] == "membership"
    assert owners["assistance.paid_after_file_closed"] == "assistance"
    assert owners["rate.sample.return_rate"] == "reports"  # one per figure in percent


def test_consistent_records_pass_every_check(year):
    outcomes = run_checks(actor=SYSTEM, union=year.d.F, period=Y2015)
    assert outcomes
    assert findings(outcomes) == []


# --- organisation: more enterprises covered than on record ------------------------------------
def test_covered_enterprises_beyond_those_on_record_are_found(year):
    d = year.d
    # Street A's new joint union covers two enterprises kept by street B.
    far = [f.make_enterprise(d.root, d.B1, name=f"乙外企业{i}") for i in range(2)]
    for ent in far:
        org.coverage_start(actor=d.root, union=year.joint_2015, enterprise=ent, on=D(2015, 7, 1))

    result = run("organisation.covered_beyond_enterprises_on_record", d.A)

    # Street A keeps two enterprises (ent_a, the new one); the figure counts three.
    assert result.count == 2
    assert set(result.records) == set(far)
    assert "3 家" in result.message
    assert "2 家" in result.message
    # The district keeps all of them: nothing contradicts there.
    assert run("organisation.covered_beyond_enterprises_on_record", d.F).count == 0


def test_covered_enterprises_within_those_on_record_pass(year):
    assert run("organisation.covered_beyond_enterprises_on_record", year.d.A).count == 0


# --- membership: joined a union before it was founded ------------------------------------------
def test_members_who_joined_before_their_union_was_founded_are_found(year):
    d = year.d
    # A1's founding date is corrected afterwards to 15 March 2015: its members who joined on
    # 1 February and 1 March 2015 and in July 2014 joined before it existed.
    org.union_update(actor=d.root, union=d.A1, founded_on=D(2015, 3, 15))

    result = run("membership.joined_before_union_founded", d.F)

    assert result.count == 3  # 甲会员2 joined on 1 April: after
    assert {m.person.name for m in result.records} == {"甲会员0", "甲会员1", "甲老会员"}
    assert "3 条会籍" in result.message
    # Street B's report sees none of it.
    assert run("membership.joined_before_union_founded", d.B).count == 0


def test_a_membership_ended_before_the_period_is_not_a_finding_of_it(year):
    d = year.d
    org.union_update(actor=d.root, union=d.A1, founded_on=D(2015, 3, 15))
    assert run("membership.joined_before_union_founded", d.F, period=Period.of(2013)).count == 0


# --- assistance: paid after the family left the file -------------------------------------------
@pytest.fixture
def family(year):
    d = year.d
    head = af.person(d.root, d.A1, name="困难户主")
    file = af.hardship(d.root, d.A1, head, filed_on=D(2014, 3, 1))
    prog = af.programme(
        d.root, d.A, kind=ProgrammeKind.FESTIVAL, budget="50000.00", recipient_kind=af.HOUSEHOLD
    )
    return d, head, file, prog


def _pay(d, prog, head, file, paid_on, period):
    disbursement = aid.disbursement_propose(
        actor=d.cadre_a,
        programme=prog,
        person=head,
        family=file,
        amount=Decimal("800.00"),
        reason="节日慰问",
        period=period,
    )
    aid.disbursement_approve(actor=d.admin, disbursement=disbursement)
    return aid.disbursement_pay(actor=d.admin, disbursement=disbursement, paid_on=paid_on)


def test_a_disbursement_paid_after_the_family_left_the_file_is_found(family):
    d, head, file, prog = family
    before = _pay(d, prog, head, file, D(2015, 1, 20), "2015-春节")
    after = _pay(d, prog, head, file, D(2015, 9, 10), "2015-中秋")
    # The family's leaving is recorded late, dated back to the summer.
    aid.hardship_file_leave(actor=d.admin, file=file, on=D(2015, 7, 1), reason="income_raised")

    result = run("assistance.paid_after_file_closed", d.F)

    assert result.count == 1
    assert list(result.records) == [after]
    assert before not in result.records
    assert run("assistance.paid_after_file_closed", d.B).count == 0


def test_paid_on_the_day_the_family_left_is_a_finding(family):
    d, head, file, prog = family
    paid = _pay(d, prog, head, file, D(2015, 7, 1), "2015-七一")
    aid.hardship_file_leave(actor=d.admin, file=file, on=D(2015, 7, 1), reason="income_raised")
    assert list(run("assistance.paid_after_file_closed", d.F).records) == [paid]


# --- reports: a rate above 100 % -------------------------------------------------------------
def test_a_rate_above_100_percent_is_found_with_its_records(year):
    d = year.d
    old = loan_create(
        actor=d.root,
        union=d.A1,
        title="旧书",
        borrower="李四",
        lent_on=D(2014, 12, 1),
        due_on=D(2015, 1, 1),
    )
    # Every 2015 loan and the 2014 one come back in 2015: 4 returns for 3 loans.
    Loan.objects.update(returned_on=D(2015, 5, 1))

    result = run("rate.sample.return_rate", d.F)

    assert result.count == 4
    assert old in result.records
    assert "133.3%" in result.message
    assert run("rate.sample.return_rate", d.B).count == 0


# --- the report page and the records page ------------------------------------------------------
def test_report_page_lists_the_findings_with_links_to_their_records(year):
    d = year.d
    org.union_update(actor=d.root, union=d.A1, founded_on=D(2015, 3, 15))
    client = client_for(d.admin)

    page = client.get(reverse("admin:annual_report"), {"union": d.F.pk, "year": 2015})

    html = page.content.decode()
    assert "入会（转入）日期不得早于所在工会的成立日期" in html
    url = reverse("admin:report_check_records", args=["membership.joined_before_union_founded"])
    assert url in html
    records = client.get(url, {"union": d.F.pk, "year": 2015})
    assert records.status_code == 200
    assert records.context["page"].paginator.count == 3
    assert "甲老会员" in records.content.decode()


def test_check_records_read_through_the_viewers_scope(year):
    d = year.d
    org.union_update(actor=d.root, union=d.B1, founded_on=D(2015, 12, 1))
    url = reverse("admin:report_check_records", args=["membership.joined_before_union_founded"])

    assert client_for(d.cadre_a).get(url, {"union": d.B.pk, "year": 2015}).status_code == 404
    mine = client_for(d.cadre_a).get(url, {"year": 2015})
    assert mine.context["result"].count == 0
    theirs = client_for(d.cadre_b).get(url, {"year": 2015})
    assert theirs.context["result"].count == 1
    assert "乙会员" in theirs.content.decode()
