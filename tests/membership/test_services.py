"""Behaviour of the membership services: people, their ID numbers, and membership history."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from stdnum.cn.ric import calc_check_digit as ric_check

from gonghui.core import pii
from gonghui.core.audit import history_for
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.metrics import Period
from gonghui.core.models import AuditEntry, PiiAccessLog
from gonghui.core.scope import SYSTEM
from gonghui.membership import services as ms
from gonghui.membership.errors import MembershipError as E
from gonghui.membership.models import (
    EndReason,
    Membership,
    Person,
    RetainedReason,
    StartReason,
)
from gonghui.membership.selectors import members_joined, members_on
from gonghui.organisation.models import UnionKind
from gonghui.organisation.services import union_dissolve
from tests import factories as f

D = dt.date
LONG_AGO = D(2020, 1, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The district fixture creates six accounts; Argon2 would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def refused(call: Any, **kw: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kw)
    return info.value


def last_audit(obj: Any) -> Any:
    entry = history_for(obj).first()
    assert entry is not None, f"no audit entry for {obj!r}"
    return entry


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def ric_of(region: str, born: D, order: int) -> str:
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + ric_check(body + "0")


def ric_ending_in_x() -> str:
    return next(r for n in range(1000) if (r := ric_of("110105", D(1970, 3, 8), n)).endswith("X"))


def frozen(day: D, hour: int = 12, minute: int = 0) -> Any:
    """Freeze the clock at a Shanghai wall-clock time on ``day``."""
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def create_person(district: Any, ric: str, **kw: Any) -> Person:
    return ms.person_create(
        actor=district.admin,
        union=kw.pop("union", district.A1),
        name=kw.pop("name", "张三"),
        ric=ric,
        **kw,
    )


def join(district: Any, person: Person, union: Any, on: D) -> Membership:
    return ms.membership_join(actor=district.admin, person=person, union=union, on=on)


def member(district: Any, union: Any, on: D = LONG_AGO) -> Membership:
    """A new person who joined ``union`` on ``on``; their open membership."""
    person = f.make_person(district.admin, union)
    return join(district, person, union, on)


# --- person_create --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        lambda r: r.lower(),
        full_width,
        lambda r: full_width(r.lower()),
        lambda r: f" {r[:6]} {r[6:14]}\u3000{r[14:]} ",
    ],
    ids=["lower-case-x", "full-width", "full-width-lower-case", "spaces"],
)
def test_person_create_normalizes_id_number(district, spelling):
    ric = ric_ending_in_x()

    person = create_person(district, spelling(ric))

    person.refresh_from_db()
    assert pii.decrypt(person.ric_encrypted) == ric
    assert person.ric_hash == pii.lookup_hash(ric)
    assert person.ric_masked == ric[:6] + "********" + ric[-4:]
    assert person.ric_masked.endswith("X")


def test_person_create_converts_fifteen_digit_legacy_number(district):
    person = create_person(district, "330104900101123")

    expected = ric_of("330104", D(1990, 1, 1), 123)
    assert pii.decrypt(person.ric_encrypted) == expected
    assert person.ric_hash == pii.lookup_hash(expected)
    assert person.birth_date == D(1990, 1, 1)
    assert person.gender == "M"


def test_person_create_keeps_id_number_encrypted_at_rest(district):
    ric = ric_of("330104", D(1985, 11, 2), 456)

    person = create_person(district, ric)

    row = Person.objects.filter(pk=person.pk).values()[0]
    stored = " ".join(str(v) for v in row.values())
    assert ric not in stored
    assert ric[6:14] not in stored  # not even the birth date digits
    assert row["ric_masked"] == ric[:6] + "********" + ric[-4:]
    assert Person.objects.get(ric_hash=pii.lookup_hash(ric)) == person


def test_person_create_derives_gender_and_birth_date(district):
    man = create_person(district, ric_of("330104", D(1975, 2, 28), 11))
    woman = create_person(district, ric_of("330104", D(2001, 12, 31), 12))

    assert (man.gender, man.birth_date) == ("M", D(1975, 2, 28))
    assert (woman.gender, woman.birth_date) == ("F", D(2001, 12, 31))
    assert woman.get_gender_display() == "女"


def test_person_create_refuses_same_id_number_in_another_spelling(district):
    ric = ric_of("330104", D(1990, 1, 1), 123)
    create_person(district, ric)

    err = refused(
        ms.person_create,
        actor=district.admin,
        union=district.B1,
        name="李四",
        ric="330104900101123",
    )

    assert err.code == E.DUPLICATE_PERSON
    assert err.field == "ric"
    assert str(err.message) == f"身份证号 {ric[:6]}********{ric[-4:]} 已有人员档案，请勿重复建档。"
    assert Person.objects.count() == 1


def test_person_create_refuses_bad_id_number_with_chinese_message(district):
    ric = ric_of("330104", D(1990, 1, 1), 123)
    wrong = "0" if ric[-1] != "0" else "1"

    err = refused(create_person, district=district, ric=ric[:17] + wrong)

    assert err.code == E.INVALID_RIC
    assert err.field == "ric"
    assert str(err.message) == f"身份证号码校验位错误：应为 {ric[-1]}，实为 {wrong}。"
    assert not Person.objects.exists()


def test_person_create_refuses_bad_mobile_with_chinese_message(district):
    err = refused(create_person, district=district, ric=f.make_ric(), mobile="010-12345678")

    assert err.code == E.INVALID_MOBILE
    assert err.field == "mobile"
    assert str(err.message) == "“010-12345678”不是有效的中国大陆手机号码。"
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "raw", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "１３８１２３４５６７８"]
)
def test_person_create_stores_mobile_in_e164(district, raw):
    person = create_person(district, f.make_ric(), mobile=raw)

    person.refresh_from_db()
    assert person.mobile == "+8613812345678"
    assert person.mobile_masked == "138****5678"


def test_person_create_refuses_blank_name(district):
    err = refused(create_person, district=district, ric=f.make_ric(), name="  ")

    assert err.code == E.NAME_REQUIRED


def test_person_create_records_audit_entry(district):
    person = ms.person_create(
        actor=district.cadre_a, union=district.A1, name="王五", ric=f.make_ric()
    )

    entry = last_audit(person)
    assert entry.actor == district.cadre_a
    assert entry.action == "person.create"
    assert entry.message == "建立人员档案"
    assert entry.union_path == district.A1.path


def test_person_create_outside_scope_is_not_found(district):
    err = refused(
        ms.person_create, actor=district.cadre_a, union=district.B1, name="越权", ric=f.make_ric()
    )

    assert err.code == CoreError.NOT_FOUND


# --- person_update --------------------------------------------------------------------------


def test_person_update_normalizes_mobile_and_records_diff(district):
    person = create_person(district, f.make_ric())

    ms.person_update(
        actor=district.cadre_a, person=person, name="张三丰", mobile="139 0000 1111", migrant=True
    )

    person.refresh_from_db()
    assert person.mobile == "+8613900001111"
    entry = last_audit(person)
    assert entry.action == "person.update"
    assert entry.actor == district.cadre_a
    assert entry.message == "修改人员信息"
    assert entry.changes == {
        "姓名": ["张三", "张三丰"],
        "手机号码": ["", "139****1111"],  # masked in the trail (core.audit)
        "外来务工人员": [False, True],
    }


def test_person_update_corrected_id_number_is_rehashed_and_never_audited_in_full(district):
    old = ric_of("330104", D(1980, 1, 1), 11)
    new = ric_of("330104", D(1981, 5, 6), 22)
    person = create_person(district, old)

    ms.person_update(actor=district.admin, person=person, ric=new.lower())

    person.refresh_from_db()
    assert pii.decrypt(person.ric_encrypted) == new
    assert person.ric_hash == pii.lookup_hash(new)
    assert (person.gender, person.birth_date) == ("F", D(1981, 5, 6))
    trail = " ".join(f"{e.message} {e.changes}" for e in AuditEntry.objects.all())
    assert old not in trail
    assert new not in trail
    assert last_audit(person).changes["身份证号"] == [
        old[:6] + "********" + old[-4:],
        new[:6] + "********" + new[-4:],
    ]


def test_person_update_refuses_id_number_of_another_person(district):
    taken = f.make_ric()
    create_person(district, taken)
    person = create_person(district, f.make_ric())

    err = refused(ms.person_update, actor=district.admin, person=person, ric=taken)

    assert err.code == E.DUPLICATE_PERSON
    person.refresh_from_db()
    assert person.ric_hash != pii.lookup_hash(taken)


def test_person_update_refuses_bad_mobile_and_unknown_fields(district):
    person = create_person(district, f.make_ric(), mobile="13812345678")

    assert refused(ms.person_update, actor=district.admin, person=person, mobile="12345").code == (
        E.INVALID_MOBILE
    )
    assert "union" in str(
        refused(ms.person_update, actor=district.admin, person=person, union=district.B1).message
    )
    person.refresh_from_db()
    assert (person.mobile, person.union) == ("+8613812345678", district.A1)


def test_person_update_outside_scope_is_not_found(district):
    person = create_person(district, f.make_ric(), union=district.B1)

    err = refused(ms.person_update, actor=district.cadre_a, person=person, name="改名")

    assert err.code == CoreError.NOT_FOUND


# --- person_reveal_ric ----------------------------------------------------------------------


def test_person_reveal_ric_by_federation_admin_returns_number_and_logs(district):
    ric = ric_ending_in_x()
    person = create_person(district, ric.lower())

    shown = ms.person_reveal_ric(actor=district.admin, person=person, reason="  核对会员身份 ")

    assert shown == ric
    log = PiiAccessLog.objects.get()
    assert (log.actor, log.person, log.field) == (district.admin, person, "ric")
    assert log.reason == "核对会员身份"
    assert log.union_path == district.A1.path


@pytest.mark.parametrize("who", ["cadre_a", "leader", "evaluator"])
def test_person_reveal_ric_without_reveal_right_is_refused(district, who):
    person = create_person(district, f.make_ric())

    err = refused(ms.person_reveal_ric, actor=getattr(district, who), person=person, reason="核对")

    assert err.code == CoreError.PII_FORBIDDEN
    assert str(err.message) == "您没有查看完整身份证号的权限。"
    assert not PiiAccessLog.objects.exists()


def test_person_reveal_ric_by_cadre_granted_reveal_covers_own_subtree_only(district):
    cadre = f.make_user(district.root, f.ROLE.UNION_CADRE, district.A, can_reveal_pii=True)
    ric = f.make_ric()
    own = create_person(district, ric)
    other = create_person(district, f.make_ric(), union=district.B1)

    assert ms.person_reveal_ric(actor=cadre, person=own, reason="核对") == ric
    err = refused(ms.person_reveal_ric, actor=cadre, person=other, reason="核对")
    # Outside the cadre's scope the person does not exist for it (not just "forbidden").
    assert err.code == CoreError.NOT_FOUND
    assert PiiAccessLog.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "\u3000", "看"])
def test_person_reveal_ric_requires_reason(district, reason):
    person = create_person(district, f.make_ric())

    err = refused(ms.person_reveal_ric, actor=district.admin, person=person, reason=reason)

    assert err.code == E.REASON_REQUIRED
    assert err.field == "reason"
    assert str(err.message) == "请填写查看事由（至少两个字）。"
    assert not PiiAccessLog.objects.exists()


# --- membership_join ------------------------------------------------------------------------


def test_membership_join_opens_membership_and_records_audit(district):
    person = f.make_person(district.admin, district.A1)

    m = ms.membership_join(
        actor=district.cadre_a, person=person, union=district.A1, on=D(2021, 3, 1)
    )

    assert (m.union, m.started_on, m.start_reason, m.ended_on) == (
        district.A1,
        D(2021, 3, 1),
        StartReason.JOINED,
        None,
    )
    entry = last_audit(m)
    assert entry.actor == district.cadre_a
    assert entry.action == "membership.join"
    assert entry.message == "2021-03-01 加入“甲一社区工会”"


def test_membership_join_moves_person_record_to_the_union(district):
    person = f.make_person(district.admin, district.A1)

    join(district, person, district.EA, D(2021, 3, 1))

    person.refresh_from_db()
    assert person.union == district.EA


def test_membership_join_while_open_is_refused(district):
    m = member(district, district.A1)

    err = refused(
        ms.membership_join,
        actor=district.admin,
        person=m.person,
        union=district.EA,
        on=D(2022, 1, 1),
    )

    assert err.code == E.ALREADY_MEMBER
    assert str(err.message) == f"{m.person.name} 已是“甲一社区工会”会员，如需变更请办理转会。"
    assert m.person.memberships.count() == 1


def test_membership_join_dated_before_end_of_previous_stretch_is_refused(district):
    m = member(district, district.A1, D(2020, 1, 1))
    ms.membership_leave(actor=district.admin, membership=m, on=D(2021, 1, 1))

    for on in (D(2020, 12, 31), D(2019, 6, 1)):
        err = refused(
            ms.membership_join, actor=district.admin, person=m.person, union=district.A1, on=on
        )
        assert err.code == E.BAD_DATES
        assert str(err.message) == "入会日期早于该人员上一段会籍的终止日期。"
    assert m.person.memberships.count() == 1


def test_membership_rejoin_on_the_day_previous_stretch_ended_is_allowed(district):
    m = member(district, district.A1, D(2020, 1, 1))
    ms.membership_leave(actor=district.admin, membership=m, on=D(2021, 1, 1))

    again = join(district, m.person, district.EA, D(2021, 1, 1))

    assert again.start_reason == StartReason.JOINED
    assert members_on(actor=district.admin, union=district.F, on=D(2021, 1, 1)).get() == again


@pytest.mark.parametrize(
    ("on", "ok"),
    [(D(2020, 4, 30), False), (D(2020, 5, 1), True)],
    ids=["day-before", "founding-day"],
)
def test_membership_join_refused_before_union_founded_allowed_on_founding_day(district, on, ok):
    late = f.make_union(district.admin, district.A1, UnionKind.ENTERPRISE, founded_on=D(2020, 5, 1))
    person = f.make_person(district.admin, district.A1)

    if ok:
        assert join(district, person, late, on).union == late
    else:
        err = refused(ms.membership_join, actor=district.admin, person=person, union=late, on=on)
        assert err.code == E.UNION_INACTIVE
        assert err.field == "union"
        assert str(err.message) == f"“{late.name}”在 2020-04-30 未成立或已撤销。"


def test_membership_join_union_dissolved_on_the_date_is_refused(district):
    gone = f.make_union(district.admin, district.A1, UnionKind.ENTERPRISE)
    union_dissolve(actor=district.admin, union=gone, on=D(2021, 1, 1), reason="关停")
    gone.refresh_from_db()
    person = f.make_person(district.admin, district.A1)

    for on in (D(2021, 1, 1), D(2022, 1, 1)):
        err = refused(ms.membership_join, actor=district.admin, person=person, union=gone, on=on)
        assert err.code == E.UNION_INACTIVE
    assert not person.memberships.exists()


def test_membership_join_backdated_into_a_since_dissolved_union_is_refused(district):
    gone = f.make_union(district.admin, district.A1, UnionKind.ENTERPRISE)
    union_dissolve(actor=district.admin, union=gone, on=D(2021, 1, 1), reason="关停")
    gone.refresh_from_db()
    person = f.make_person(district.admin, district.A1)

    with pytest.raises(DomainError):
        join(district, person, gone, D(2020, 6, 1))


def test_membership_join_in_the_future_is_refused(district):
    person = f.make_person(district.admin, district.A1)

    with frozen(D(2024, 6, 15)):
        err = refused(
            ms.membership_join,
            actor=district.admin,
            person=person,
            union=district.A1,
            on=D(2024, 6, 16),
        )
        assert err.code == E.FUTURE_DATE
        assert str(err.message) == "日期 2024-06-16 在未来，请核对。"
        assert join(district, person, district.A1, D(2024, 6, 15)).started_on == D(2024, 6, 15)


def test_membership_join_today_uses_shanghai_date_not_utc(district):
    person = f.make_person(district.admin, district.A1)

    # 00:30 in Shanghai is still the previous day in UTC.
    with frozen(D(2024, 6, 15), hour=0, minute=30):
        m = join(district, person, district.A1, D(2024, 6, 15))

    assert m.started_on == D(2024, 6, 15)


@pytest.mark.parametrize(
    ("who", "code"), [("cadre_a", CoreError.NOT_FOUND), ("leader", CoreError.READ_ONLY)]
)
def test_membership_join_needs_write_scope_on_the_union(district, who, code):
    person = f.make_person(district.admin, district.B1)

    err = refused(
        ms.membership_join,
        actor=getattr(district, who),
        person=person,
        union=district.B1,
        on=D(2021, 1, 1),
    )

    assert err.code == code
    assert not person.memberships.exists()


# --- membership_transfer --------------------------------------------------------------------


def test_membership_transfer_is_not_a_new_member(district):
    m = member(district, district.A1, D(2021, 3, 1))
    joined_before = members_joined(actor=SYSTEM, union=district.F, period=Period.of(2022)).count()

    new = ms.membership_transfer(
        actor=district.admin, membership=m, to_union=district.EB, on=D(2022, 5, 1)
    )

    assert new.start_reason == StartReason.TRANSFERRED_IN
    assert new.previous == m
    assert (
        members_joined(actor=SYSTEM, union=district.F, period=Period.of(2022)).count()
        == joined_before
        == 0
    )
    assert list(members_joined(actor=SYSTEM, union=district.F, period=Period.of(2021))) == [m]
    assert members_on(actor=district.admin, union=district.F, on=D(2022, 5, 1)).count() == 1


def test_membership_transfer_closes_old_stretch_and_opens_linked_one(district):
    m = member(district, district.A1, D(2021, 3, 1))

    new = ms.membership_transfer(
        actor=district.cadre_a, membership=m, to_union=district.EA, on=D(2022, 5, 1), note="调动"
    )

    m.refresh_from_db()
    assert (m.ended_on, m.end_reason) == (D(2022, 5, 1), EndReason.TRANSFERRED_OUT)
    assert (new.union, new.started_on, new.ended_on, new.note) == (
        district.EA,
        D(2022, 5, 1),
        None,
        "调动",
    )
    assert m.next == new
    message = "2022-05-01 由“甲一社区工会”转入“甲企业工会”"
    assert (last_audit(m).action, last_audit(m).message) == ("membership.transfer_out", message)
    assert (last_audit(new).action, last_audit(new).message) == ("membership.transfer_in", message)
    assert last_audit(new).actor == district.cadre_a


def test_membership_transfer_moves_person_record_along(district):
    m = member(district, district.A1)

    ms.membership_transfer(
        actor=district.admin, membership=m, to_union=district.EB, on=D(2022, 1, 1)
    )

    assert Person.objects.get(pk=m.person.pk).union == district.EB


def test_membership_transfer_on_the_day_of_joining_is_allowed(district):
    m = member(district, district.A1, D(2022, 5, 1))

    new = ms.membership_transfer(
        actor=district.admin, membership=m, to_union=district.EA, on=D(2022, 5, 1)
    )

    assert new.started_on == D(2022, 5, 1)
    day = members_on(actor=district.admin, union=district.F, on=D(2022, 5, 1))
    assert list(day) == [new]
    assert members_joined(actor=SYSTEM, union=district.F, period=Period.of(2022)).count() == 1


def test_membership_transfer_before_stretch_start_is_refused(district):
    m = member(district, district.A1, D(2022, 5, 1))

    err = refused(
        ms.membership_transfer,
        actor=district.admin,
        membership=m,
        to_union=district.EA,
        on=D(2022, 4, 30),
    )

    assert err.code == E.BAD_DATES
    m.refresh_from_db()
    assert m.ended_on is None


def test_membership_transfer_to_the_same_union_is_refused(district):
    m = member(district, district.A1)

    err = refused(
        ms.membership_transfer,
        actor=district.admin,
        membership=m,
        to_union=district.A1,
        on=D(2022, 1, 1),
    )

    assert err.code == E.SAME_UNION
    assert str(err.message) == "转入工会与当前工会相同。"
    assert m.person.memberships.count() == 1


def test_membership_transfer_of_ended_membership_is_refused(district):
    m = member(district, district.A1)
    ms.membership_leave(actor=district.admin, membership=m, on=D(2021, 1, 1))

    err = refused(
        ms.membership_transfer,
        actor=district.admin,
        membership=m,
        to_union=district.EA,
        on=D(2022, 1, 1),
    )

    assert err.code == E.NOT_OPEN


def test_membership_transfer_in_the_future_is_refused(district):
    m = member(district, district.A1)

    with frozen(D(2024, 6, 15)):
        err = refused(
            ms.membership_transfer,
            actor=district.admin,
            membership=m,
            to_union=district.EA,
            on=D(2024, 6, 16),
        )

    assert err.code == E.FUTURE_DATE
    m.refresh_from_db()
    assert m.ended_on is None


def test_membership_transfer_into_union_not_active_on_the_date_is_refused(district):
    late = f.make_union(district.admin, district.A1, UnionKind.ENTERPRISE, founded_on=D(2022, 1, 1))
    gone = f.make_union(district.admin, district.A1, UnionKind.ENTERPRISE)
    union_dissolve(actor=district.admin, union=gone, on=D(2021, 1, 1), reason="关停")
    gone.refresh_from_db()
    m = member(district, district.A1)

    for target, on in ((late, D(2021, 12, 31)), (gone, D(2021, 6, 1))):
        err = refused(
            ms.membership_transfer, actor=district.admin, membership=m, to_union=target, on=on
        )
        assert err.code == E.UNION_INACTIVE
    m.refresh_from_db()
    assert m.ended_on is None


def test_membership_transfer_carries_retained_membership(district):
    m = member(district, district.A1, D(2015, 1, 1))
    ms.membership_retain(
        actor=district.admin, membership=m, reason=RetainedReason.RETIRED, on=D(2020, 7, 1)
    )

    new = ms.membership_transfer(
        actor=district.admin, membership=m, to_union=district.EB, on=D(2022, 1, 1)
    )

    new.refresh_from_db()
    assert (new.retained_reason, new.retained_on) == (RetainedReason.RETIRED, D(2020, 7, 1))


def test_cadre_cannot_transfer_a_member_of_another_street(district):
    m = member(district, district.B1)

    err = refused(
        ms.membership_transfer,
        actor=district.cadre_a,
        membership=m,
        to_union=district.A1,
        on=D(2022, 1, 1),
    )

    assert err.code == CoreError.NOT_FOUND
    m.refresh_from_db()
    assert m.ended_on is None
    assert Person.objects.get(pk=m.person_id).union == district.B1


def test_cadre_cannot_transfer_own_member_into_another_street(district):
    m = member(district, district.A1)

    err = refused(
        ms.membership_transfer,
        actor=district.cadre_a,
        membership=m,
        to_union=district.B1,
        on=D(2022, 1, 1),
    )

    assert err.code == CoreError.NOT_FOUND
    m.refresh_from_db()
    assert m.ended_on is None
    assert m.person.memberships.count() == 1


def test_read_only_evaluator_cannot_transfer_within_own_street(district):
    m = member(district, district.A1)

    err = refused(
        ms.membership_transfer,
        actor=district.evaluator,
        membership=m,
        to_union=district.EA,
        on=D(2022, 1, 1),
    )

    assert err.code == CoreError.READ_ONLY


# --- membership_leave -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "label"), [(EndReason.LEFT, "退会"), (EndReason.DECEASED, "去世")]
)
def test_membership_leave_ends_membership_with_reason(district, reason, label):
    m = member(district, district.A1, D(2020, 1, 1))

    ms.membership_leave(
        actor=district.cadre_a, membership=m, on=D(2023, 3, 1), reason=reason, note="本人申请"
    )

    m.refresh_from_db()
    assert (m.ended_on, m.end_reason, m.note) == (D(2023, 3, 1), reason, "本人申请")
    entry = last_audit(m)
    assert entry.actor == district.cadre_a
    assert entry.message == f"2023-03-01 {label}"
    assert members_on(actor=district.admin, union=district.F, on=D(2023, 2, 28)).count() == 1
    assert members_on(actor=district.admin, union=district.F, on=D(2023, 3, 1)).count() == 0


def test_membership_leave_as_transfer_reason_is_refused(district):
    m = member(district, district.A1)

    err = refused(
        ms.membership_leave,
        actor=district.admin,
        membership=m,
        on=D(2022, 1, 1),
        reason=EndReason.TRANSFERRED_OUT,
    )

    assert err.field == "reason"


def test_membership_leave_before_joining_or_twice_is_refused(district):
    m = member(district, district.A1, D(2020, 1, 1))

    early = refused(ms.membership_leave, actor=district.admin, membership=m, on=D(2019, 12, 31))
    ms.membership_leave(actor=district.admin, membership=m, on=D(2021, 1, 1))
    twice = refused(ms.membership_leave, actor=district.admin, membership=m, on=D(2022, 1, 1))

    assert early.code == E.BAD_DATES
    assert twice.code == E.NOT_OPEN
    m.refresh_from_db()
    assert m.ended_on == D(2021, 1, 1)


def test_membership_leave_in_the_future_is_refused(district):
    m = member(district, district.A1)

    with frozen(D(2024, 6, 15)):
        err = refused(ms.membership_leave, actor=district.admin, membership=m, on=D(2024, 6, 16))

    assert err.code == E.FUTURE_DATE


def test_cadre_cannot_end_membership_in_another_street(district):
    m = member(district, district.B1)

    err = refused(ms.membership_leave, actor=district.cadre_a, membership=m, on=D(2022, 1, 1))

    assert err.code == CoreError.NOT_FOUND


# --- membership_retain ----------------------------------------------------------------------


def test_membership_retain_marks_open_membership(district):
    m = member(district, district.A1, D(2015, 1, 1))

    ms.membership_retain(
        actor=district.cadre_a, membership=m, reason=RetainedReason.UNEMPLOYED, on=D(2023, 1, 1)
    )

    m.refresh_from_db()
    assert (m.retained_reason, m.retained_on, m.ended_on) == (
        RetainedReason.UNEMPLOYED,
        D(2023, 1, 1),
        None,
    )
    entry = last_audit(m)
    assert entry.action == "membership.retain"
    assert entry.message == "2023-01-01 因失业保留会籍"


def test_membership_retain_refuses_bad_reason_early_date_closed_or_future(district):
    m = member(district, district.A1, D(2020, 1, 1))
    kw = {"actor": district.admin, "membership": m}

    assert refused(ms.membership_retain, **kw, reason="bored", on=D(2021, 1, 1)).code == (
        E.REASON_REQUIRED
    )
    assert (
        refused(ms.membership_retain, **kw, reason=RetainedReason.RETIRED, on=D(2019, 1, 1)).code
        == E.BAD_DATES
    )
    with frozen(D(2024, 6, 15)):
        assert (
            refused(
                ms.membership_retain, **kw, reason=RetainedReason.RETIRED, on=D(2024, 6, 16)
            ).code
            == E.FUTURE_DATE
        )
    ms.membership_leave(actor=district.admin, membership=m, on=D(2022, 1, 1))
    assert (
        refused(ms.membership_retain, **kw, reason=RetainedReason.RETIRED, on=D(2022, 6, 1)).code
        == E.NOT_OPEN
    )
    m.refresh_from_db()
    assert m.retained_reason == ""


def test_applying_to_join_a_union_dissolved_since_the_page_loaded_it_is_refused(district):
    from gonghui.accounts.services import user_create
    from gonghui.membership.models import MembershipApplication
    from gonghui.organisation.models import Union

    gone = f.make_union(district.admin, district.A, UnionKind.COMMUNITY)
    stale = Union.objects.get(pk=gone.pk)
    union_dissolve(actor=district.admin, union=gone, on=D(2020, 6, 1), reason="撤并")
    who = f.make_person(district.root, district.A1)
    worker = user_create(
        actor=district.root, username="joiner", password=None, role="worker", person=who
    )
    with pytest.raises(DomainError) as err:
        ms.application_submit(actor=worker, union=stale)
    assert err.value.code == E.UNION_INACTIVE
    assert not MembershipApplication.objects.exists()
