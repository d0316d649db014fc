"""Activities and registrations through their services: places, waitlist, lottery, check-in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.activities import services
from gonghui.activities.errors import ActivityError
from gonghui.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Allocation,
    Consultation,
    Registration,
    RegistrationStatus,
)
from gonghui.activities.selectors import activities_open_to, waitlist_position
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry, Notification
from gonghui.membership.cards import card_token
from tests import factories as f
from tests.activities.conftest import make_activity, person

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def worker(actor, p):
    return user_create(
        actor=actor,
        username=f"w{p.pk}",
        password=f.PASSWORD,
        role=RoleGrant.Role.WORKER,
        union=None,
        person=p,
    )


def register(actor, activity, p, **kw):
    return services.registration_create(actor=actor, activity=activity, person=p, **kw)


def test_registration_create_gives_places_then_waitlists_when_full(district):
    a = make_activity(district.admin, district.A, capacity=2)
    people = [person(district.admin, district.A1) for _ in range(4)]
    statuses = [register(district.admin, a, p).status for p in people]
    assert statuses == [S.REGISTERED, S.REGISTERED, S.WAITLISTED, S.WAITLISTED]
    a.refresh_from_db()
    assert (a.taken, a.waiting) == (2, 2)


def test_registration_create_refuses_a_second_registration_of_the_same_person(district):
    a = make_activity(district.admin, district.A)
    p = person(district.admin, district.A1)
    register(district.admin, a, p)
    with pytest.raises(DomainError) as err:
        register(district.admin, a, p)
    assert err.value.code == ActivityError.DUPLICATE
    assert "重复" in str(err.value.message)
    assert Registration.objects.filter(activity=a).count() == 1


def test_database_refuses_overbooking_and_duplicates_even_around_the_service(district):
    a = make_activity(district.admin, district.A, capacity=1)
    p = person(district.admin, district.A1)
    register(district.admin, a, p)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=a.pk).update(taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(activity=a, person=p, status=S.WAITLISTED)


def test_cancelling_gives_the_place_to_the_first_waitlisted_who_is_notified(district):
    a = make_activity(district.admin, district.A, capacity=1)
    first, second, third = (
        person(district.admin, district.A1, mobile="13800138000") for _ in "abc"
    )
    r1 = register(district.admin, a, first)
    r2 = register(district.admin, a, second)
    r3 = register(district.admin, a, third)
    assert waitlist_position(r2) == 1
    assert waitlist_position(r3) == 2
    services.registration_cancel(actor=worker(district.root, first), registration=r1)
    r2.refresh_from_db()
    r3.refresh_from_db()
    assert r2.status == S.REGISTERED
    assert r3.status == S.WAITLISTED
    assert waitlist_position(r3) == 1
    a.refresh_from_db()
    assert (a.taken, a.waiting) == (1, 1)
    assert Notification.objects.filter(person=second, text__contains="递补").exists()
    assert not Notification.objects.filter(person=third).exists()


def test_cancelling_a_waitlisted_registration_frees_no_place(district):
    a = make_activity(district.admin, district.A, capacity=1)
    r1 = register(district.admin, a, person(district.admin, district.A1))
    r2 = register(district.admin, a, person(district.admin, district.A1))
    services.registration_cancel(actor=district.admin, registration=r2)
    a.refresh_from_db()
    r1.refresh_from_db()
    assert (a.taken, a.waiting, r1.status) == (1, 0, S.REGISTERED)


def test_a_worker_may_register_and_cancel_only_for_themself(district):
    a = make_activity(district.admin, district.A)
    me, other = person(district.admin, district.A1), person(district.admin, district.A1)
    user = worker(district.root, me)
    r = register(user, a, me)
    with pytest.raises(DomainError):
        register(user, a, other)
    r_other = register(district.admin, a, other)
    with pytest.raises(DomainError):
        services.registration_cancel(actor=user, registration=r_other)
    assert services.registration_cancel(actor=user, registration=r).status == S.CANCELLED


def test_a_cadre_of_another_street_cannot_register_people_or_see_the_activity(district):
    a = make_activity(district.admin, district.A)
    p = person(district.admin, district.A1)
    with pytest.raises(DomainError) as err:
        register(district.cadre_b, a, p)
    assert err.value.code == "not_found"
    with pytest.raises(DomainError):
        services.activity_cancel(actor=district.cadre_b, activity=a, reason="x")


def test_the_worker_cannot_cancel_online_once_the_activity_has_started(district):
    a = make_activity(
        district.admin, district.A, starts_on=timezone.localdate() + dt.timedelta(days=1)
    )
    p = person(district.admin, district.A1)
    r = register(district.admin, a, p)
    with (
        time_machine.travel(timezone.localdate() + dt.timedelta(days=2)),
        pytest.raises(DomainError) as err,
    ):
        services.registration_cancel(actor=worker(district.root, p), registration=r)
    assert "已开始" in str(err.value.message)


def test_registration_outside_the_window_or_unpublished_is_refused(district):
    draft = make_activity(district.admin, district.A, publish=False)
    with pytest.raises(DomainError) as err:
        register(district.admin, draft, person(district.admin, district.A1))
    assert err.value.code == ActivityError.NOT_OPEN
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    later = make_activity(
        district.admin, district.A, opens_at=tomorrow, closes_at=tomorrow + dt.timedelta(days=2)
    )
    with pytest.raises(DomainError):
        register(district.admin, later, person(district.admin, district.A1))
    with time_machine.travel(tomorrow + dt.timedelta(hours=1)):
        assert (
            register(district.admin, later, person(district.admin, district.A1)).status
            == S.REGISTERED
        )


@pytest.mark.parametrize(
    ("flags", "person_kw", "message"),
    [
        ({"women_only": True}, {}, "女职工"),
        ({"migrants_only": True}, {}, "外来务工"),
        ({"members_only": True}, {}, "会员"),
        ({"hardship_only": True}, {}, "困难"),
    ],
)
def test_eligibility_is_checked_with_a_clear_message(district, flags, person_kw, message):
    a = make_activity(district.admin, district.A, **flags)
    with pytest.raises(DomainError) as err:
        register(district.admin, a, person(district.admin, district.A1, **person_kw))
    assert err.value.code == ActivityError.NOT_ELIGIBLE
    assert message in str(err.value.message)


def test_eligible_people_pass_the_restrictions(district):
    a = make_activity(
        district.admin, district.A, women_only=True, migrants_only=True, members_only=True
    )
    p = person(district.admin, district.A1, female=True, migrant=True, joined=dt.date(2015, 1, 1))
    assert register(district.admin, a, p).status == S.REGISTERED


def test_people_outside_the_organisers_area_are_not_eligible(district):
    a = make_activity(district.admin, district.A)
    with pytest.raises(DomainError) as err:
        register(district.admin, a, person(district.admin, district.B1))
    assert "范围内" in str(err.value.message)


def test_children_are_registered_by_their_parent_within_the_age_range(district):
    start = timezone.localdate() + dt.timedelta(days=30)
    camp = make_activity(
        district.admin,
        district.A,
        kind=ActivityKind.SUMMER_CAMP,
        starts_on=start,
        child_min_age=6,
        child_max_age=14,
    )
    parent = person(district.admin, district.A1, migrant=True)
    with pytest.raises(DomainError) as err:
        register(district.admin, camp, parent)
    assert err.value.code == ActivityError.CHILD_REQUIRED
    too_young = start.replace(year=start.year - 4)
    with pytest.raises(DomainError) as err:
        register(district.admin, camp, parent, child_name="小明", child_birth_date=too_young)
    assert "4 岁" in str(err.value.message)
    ok = start.replace(year=start.year - 8)
    one = register(district.admin, camp, parent, child_name="小明", child_birth_date=ok)
    two = register(district.admin, camp, parent, child_name="小红", child_birth_date=ok)
    assert (one.status, two.status) == (S.REGISTERED, S.REGISTERED)
    with pytest.raises(DomainError):
        register(district.admin, camp, parent, child_name="小明", child_birth_date=ok)


def test_lottery_draw_is_reproducible_and_puts_the_priority_group_first(district, monkeypatch):
    monkeypatch.setattr(
        services.registration, "on_hardship_file", lambda person, on: person.name.startswith("困")
    )
    a = make_activity(
        district.admin,
        district.A,
        capacity=3,
        allocation=Allocation.LOTTERY,
        hardship_priority=True,
    )
    poor = [person(district.admin, district.A1, name=f"困{i}") for i in range(2)]
    others = [person(district.admin, district.A1) for _ in range(6)]
    regs = [register(district.admin, a, p) for p in poor + others]
    assert {r.status for r in regs} == {S.APPLIED}
    services.activity_close(actor=district.admin, activity=a, seed=12345)
    a.refresh_from_db()
    assert a.lottery_seed == 12345
    assert (a.taken, a.waiting) == (3, 5)
    won = set(
        Registration.objects.filter(activity=a, status=S.REGISTERED).values_list(
            "person__name", flat=True
        )
    )
    assert {"困0", "困1"} <= won
    expected = services.lottery_order([r.pk for r in regs[:2]], [r.pk for r in regs[2:]], 12345)
    drawn = list(
        Registration.objects.filter(activity=a).order_by("rank").values_list("pk", flat=True)
    )
    assert drawn == expected
    assert services.lottery_order([1, 2], [3, 4, 5, 6], 7) == services.lottery_order(
        [2, 1], [6, 5, 4, 3], 7
    )
    assert Notification.objects.filter(text__contains="抽签结果").count() == 8
    assert AuditEntry.objects.filter(action="activity.draw", message__contains="12345").exists()


def test_cancelling_an_activity_cancels_and_tells_every_registrant(district):
    a = make_activity(district.admin, district.A, capacity=1)
    people = [person(district.admin, district.A1) for _ in range(3)]
    for p in people:
        register(district.admin, a, p)
    with pytest.raises(DomainError) as err:
        services.activity_cancel(actor=district.admin, activity=a, reason=" ")
    assert err.value.field == "reason"
    services.activity_cancel(actor=district.admin, activity=a, reason="暴雨预警")
    a.refresh_from_db()
    assert a.status == ActivityStatus.CANCELLED
    assert (a.taken, a.waiting) == (0, 0)
    assert set(Registration.objects.filter(activity=a).values_list("status", flat=True)) == {
        S.CANCELLED
    }
    assert Notification.objects.filter(text__contains="暴雨预警").count() == 3


def test_capacity_cannot_drop_below_places_taken_and_more_places_promote_the_waitlist(district):
    a = make_activity(district.admin, district.A, capacity=1)
    register(district.admin, a, person(district.admin, district.A1))
    r2 = register(district.admin, a, person(district.admin, district.A1))
    with pytest.raises(DomainError) as err:
        services.activity_update(actor=district.admin, activity=a, capacity=0)
    assert err.value.field == "capacity"
    services.activity_update(actor=district.admin, activity=a, capacity=2)
    r2.refresh_from_db()
    assert r2.status == S.REGISTERED


def test_manual_change_needs_a_reason_respects_capacity_and_is_in_the_history(district):
    a = make_activity(district.admin, district.A, capacity=1)
    r1 = register(district.admin, a, person(district.admin, district.A1))
    r2 = register(district.admin, a, person(district.admin, district.A1))
    with pytest.raises(DomainError) as err:
        services.registration_change(
            actor=district.cadre_a, registration=r2, to_status=S.REGISTERED, reason=""
        )
    assert err.value.field == "reason"
    with pytest.raises(DomainError) as err:
        services.registration_change(
            actor=district.cadre_a, registration=r2, to_status=S.REGISTERED, reason="特殊困难"
        )
    assert err.value.code == ActivityError.FULL
    services.registration_change(
        actor=district.cadre_a,
        registration=r1,
        to_status=S.CANCELLED,
        reason="本人电话告知不能参加",
    )
    r2.refresh_from_db()
    assert r2.status == S.REGISTERED  # the freed place went down the waitlist
    entry = AuditEntry.objects.get(action="registration.change")
    assert entry.actor == district.cadre_a
    assert "本人电话告知不能参加" in entry.message


def _waiting(a):
    """The activity's waitlist in the order places are given."""
    regs = Registration.objects.filter(activity=a, status=S.WAITLISTED)
    return sorted(regs, key=waitlist_position)


