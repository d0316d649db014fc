"""The statutory path of a collective contract, the one-in-force rule and renewals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from gonghui.core.audit import history_for
from gonghui.core.errors import CoreError, DomainError
from gonghui.organisation.services import coverage_start
from gonghui.relations import services
from gonghui.relations.errors import RelationsError as E
from gonghui.relations.models import (
    CollectiveContract,
    ContractEnterprise,
    ContractStatus,
    OfferStatus,
)
from tests import factories as f
from tests.concurrency import run_at_once

from .factories import draft, in_force, signed

D = dt.date
S = ContractStatus


def refused(call: Any, **kw: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kw)
    return info.value


def _at(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC), tick=False
    )


# --- the path -----------------------------------------------------------------------------------
def test_contract_goes_from_draft_to_published_with_each_deadline(district: Any) -> None:
    actor = district.cadre_a
    c = draft(actor, district.EA, [district.ent_a], expires_on=D(2018, 9, 30))
    assert c.status == S.DRAFT
    assert c.employer_party == district.ent_a.name
    row = c.coverages.get()
    assert (row.enterprise, row.kind, row.in_force_from) == (district.ent_a, "general", None)

    c = signed(actor, c, D(2015, 9, 21))
    assert c.status == S.SIGNED
    assert c.filing_due_on == D(2015, 10, 8)  # the tenth day falls in the National Day holiday

    c = services.contract_file(actor=actor, contract=c, filed_on=D(2015, 9, 24))
    assert (c.status, c.objection_ends_on) == (S.FILED, D(2015, 10, 9))

    with _at(D(2015, 10, 9)):
        err = refused(services.contract_take_effect, actor=actor, contract=c)
    assert err.code == E.TOO_EARLY
    with _at(D(2015, 10, 12)):
        c = services.contract_take_effect(actor=actor, contract=c)
    assert (c.status, c.effective_on) == (S.EFFECTIVE, D(2015, 10, 10))
    assert c.publish_due_on == D(2015, 10, 20)
    row.refresh_from_db()
    assert (row.in_force_from, row.in_force_until) == (D(2015, 10, 10), D(2018, 9, 30))

    c = services.contract_publish(actor=actor, contract=c, published_on=D(2015, 10, 15))
    assert c.status == S.PUBLISHED
    assert c.is_in_force_on(D(2016, 1, 1))
    actions = [e.action for e in history_for(c).order_by("pk")]
    assert actions == [
        "contract.create",
        "contract.vote",
        "contract.sign",
        "contract.file",
        "contract.effect",
        "contract.publish",
    ]


def test_agreed_start_later_than_the_review_is_the_effective_date(district: Any) -> None:
    c = in_force(
        district.root,
        district.EA,
        [district.ent_a],
        signed_on=D(2015, 3, 2),
        starts_on=D(2015, 4, 1),
        expires_on=D(2016, 3, 31),
        kind="wage",
    )
    assert c.effective_on == D(2015, 4, 1)


def test_objection_sends_the_contract_back_to_be_filed_again(district: Any) -> None:
    actor = district.root
    c = signed(actor, draft(actor, district.EA, [district.ent_a]), D(2015, 5, 4))
    c = services.contract_file(actor=actor, contract=c, filed_on=D(2015, 5, 6))
    c = services.contract_review(
        actor=actor, contract=c, on=D(2015, 5, 15), objection="工资条款低于最低工资标准"
    )
    assert (c.status, c.effective_on) == (S.OBJECTED, None)
    c = services.contract_file(actor=actor, contract=c, filed_on=D(2015, 5, 25))
    c = services.contract_review(actor=actor, contract=c, on=D(2015, 6, 2))
    assert (c.status, c.effective_on) == (S.EFFECTIVE, D(2015, 6, 2))


# --- the workers' congress ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("delegates", "present", "votes_for", "code"),
    [
        (60, 39, 39, E.VOTE_QUORUM),  # 39 < 40 = two-thirds of 60
        (60, 40, 30, E.VOTE_MAJORITY),  # 30 is not more than half of all 60
        (60, 61, 40, E.VOTE_NUMBERS),
        (60, 50, 51, E.VOTE_NUMBERS),
    ],
)
def test_workers_congress_numbers_are_checked(
    district: Any, delegates: int, present: int, votes_for: int, code: str
) -> None:
    c = draft(district.root, district.EA, [district.ent_a])
    err = refused(
        services.contract_vote,
        actor=district.root,
        contract=c,
        voted_on=D(2015, 3, 1),
        delegates=delegates,
        present=present,
        votes_for=votes_for,
    )
    assert err.code == code
    c.refresh_from_db()
    assert c.status == S.DRAFT


def test_vote_at_exactly_two_thirds_present_and_a_bare_majority_passes(district: Any) -> None:
    c = draft(district.root, district.EA, [district.ent_a])
    c = services.contract_vote(
        actor=district.root,
        contract=c,
        voted_on=D(2015, 3, 1),
        delegates=60,
        present=40,
        votes_for=31,
    )
    assert c.status == S.ADOPTED


def test_database_refuses_a_vote_below_the_quorum(district: Any) -> None:
    c = draft(district.root, district.EA, [district.ent_a])
    CollectiveContract.objects.filter(pk=c.pk).update(voted_on=D(2015, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectiveContract.objects.filter(pk=c.pk).update(
            delegates=60, delegates_present=39, votes_for=39
        )


# --- who may sign what ----------------------------------------------------------------------
def test_union_must_cover_the_enterprise(district: Any) -> None:
    err = refused(draft, actor=district.root, union=district.EA, firms=[district.ent_b])
    assert err.code == E.ENTERPRISE_OUT_OF_SCOPE


def test_sector_contract_is_signed_by_a_joint_union_for_the_enterprises_it_covers(
    district: Any,
) -> None:
    root = district.root
    joint = f.make_union(root, district.A1, f.KIND.JOINT, "甲餐饮行业联合工会", joint_kind="trade")
    shops = [f.make_enterprise(root, district.A1, workforce=12) for _ in range(3)]
    for shop in shops:
        coverage_start(actor=root, union=joint, enterprise=shop, on=D(2014, 1, 1))
    c = draft(root, joint, shops, level="sector", kind="wage", employer_party="甲街道餐饮协会")
    assert c.coverages.count() == 3
    assert sum(r.workers_covered for r in c.coverages.all()) == 36
    err = refused(draft, actor=root, union=district.EA, firms=[district.ent_a], level="sector")
    assert err.code == E.UNION_KIND
    err = refused(draft, actor=root, union=joint, firms=shops, level="enterprise")
    assert err.code == E.ENTERPRISE_REQUIRED


def test_street_a_cadre_cannot_draft_for_a_street_b_union(district: Any) -> None:
    err = refused(draft, actor=district.cadre_a, union=district.EB, firms=[district.ent_b])
    assert err.code == CoreError.NOT_FOUND


# --- one contract of a kind in force at a time ---------------------------------------------------
def test_second_contract_of_the_same_kind_over_overlapping_dates_is_refused(district: Any) -> None:
    root = district.root
    in_force(
        root, district.EA, [district.ent_a], signed_on=D(2015, 1, 5), expires_on=D(2017, 12, 31)
    )
    c = signed(root, draft(root, district.EA, [district.ent_a]), D(2015, 6, 1))
    c = services.contract_file(actor=root, contract=c, filed_on=D(2015, 6, 2))
    err = refused(services.contract_review, actor=root, contract=c, on=D(2015, 6, 10))
    assert err.code == E.OVERLAP
    assert district.ent_a.name in str(err.message)
    c.refresh_from_db()
    assert c.status == S.FILED
    # Another kind is no clash.
    wage = in_force(
        root,
        district.EA,
        [district.ent_a],
        kind="wage",
        signed_on=D(2015, 6, 1),
        expires_on=D(2016, 5, 31),
    )
    assert wage.status == S.EFFECTIVE


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint")
def test_database_refuses_overlapping_contracts_of_a_kind_for_an_enterprise(district: Any) -> None:
    root = district.root
    in_force(
        root, district.EA, [district.ent_a], signed_on=D(2015, 1, 5), expires_on=D(2017, 12, 31)
    )
    other = draft(root, district.EA, [district.ent_a])
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractEnterprise.objects.filter(contract=other).update(
            in_force_from=D(2017, 12, 31), in_force_until=D(2018, 12, 31)
        )
    # Touching days do not overlap.
    ContractEnterprise.objects.filter(contract=other).update(
        in_force_from=D(2018, 1, 1), in_force_until=D(2018, 12, 31)
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_contracts_taking_effect_at_once_for_one_enterprise_one_wins(district: Any) -> None:
    root = district.root
    filed = []
    for _ in range(2):
        c = signed(root, draft(root, district.EA, [district.ent_a]), D(2015, 6, 1))
        filed.append(services.contract_file(actor=root, contract=c, filed_on=D(2015, 6, 2)))

    def work(i: int) -> Any:
        return services.contract_review(actor=root, contract=filed[i], on=D(2015, 6, 10))

    results, errors = run_at_once(2, work)
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert errors[0].code == E.OVERLAP
    assert ContractEnterprise.objects.filter(in_force_from__isnull=False).count() == 1


# --- ending, checking, cancelling --------------------------------------------------------------
def test_terminated_contract_is_in_force_until_the_day_before(district: Any) -> None:
    c = in_force(
        district.root,
        district.EA,
        [district.ent_a],
        signed_on=D(2015, 1, 5),
        expires_on=D(2017, 12, 31),
    )
    c = services.contract_terminate(
        actor=district.root, contract=c, on=D(2016, 7, 1), reason="企业改制，双方协商解除"
    )
    assert c.last_day == D(2016, 6, 30)
    assert c.coverages.get().in_force_until == D(2016, 6, 30)
    assert not c.is_in_force_on(D(2016, 7, 1))


def test_cancelled_draft_stays_on_file(district: Any) -> None:
    c = draft(district.root, district.EA, [district.ent_a])
    c = services.contract_cancel(actor=district.root, contract=c, reason="职代会未召开")
    assert c.status == S.CANCELLED
    assert "职代会未召开" in c.note
    err = refused(services.contract_cancel, actor=district.root, contract=c, reason="again")
    assert err.code == E.BAD_STATE


# --- renewal -------------------------------------------------------------------------------
def test_renewal_from_the_offer_is_linked_to_the_contract_it_renews(district: Any) -> None:
    root = district.root
    old = in_force(
        root,
        district.EA,
        [district.ent_a],
        kind="wage",
        signed_on=D(2014, 6, 3),
        expires_on=D(2015, 6, 30),
    )
    offer = services.contract_start_renewal(actor=root, contract=old, offered_on=D(2015, 5, 4))
    assert (offer.renews, offer.kind, offer.enterprise) == (old, "wage", district.ent_a)
    assert offer.answer_due_on == D(2015, 5, 25)
    err = refused(
        services.contract_start_renewal, actor=root, contract=old, offered_on=D(2015, 5, 5)
    )
    assert err.code == E.ALREADY_RENEWED

    offer = services.offer_answer(
        actor=root, offer=offer, answered_on=D(2015, 5, 11), answer="同意于5月中旬协商"
    )
    assert (offer.status, offer.talks_due_on) == (OfferStatus.ANSWERED, D(2015, 5, 25))
    services.offer_record_round(actor=root, offer=offer, held_on=D(2015, 5, 15), summary="首轮")
    services.offer_record_round(actor=root, offer=offer, held_on=D(2015, 5, 22), summary="二轮")
    offer = services.offer_agree(actor=root, offer=offer, agreed_on=D(2015, 5, 22))
    new = services.offer_draft_contract(
        actor=root, offer=offer, title="2015年工资专项集体合同", expires_on=D(2016, 6, 30)
    )
    assert new.renews == old
    assert list(old.renewals.all()) == [new]
    offer.refresh_from_db()
    assert offer.contract == new
    assert [r.number for r in offer.rounds.all()] == [1, 2]

    new = signed(root, new, D(2015, 6, 1))
    new = services.contract_file(actor=root, contract=new, filed_on=D(2015, 6, 3))
    new = services.contract_review(actor=root, contract=new, on=D(2015, 6, 12))
    # The renewal takes over on the day it takes effect: the old one ends the day before.
    old.refresh_from_db()
    assert old.last_day == D(2015, 6, 11)
    assert new.effective_on == D(2015, 6, 12)
    assert not old.is_in_force_on(D(2015, 6, 12))


def test_contract_is_renewed_once_and_by_the_same_kind(district: Any) -> None:
    root = district.root
    old = in_force(
        root, district.EA, [district.ent_a], signed_on=D(2013, 1, 7), expires_on=D(2015, 12, 31)
    )
    err = refused(
        draft, actor=root, union=district.EA, firms=[district.ent_a], kind="wage", renews=old
    )
    assert err.code == E.RENEWAL
    draft(root, district.EA, [district.ent_a], renews=old, expires_on=D(2018, 12, 31))
    err = refused(draft, actor=root, union=district.EA, firms=[district.ent_a], renews=old)
    assert err.code == E.ALREADY_RENEWED


def test_draft_with_future_dates_is_refused(district: Any) -> None:
    c = draft(district.root, district.EA, [district.ent_a])
    with _at(D(2015, 6, 1)):
        err = refused(
            services.contract_vote,
            actor=district.root,
            contract=c,
            voted_on=D(2015, 6, 2),
            delegates=10,
            present=10,
            votes_for=10,
        )
    assert err.code == E.BAD_DATES
    c.refresh_from_db()
    assert c.status == S.DRAFT
