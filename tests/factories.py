"""Test data: valid identifiers and a small union tree, built through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from stdnum.cn.ric import calc_check_digit as ric_check
from stdnum.cn.uscc import calc_check_digit as uscc_check

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.membership import services as membership_services
from gonghui.organisation import services as org_services
from gonghui.organisation.models import UnionKind

_seq = itertools.count(1)
PASSWORD = "Correct-Horse-42"


def make_ric(
    *, region: str = "330104", born: dt.date = dt.date(1988, 6, 15), female: bool = False
) -> str:
    """A valid 18-character ID number, unique per call."""
    n = next(_seq) % 500
    order = n * 2 + (0 if female else 1)
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + ric_check(body + "0")


def make_uscc() -> str:
    body = f"91330104MA{next(_seq):07d}"
    return body + uscc_check(body + "0")


def make_union(actor: Any, parent: Any, kind: str, name: str | None = None, **kw: Any) -> Any:
    n = next(_seq)
    return org_services.union_create(
        actor=actor,
        parent=parent,
        name=name or f"工会{n}",
        code=kw.pop("code", f"T-{n}"),
        kind=kind,
        founded_on=kw.pop("founded_on", dt.date(2010, 1, 1)),
        **kw,
    )


def make_person(actor: Any, union: Any, *, joined: dt.date | None = None, **kw: Any) -> Any:
    person = membership_services.person_create(
        actor=actor,
        union=union,
        name=kw.pop("name", f"职工{next(_seq)}"),
        ric=kw.pop("ric", None) or make_ric(),
        **kw,
    )
    if joined:
        membership_services.membership_join(actor=actor, person=person, union=union, on=joined)
    return person


def make_enterprise(actor: Any, union: Any, **kw: Any) -> Any:
    return org_services.enterprise_create(
        actor=actor,
        union=union,
        name=kw.pop("name", f"企业{next(_seq)}有限公司"),
        uscc=kw.pop("uscc", None) or make_uscc(),
        **kw,
    )


def make_user(actor: Any, role: str, union: Any, **kw: Any) -> Any:
    return user_create(
        actor=actor,
        username=kw.pop("username", f"u{next(_seq)}"),
        password=PASSWORD,
        role=role,
        union=union,
        **kw,
    )


ROLE = RoleGrant.Role
KIND = UnionKind
