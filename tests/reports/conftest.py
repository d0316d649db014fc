"""A small year of records in the test district, for the report engine's tests.

2015: street A founds two unions (one a joint union covering a new enterprise), street B
one; street A gains three members, street B one. 2014: street A founds one union and gains
one member. The sample domain lends three books in street A in 2015 and returns two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from gonghui.organisation.services import coverage_start
from tests import factories as f
from tests.sampledomain.models import Loan
from tests.sampledomain.services import loan_create

D = dt.date


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Year:
    d: Any  # the district
    a_2015: Any
    joint_2015: Any
    b_2015: Any
    a_2014: Any
    new_ent: Any
    a_members: list[Any]
    b_member: Any
    loans: list[Any]


@pytest.fixture
def year(district: Any) -> Year:
    d, r = district, district.root
    a_2015 = f.make_union(r, d.A, f.KIND.COMMUNITY, "甲二社区工会", founded_on=D(2015, 3, 1))
    joint = f.make_union(
        r, d.A1, f.KIND.JOINT, "甲联合工会", joint_kind="trade", founded_on=D(2015, 6, 1)
    )
    new_ent = f.make_enterprise(r, d.A1, name="甲新企业有限公司")
    coverage_start(actor=r, union=joint, enterprise=new_ent, on=D(2015, 6, 1))
    b_2015 = f.make_union(r, d.B, f.KIND.COMMUNITY, "乙二社区工会", founded_on=D(2015, 9, 30))
    a_2014 = f.make_union(r, d.A, f.KIND.COMMUNITY, "甲三社区工会", founded_on=D(2014, 5, 1))
    a_members = [
        f.make_person(r, d.A1, name=f"甲会员{i}", joined=D(2015, 2 + i, 1)) for i in range(3)
    ]
    f.make_person(r, d.A1, name="甲老会员", joined=D(2014, 7, 1))
    b_member = f.make_person(r, d.B1, name="乙会员", joined=D(2015, 11, 1))
    loans = [
        loan_create(
            actor=r,
            union=d.A1,
            title=f"书{i}",
            borrower="张三",
            lent_on=D(2015, 3, 1),
            due_on=D(2015, 4, 1),
        )
        for i in range(3)
    ]
    Loan.objects.filter(pk__in=[loans[0].pk, loans[1].pk]).update(returned_on=D(2015, 3, 20))
    return Year(d, a_2015, joint, b_2015, a_2014, new_ent, a_members, b_member, loans)