def test_moving_to_the_waitlist_goes_behind_everyone_waiting_and_is_told_once(district):
    a = make_activity(district.admin, district.A, capacity=2)
    moved, kept, first, second = (person(district.admin, district.A1) for _ in "abcd")
    r_moved, _r_kept, r_first, r_second = (
        register(district.admin, a, p) for p in (moved, kept, first, second)
    )
    services.registration_change(
        actor=district.cadre_a, registration=r_moved, to_status=S.WAITLISTED, reason="材料不全"
    )
    r_moved.refresh_from_db()
    r_first.refresh_from_db()
    assert r_moved.status == S.WAITLISTED  # not given its place straight back
    assert r_first.status == S.REGISTERED  # the freed place went to the first already waiting
    assert [r.pk for r in _waiting(a)] == [r_second.pk, r_moved.pk]
    assert waitlist_position(r_moved) == 2
    a.refresh_from_db()
    assert (a.taken, a.waiting) == (2, 2)
    told = Notification.objects.filter(person=moved)
    assert told.count() == 1
    assert "候补" in told.get().text
    assert Notification.objects.filter(person=first, text__contains="递补").count() == 1
    assert not Notification.objects.filter(person=second).exists()
    assert not AuditEntry.objects.filter(
        action="registration.promote", object_id=str(r_moved.pk)
    ).exists()


