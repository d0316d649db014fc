"""Street-B records of every assistance model, for tests/core/test_scope_generic.py.

Each carries the generic test's mark in a text its list shows, and is built through the
services by the root user (a second person, the federation admin, approves).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from typing import Any

from django.test import override_settings
from django.utils import timezone

from gonghui.assistance import services
from gonghui.assistance.models import (
    AidApplication,
    AidDocument,
    Campaign,
    CondolenceVisit,
    Disbursement,
    DisbursementReversal,
    Donation,
    DonorCommendation,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    Programme,
    ProgrammeKind,
)
from tests import factories as f
from tests.assistance.factories import hardship, pdf

MARK = "乙隐"


def _person(d: Any, name: str) -> Any:
    return f.make_person(d.root, d.B1, name=f"{MARK}{name}", joined=dt.date(2012, 1, 1))


def _programme(
    d: Any, kind: str = ProgrammeKind.EDUCATION, year: int = 2015, **kw: Any
) -> Programme:
    return services.programme_create(
        actor=d.root,
        union=d.B,
        name=f"{MARK}{ProgrammeKind(kind).label}",
        kind=kind,
        year=year,
        budget=Decimal("50000.00"),
        **kw,
    )


def build_programme(d: Any) -> Programme:
    return _programme(d)


def build_hardship_file(d: Any) -> HardshipFile:
    return hardship(d.root, d.B, _person(d, "户主"))


def build_household_member(d: Any) -> HouseholdMember:
    file = build_hardship_file(d)
    return services.hardship_member_add(
        actor=d.root, file=file, name=f"{MARK}子女", relation="child", birth_year=2005
    )


def build_hardship_review(d: Any) -> HardshipReview:
    file = build_hardship_file(d)
    return services.hardship_review(
        actor=d.root,
        file=file,
        reviewed_on=dt.date(2015, 3, 1),
        income_per_head=Decimal("600.00"),
        threshold=Decimal("872.00"),
        keep=True,
        note=f"{MARK}复核",
    )


def build_aid_document(d: Any) -> AidDocument:
    file = build_hardship_file(d)
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="gonghui-test-")):
        return services.hardship_document_add(
            actor=d.root, file=file, kind="income_proof", upload=pdf(f"{MARK}.pdf")
        )


def build_disbursement(d: Any) -> Disbursement:
    return services.disbursement_propose(
        actor=d.root,
        programme=_programme(d),
        person=_person(d, "受助人"),
        amount=Decimal("3000.00"),
        reason=f"{MARK}助学",
    )


def build_disbursement_reversal(d: Any) -> DisbursementReversal:
    disbursement = build_disbursement(d)
    services.disbursement_approve(actor=d.admin, disbursement=disbursement)
    services.disbursement_pay(actor=d.admin, disbursement=disbursement, paid_on=dt.date(2015, 9, 1))
    return services.disbursement_reverse(
        actor=d.admin, disbursement=disbursement, reason=f"{MARK}金额错误", on=dt.date(2015, 9, 2)
    )


def build_condolence_visit(d: Any) -> CondolenceVisit:
    ent = f.make_enterprise(d.root, d.B1, name=f"{MARK}慰问企业有限公司")
    return services.visit_record(
        actor=d.root,
        programme=_programme(d, ProgrammeKind.FESTIVAL),
        union=d.B,
        enterprise=ent,
        visited_on=dt.date(2015, 2, 10),
        visitors=f"{MARK}走访组",
    )


def build_aid_application(d: Any) -> AidApplication:
    from gonghui.accounts.services import user_create

    person = _person(d, "申请人")
    worker = user_create(
        actor=d.root, username="aid_applicant_b", password=None, role="worker", person=person
    )
    return services.application_submit(
        actor=worker,
        # open to applications today: a programme takes them in its own year
        programme=_programme(d, portal_open=True, year=timezone.localdate().year),
        amount_requested=Decimal("2000.00"),
        statement=f"{MARK}子女上大学",
        child_name=f"{MARK}子女",
        child_school="杭州市第二中学",
        child_grade="高二",
    )


def _campaign(d: Any) -> Campaign:
    return services.campaign_create(
        actor=d.root, union=d.B, year=2015, name=f"{MARK}春风行动", receipt_prefix="CFB2015"
    )


def build_campaign(d: Any) -> Campaign:
    return _campaign(d)


def build_donation(d: Any) -> Donation:
    return services.donation_record(
        actor=d.root,
        campaign=_campaign(d),
        union=d.B1,
        donor_kind="enterprise",
        donor_name=f"{MARK}捐款企业",
        amount=Decimal("8000.00"),
        donated_on=dt.date(2015, 4, 1),
    )


def build_donor_commendation(d: Any) -> DonorCommendation:
    donation = build_donation(d)
    (made,) = services.campaign_commend_top_donors(
        actor=d.root, campaign=donation.campaign, n=1, on=dt.date(2015, 12, 1)
    )
    return made


ASSISTANCE_BUILDERS = {
    Programme: build_programme,
    HardshipFile: build_hardship_file,
    HouseholdMember: build_household_member,
    HardshipReview: build_hardship_review,
    AidDocument: build_aid_document,
    Disbursement: build_disbursement,
    DisbursementReversal: build_disbursement_reversal,
    CondolenceVisit: build_condolence_visit,
    AidApplication: build_aid_application,
    Campaign: build_campaign,
    Donation: build_donation,
    DonorCommendation: build_donor_commendation,
}