def test_moving_to_the_waitlist_with_nobody_waiting_leaves_the_place_free(district):
    a = make_activity(district.admin, district.A, capacity=1)
    p = person(district.admin, district.A1)
    r = register(district.admin, a, p)
    services.registration_change(
        actor=district.cadre_a, registration=r, to_status=S.WAITLISTED, reason="待核实"
    )
    r.refresh_from_db()
    a.refresh_from_db()
    assert r.status == S.WAITLISTED
    assert (a.taken, a.waiting) == (0, 1)
    assert Notification.objects.filter(person=p).count() == 1


def test_a_moved_priority_registration_still_goes_behind_everyone_waiting(district):
    a = make_activity(district.admin, district.A, capacity=1, hardship_priority=True)
    r_moved, r_first, r_second = (
        register(district.admin, a, person(district.admin, district.A1)) for _ in "abc"
    )
    Registration.objects.filter(pk=r_moved.pk).update(priority=True)  # a hardship family
    services.registration_change(
        actor=district.cadre_a, registration=r_moved, to_status=S.WAITLISTED, reason="材料不全"
    )
    assert Registration.objects.get(pk=r_first.pk).status == S.REGISTERED
    assert [r.pk for r in _waiting(a)] == [r_second.pk, r_moved.pk]


def test_moving_to_the_waitlist_at_a_chosen_position_records_it_with_the_reason(district):
    a = make_activity(district.admin, district.A, capacity=1)
    r_moved, r1, r2, r3 = (
        register(district.admin, a, person(district.admin, district.A1)) for _ in "abcd"
    )
    with pytest.raises(DomainError) as err:
        services.registration_change(
            actor=district.cadre_a,
            registration=r_moved,
            to_status=S.WAITLISTED,
            reason="x",
            position=0,
        )
    assert err.value.field == "position"
    with pytest.raises(DomainError) as err:
        services.registration_change(
            actor=district.cadre_a,
            registration=r_moved,
            to_status=S.CANCELLED,
            reason="x",
            position=1,
        )
    assert err.value.field == "position"
    services.registration_change(
        actor=district.cadre_a,
        registration=r_moved,
        to_status=S.WAITLISTED,
        reason="改期后优先安排",
        position=2,
    )
    # The place went to r1 (first of those already waiting); r_moved stands second of the
    # remaining queue as chosen.
    assert Registration.objects.get(pk=r1.pk).status == S.REGISTERED
    assert [r.pk for r in _waiting(a)] == [r2.pk, r_moved.pk, r3.pk]
    entry = AuditEntry.objects.get(action="registration.change")
    assert "改期后优先安排" in entry.message
    assert "第 2 位" in entry.message
    # A position past the end is the end.
    services.registration_change(
        actor=district.cadre_a, registration=r1, to_status=S.WAITLISTED, reason="y", position=99
    )
    assert [r.pk for r in _waiting(a)] == [r_moved.pk, r3.pk, r1.pk]
    assert Registration.objects.get(pk=r2.pk).status == S.REGISTERED


def test_a_lottery_winner_moved_to_the_waitlist_goes_behind_the_drawn_waitlist(district):
    a = make_activity(district.admin, district.A, capacity=2, allocation=Allocation.LOTTERY)
    for _ in range(5):
        register(district.admin, a, person(district.admin, district.A1))
    services.activity_close(actor=district.admin, activity=a, seed=7)
    drawn = [r.pk for r in _waiting(a)]
    winner = Registration.objects.filter(activity=a, status=S.REGISTERED).first()
    services.registration_change(
        actor=district.cadre_a, registration=winner, to_status=S.WAITLISTED, reason="重复获奖"
    )
    assert Registration.objects.get(pk=drawn[0]).status == S.REGISTERED
    assert [r.pk for r in _waiting(a)] == [*drawn[1:], winner.pk]
    assert Notification.objects.filter(person=winner.person).count() == 2  # draw + move


def test_checkin_by_card_and_by_list_and_no_shows(district):
    start = timezone.localdate() + dt.timedelta(days=1)
    a = make_activity(district.admin, district.A, starts_on=start, capacity=5)
    came, listed, absent = (person(district.admin, district.A1) for _ in "abc")
    outsider = person(district.admin, district.A1)
    regs = {p.pk: register(district.admin, a, p) for p in (came, listed, absent)}
    with pytest.raises(DomainError) as err:
        services.checkin_by_card(actor=district.cadre_a, activity=a, token=card_token(came))
    assert err.value.code == ActivityError.TOO_EARLY
    with time_machine.travel(start):
        [r] = services.checkin_by_card(actor=district.cadre_a, activity=a, token=card_token(came))
        assert r.status == S.ATTENDED
        assert r.checked_in_by == district.cadre_a
        with pytest.raises(DomainError) as err:
            services.checkin_by_card(actor=district.cadre_a, activity=a, token=card_token(came))
        assert err.value.code == ActivityError.ALREADY_CHECKED_IN
        with pytest.raises(DomainError) as err:
            services.checkin_by_card(actor=district.cadre_a, activity=a, token="forged")
        assert err.value.code == ActivityError.BAD_CARD
        with pytest.raises(DomainError) as err:
            services.checkin_by_card(actor=district.cadre_a, activity=a, token=card_token(outsider))
        assert err.value.code == ActivityError.NOT_REGISTERED
        with pytest.raises(DomainError):
            services.checkin_by_card(actor=district.cadre_b, activity=a, token=card_token(listed))
        services.checkin(actor=district.cadre_a, registration=regs[listed.pk])
        with pytest.raises(DomainError):
            services.record_no_shows(actor=district.cadre_a, activity=a)
    with time_machine.travel(start + dt.timedelta(days=1)):
        assert services.record_no_shows(actor=district.cadre_a, activity=a) == 1
    regs[absent.pk].refresh_from_db()
    assert regs[absent.pk].status == S.NO_SHOW


def test_consultations_are_recorded_by_topic_on_service_days_only(district):
    day = make_activity(district.admin, district.A, kind=ActivityKind.SERVICE_DAY, capacity=None)
    services.consultation_record(actor=district.cadre_a, activity=day, topic="wages", count=30)
    services.consultation_record(actor=district.cadre_a, activity=day, topic="wages", count=35)
    services.consultation_record(actor=district.cadre_a, activity=day, topic="legal", count=5)
    assert dict(Consultation.objects.values_list("topic", "count")) == {"wages": 35, "legal": 5}
    with pytest.raises(DomainError) as err:
        services.consultation_record(actor=district.cadre_a, activity=day, topic="wages", count=0)
    assert err.value.field == "count"
    lecture = make_activity(district.admin, district.A, kind=ActivityKind.WOMEN_LECTURE)
    with pytest.raises(DomainError) as err:
        services.consultation_record(
            actor=district.cadre_a, activity=lecture, topic="wages", count=3
        )
    assert err.value.code == ActivityError.NOT_A_SERVICE_DAY


def test_copy_makes_next_years_draft_with_the_window_moved(district):
    opens = dt.datetime(2015, 6, 1, 9, tzinfo=dt.UTC)
    a = services.activity_create(
        actor=district.admin,
        union=district.A,
        kind=ActivityKind.SUMMER_CAMP,
        title="小候鸟夏令营",
        starts_on=dt.date(2015, 7, 10),
        ends_on=dt.date(2015, 7, 20),
        capacity=30,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=20),
        child_min_age=6,
        child_max_age=14,
    )
    copy = services.activity_copy(actor=district.admin, activity=a)
    assert copy.status == ActivityStatus.DRAFT
    assert copy.copied_from == a
    assert (copy.starts_on, copy.ends_on) == (dt.date(2016, 7, 10), dt.date(2016, 7, 20))
    assert copy.opens_at == opens + dt.timedelta(days=366)  # 2016 is a leap year
    assert (copy.capacity, copy.child_max_age, copy.taken) == (30, 14, 0)


def test_activity_create_rereads_a_union_dissolved_since_the_caller_loaded_it(district):
    from gonghui.organisation.models import Union
    from gonghui.organisation.services import union_dissolve

    gone = f.make_union(district.admin, district.A, f.KIND.COMMUNITY)
    stale = Union.objects.get(pk=gone.pk)
    union_dissolve(actor=district.admin, union=gone, on=dt.date(2020, 6, 1), reason="撤并")
    with pytest.raises(DomainError) as err:
        make_activity(district.admin, stale, publish=False)
    assert err.value.field == "union"
    assert not Activity.objects.filter(union=gone).exists()


def test_bad_activity_input_names_the_field(district):
    with pytest.raises(DomainError) as err:
        services.activity_create(
            actor=district.admin,
            union=district.A,
            kind=ActivityKind.CULTURAL,
            title="讲座",
            starts_on=dt.date(2015, 5, 2),
            ends_on=dt.date(2015, 5, 1),
        )
    assert err.value.field == "ends_on"
    assert "结束日期" in str(err.value.message)
    with pytest.raises(DomainError):
        services.activity_create(actor=district.admin, union=district.A, colour="red")
    assert not Activity.objects.exists()


def test_portal_lists_activities_of_the_workers_unions_that_fit_them(district):
    mine = make_activity(district.admin, district.A, title="甲街道体检")
    district_wide = make_activity(district.admin, district.F, title="全区运动会")
    make_activity(district.admin, district.B, title="乙街道体检")
    make_activity(district.admin, district.A, title="女职工讲堂", women_only=True)
    make_activity(district.admin, district.A, title="草稿", publish=False)
    man = person(district.admin, district.EA)
    assert list(activities_open_to(person=man)) == sorted(
        [mine, district_wide], key=lambda a: (a.starts_on, a.pk)
    )
    woman = person(district.admin, district.EA, female=True)
    assert activities_open_to(person=woman).count() == 3


def test_hardship_only_activities_take_families_on_the_file(district):
    from gonghui.assistance.models import HardshipFile
    from gonghui.assistance.selectors import person_on_hardship_file

    a = make_activity(district.admin, district.A, hardship_only=True)
    head = person(district.admin, district.A1)
    assert not person_on_hardship_file(person=head, on=a.starts_on)
    with pytest.raises(DomainError):
        register(district.admin, a, head)
    from tests.assistance.factories import hardship

    hardship(district.admin, district.A1, head=head)
    assert HardshipFile.objects.filter(head=head).exists()
    assert person_on_hardship_file(person=head, on=a.starts_on)
    assert register(district.admin, a, head).status == S.REGISTERED
