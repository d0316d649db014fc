"""The activities back office seen by a street cadre: the add form, the detail actions
(publish, close with a lottery seed, cancel), the door list, manual changes of a place,
consultations, the Excel export, scope, and the lists' query counts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.activities import services
from gonghui.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Allocation,
    Consultation,
    Registration,
    RegistrationStatus,
)
from gonghui.core.errors import DomainError
from gonghui.core.export import XLSX
from gonghui.core.models import AuditEntry, Notification
from gonghui.membership.cards import card_token
from tests import factories as f
from tests.activities.conftest import make_activity, person

pytestmark = pytest.mark.django_db
S = RegistrationStatus
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ACTIVITIES = reverse("admin:activities_activity_changelist")
REGISTRATIONS = reverse("admin:activities_registration_changelist")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act_url(action: str, activity: Activity) -> str:
    """The URL of one of the activity page's actions (unfold names them app_model_method)."""
    return reverse(f"admin:activities_activity_{action}", args=[activity.pk])


def reg_url(action: str, registration: Registration) -> str:
    return reverse(f"admin:activities_registration_{action}", args=[registration.pk])


def register(activity: Activity, p: Any, actor: Any) -> Registration:
    return services.registration_create(actor=actor, activity=activity, person=p)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def form_data(union: Any, **kw: Any) -> dict[str, Any]:
    return {
        "union": union.pk,
        "kind": ActivityKind.HEALTH_CHECK,
        "series": "",
        "title": "甲街道职工免费体检",
        "description": "空腹前往",
        "place": "甲街道社区卫生服务中心",
        "starts_on": "2030-06-01",
        "ends_on": "",
        "capacity": "20",
        "allocation": Allocation.FIRST_COME,
        "opens_at_0": "",
        "opens_at_1": "",
        "closes_at_0": "",
        "closes_at_1": "",
        "child_min_age": "",
        "child_max_age": "",
        "jobs_offered": "",
        **kw,
    }


def test_url_paths_of_the_detail_actions_are_the_documented_ones(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A)
    base = f"/admin/activities/activity/{a.pk}/"
    assert act_url("publish", a) == base + "publish/"
    assert act_url("close", a) == base + "close/"
    assert act_url("cancel", a) == base + "cancel/"
    assert act_url("door_list", a) == base + "door/"
    assert act_url("record_consultation", a) == base + "consultation/"


def test_signing_in_on_the_login_page_itself_lands_in_the_back_office(district: Any) -> None:
    response = Client().post(
        reverse("admin:login"), {"username": "cadre_a", "password": f.PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


# --- the add form ----------------------------------------------------------------------------


def test_cadre_creates_an_activity_through_the_add_form_and_sees_it_in_the_list(
    district: Any,
) -> None:
    client = client_for(district.cadre_a)
    assert client.get(reverse("admin:activities_activity_add")).status_code == 200
    response = client.post(reverse("admin:activities_activity_add"), form_data(district.A))
    assert response.status_code == 302, response.context["adminform"].form.errors
    a = Activity.objects.get()
    assert (a.union, a.status, a.capacity) == (district.A, ActivityStatus.DRAFT, 20)
    assert a.ends_on == a.starts_on == dt.date(2030, 6, 1)  # a one-day activity
    assert AuditEntry.objects.filter(action="activity.create", actor=district.cadre_a).exists()
    listing = client.get(ACTIVITIES)
    assert listing.status_code == 200
    assert [o.pk for o in listing.context["cl"].result_list] == [a.pk]
    html = listing.content.decode()
    assert "甲街道职工免费体检" in html
    assert "0/20" in html  # places taken / capacity
    assert "草稿" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2030-05-31"}, "ends_on", "结束日期不能早于开始日期。"),
        ({"allocation": Allocation.LOTTERY, "capacity": ""}, "capacity", "抽签分配须设定名额。"),
    ],
    ids=["ends-before-start", "lottery-without-places"],
)
def test_bad_input_rerenders_the_form_with_the_chinese_error_and_writes_nothing(
    district: Any, changes: dict[str, str], field: str, message: str
) -> None:
    response = client_for(district.cadre_a).post(
        reverse("admin:activities_activity_add"), form_data(district.A, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()
    assert not AuditEntry.objects.filter(action="activity.create").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2030-05-31"}, "ends_on", "结束日期不能早于开始日期。"),
        ({"allocation": Allocation.LOTTERY, "capacity": ""}, "capacity", "抽签分配须设定名额。"),
    ],
    ids=["ends-before-start", "lottery-without-places"],
)
def test_the_error_of_bad_input_stands_next_to_its_field(
    district: Any, changes: dict[str, str], field: str, message: str
) -> None:
    response = client_for(district.cadre_a).post(
        reverse("admin:activities_activity_add"), form_data(district.A, **changes)
    )
    errors = response.context["adminform"].form.errors
    assert message in errors.get(field, []), f"error not next to {field!r}: {dict(errors)}"


def test_cadre_cannot_create_an_activity_for_another_street(district: Any) -> None:
    response = client_for(district.cadre_a).post(
        reverse("admin:activities_activity_add"), form_data(district.B)
    )
    assert response.status_code == 200
    assert "union" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


# --- publish, close with a seed, cancel --------------------------------------------------------


def test_publish_close_with_a_seed_and_cancel_through_the_detail_actions(district: Any) -> None:
    client = client_for(district.cadre_a)
    a = make_activity(
        district.cadre_a, district.A, publish=False, allocation=Allocation.LOTTERY, capacity=2
    )
    confirm = client.get(act_url("publish", a))
    assert confirm.status_code == 200
    assert "发布后职工即可在网上职工之家看到并报名" in confirm.content.decode()
    a.refresh_from_db()
    assert a.status == ActivityStatus.DRAFT  # a GET only asks

    response = client.post(act_url("publish", a), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:activities_activity_change", args=[a.pk]
    )
    assert "活动已发布。" in messages_of(response)
    a.refresh_from_db()
    assert a.status == ActivityStatus.PUBLISHED
    # Published: the page no longer offers 发布, and its address refuses (decision 0017).
    page = reverse("admin:activities_activity_change", args=[a.pk])
    assert act_url("publish", a) not in client.get(page).content.decode()
    again = client.post(act_url("publish", a), follow=True)
    assert "当前的状态不能“发布”" in messages_of(again)[0]
    with pytest.raises(DomainError, match="只有草稿状态的活动可以发布。"):
        services.activity_publish(actor=district.cadre_a, activity=a)

    people = [person(district.root, district.A1) for _ in range(4)]
    regs = [register(a, p, district.cadre_a) for p in people]
    assert {r.status for r in regs} == {S.APPLIED}

    assert client.get(act_url("close", a)).status_code == 200
    response = client.post(act_url("close", a), {"seed": "20150501"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.lottery_seed, a.taken, a.waiting) == (
        ActivityStatus.CLOSED,
        20150501,
        2,
        2,
    )
    order = services.lottery_order([], [r.pk for r in regs], 20150501)
    winners = set(
        Registration.objects.filter(activity=a, status=S.REGISTERED).values_list("pk", flat=True)
    )
    assert winners == set(order[:2])  # anyone can repeat the draw from the published seed

    page = client.get(act_url("cancel", a))
    assert page.status_code == 200
    blank = client.post(act_url("cancel", a), {"reason": ""})
    assert blank.status_code == 200
    assert "reason" in blank.context["form"].errors
    a.refresh_from_db()
    assert a.status == ActivityStatus.CLOSED

    response = client.post(act_url("cancel", a), {"reason": "场地临时检修"}, follow=True)
    assert "活动已取消，报名人已收到通知。" in messages_of(response)
    a.refresh_from_db()
    assert (a.status, a.cancelled_reason) == (ActivityStatus.CANCELLED, "场地临时检修")
    assert not Registration.objects.filter(activity=a).exclude(status=S.CANCELLED).exists()
    assert Notification.objects.filter(text__contains="场地临时检修").count() == 4


def test_a_bad_seed_is_refused_on_the_close_form(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A, allocation=Allocation.LOTTERY)
    response = client_for(district.cadre_a).post(act_url("close", a), {"seed": "-5"})
    assert response.status_code == 200
    assert "seed" in response.context["form"].errors
    a.refresh_from_db()
    assert a.status == ActivityStatus.PUBLISHED


# --- the door list ---------------------------------------------------------------------------


@pytest.fixture
def door(district: Any) -> dict[str, Any]:
    """An activity tomorrow with two places taken and one person on the waitlist."""
    start = timezone.localdate() + dt.timedelta(days=1)
    a = make_activity(district.cadre_a, district.A, starts_on=start, capacity=2)
    zhang = person(district.root, district.A1, name="张签到")
    li = person(district.root, district.A1, name="李扫码")
    wang = person(district.root, district.A1, name="王候补")
    regs = {p.name: register(a, p, district.cadre_a) for p in (zhang, li, wang)}
    on_the_day = dt.datetime.combine(start, dt.time(9, 0), tzinfo=SHANGHAI)
    return {"activity": a, "regs": regs, "people": (zhang, li, wang), "day": on_the_day}


def test_door_list_shows_the_people_with_a_place(district: Any, door: dict[str, Any]) -> None:
    response = client_for(district.cadre_a).get(act_url("door_list", door["activity"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "张签到" in html
    assert "李扫码" in html
    assert "王候补" not in html  # the waitlisted hold no place at the door
    assert response.context["counts"] == {"total": 2, "attended": 0}
    assert 'name="token"' in html  # the scan box is there for a cadre who may write


def test_door_list_checks_in_by_list_and_by_card_on_the_day(
    district: Any, door: dict[str, Any]
) -> None:
    client = client_for(district.cadre_a)
    a, regs = door["activity"], door["regs"]
    url = act_url("door_list", a)
    early = client.post(url, {"registration": regs["张签到"].pk}, follow=True)
    assert "活动尚未开始，不能签到。" in messages_of(early)
    regs["张签到"].refresh_from_db()
    assert regs["张签到"].status == S.REGISTERED

    with time_machine.travel(door["day"], tick=False):
        client = client_for(district.cadre_a)  # sessions last 30 idle minutes: sign in anew
        response = client.post(url, {"registration": regs["张签到"].pk})
        assert response.status_code == 302
        assert response["Location"] == url
        by_card = client.post(url, {"token": card_token(door["people"][1])}, follow=True)
        assert "李扫码 签到成功。" in messages_of(by_card)
        assert by_card.context["counts"] == {"total": 2, "attended": 2}
        assert by_card.content.decode().count("已签到") >= 2

        twice = client.post(url, {"token": card_token(door["people"][1])}, follow=True)
        assert "李扫码 已于 09:00 签到。" in messages_of(twice)
        forged = client.post(url, {"token": "not-a-card"}, follow=True)
        assert "无法识别该二维码，请让职工重新打开电子会员证。" in messages_of(forged)
        waiting = client.post(url, {"registration": regs["王候补"].pk}, follow=True)
        assert "王候补 的报名状态为“候补”，没有名额。" in messages_of(waiting)
        unknown = client.post(url, {"registration": "999999"}, follow=True)
        assert "找不到该报名记录。" in messages_of(unknown)
        garbage = client.post(url, {"registration": "abc"}, follow=True)
        assert garbage.status_code == 200  # a bad id is an error message, not a 500

    for r in regs.values():
        r.refresh_from_db()
    assert [regs[n].status for n in ("张签到", "李扫码", "王候补")] == [
        S.ATTENDED,
        S.ATTENDED,
        S.WAITLISTED,
    ]
    assert regs["张签到"].checked_in_by == district.cadre_a


def test_door_list_search_by_name(district: Any, door: dict[str, Any]) -> None:
    response = client_for(district.cadre_a).get(act_url("door_list", door["activity"]), {"q": "李"})
    html = response.content.decode()
    assert "李扫码" in html
    assert "张签到" not in html
    assert response.context["counts"]["total"] == 2  # the count is the whole list's


def test_another_streets_cadre_gets_nothing_of_street_a(
    district: Any, door: dict[str, Any]
) -> None:
    client = client_for(district.cadre_b)
    a, r = door["activity"], door["regs"]["张签到"]
    assert [o.pk for o in client.get(ACTIVITIES).context["cl"].result_list] == []
    assert [o.pk for o in client.get(REGISTRATIONS).context["cl"].result_list] == []
    for url in (
        reverse("admin:activities_activity_change", args=[a.pk]),
        act_url("door_list", a),
        act_url("publish", a),
        act_url("cancel", a),
        reg_url("change", r),
        reg_url("check_in", r),
        reg_url("change_place", r),
    ):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
    with time_machine.travel(door["day"], tick=False):
        client = client_for(district.cadre_b)
        assert client.post(act_url("door_list", a), {"registration": r.pk}).status_code == 302
        assert client.get(act_url("door_list", a))["Location"] == reverse("admin:index")
        client.post(act_url("door_list", a), {"token": card_token(door["people"][0])})
        client.post(reg_url("check_in", r), {})
        client.post(reg_url("change_place", r), {"to_status": S.CANCELLED, "reason": "x"})
        client.post(act_url("cancel", a), {"reason": "乙街道取消"})
    assert not Registration.objects.filter(status=S.ATTENDED).exists()
    assert Registration.objects.filter(status=S.CANCELLED).count() == 0
    a.refresh_from_db()
    assert a.status == ActivityStatus.PUBLISHED


def test_a_read_only_role_sees_the_door_list_but_cannot_check_in(
    district: Any, door: dict[str, Any]
) -> None:
    client = client_for(district.evaluator)  # evaluator over street A: reads, never writes
    url = act_url("door_list", door["activity"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "张签到" in html
    assert 'name="token"' not in html
    assert 'name="registration"' not in html
    with time_machine.travel(door["day"], tick=False):
        client = client_for(district.evaluator)
        assert client.post(url, {"registration": door["regs"]["张签到"].pk}).status_code == 403
        assert client.post(url, {"token": card_token(door["people"][0])}).status_code == 403
    assert not Registration.objects.filter(status=S.ATTENDED).exists()


def test_registration_page_check_in_action(district: Any, door: dict[str, Any]) -> None:
    client = client_for(district.cadre_a)
    r = door["regs"]["张签到"]
    assert client.get(reg_url("check_in", r)).status_code == 200
    with time_machine.travel(door["day"], tick=False):
        response = client_for(district.cadre_a).post(reg_url("check_in", r), follow=True)
    assert "签到成功。" in messages_of(response)
    r.refresh_from_db()
    assert r.status == S.ATTENDED


# --- manual change of a place ------------------------------------------------------------------


def test_changing_a_place_needs_a_reason_and_frees_the_place_for_the_waitlist(
    district: Any, door: dict[str, Any]
) -> None:
    client = client_for(district.cadre_a)
    zhang, wang = door["regs"]["张签到"], door["regs"]["王候补"]
    url = reg_url("change_place", zhang)
    assert client.get(url).status_code == 200
    blank = client.post(url, {"to_status": S.CANCELLED, "reason": "  "})
    assert blank.status_code == 200
    assert "reason" in blank.context["form"].errors
    zhang.refresh_from_db()
    assert zhang.status == S.REGISTERED

    response = client.post(url, {"to_status": S.CANCELLED, "reason": "本人电话告知不能参加"})
    assert response.status_code == 302
    zhang.refresh_from_db()
    wang.refresh_from_db()
    assert (zhang.status, wang.status) == (S.CANCELLED, S.REGISTERED)
    entry = AuditEntry.objects.get(action="registration.change")
    assert "本人电话告知不能参加" in entry.message

    # Cancelled is final for a manual change: not offered, refused at its address.
    full = client.post(
        reg_url("change_place", zhang), {"to_status": S.REGISTERED, "reason": "补录"}
    )
    assert full.status_code == 302
    zhang.refresh_from_db()
    assert zhang.status == S.CANCELLED


def test_moving_a_place_to_the_waitlist_offers_the_position_and_passes_it_on(
    district: Any, door: dict[str, Any]
) -> None:
    client = client_for(district.cadre_a)
    zhang, li, wang = (door["regs"][n] for n in ("张签到", "李扫码", "王候补"))
    url = reg_url("change_place", li)
    form = client.get(url)
    assert 'name="position"' in form.content.decode()
    bad = client.post(url, {"to_status": S.WAITLISTED, "position": "0", "reason": "x"})
    assert "position" in bad.context["form"].errors
    response = client.post(url, {"to_status": S.WAITLISTED, "position": "1", "reason": "待核实"})
    assert response.status_code == 302
    li.refresh_from_db()
    wang.refresh_from_db()
    assert (li.status, wang.status) == (S.WAITLISTED, S.REGISTERED)
    entry = AuditEntry.objects.get(action="registration.change")
    assert "第 1 位" in entry.message
    assert "待核实" in entry.message
    assert Notification.objects.filter(person=li.person).count() == 1
    wrong = client.post(
        reg_url("change_place", zhang), {"to_status": S.CANCELLED, "position": "2", "reason": "x"}
    )
    assert "position" in wrong.context["form"].errors


# --- consultations -----------------------------------------------------------------------------


def test_consultations_through_the_add_form_and_the_activity_action(district: Any) -> None:
    client = client_for(district.cadre_a)
    day = make_activity(
        district.cadre_a, district.A, kind=ActivityKind.SERVICE_DAY, capacity=None, title="服务日"
    )
    lecture = make_activity(district.cadre_a, district.A, kind=ActivityKind.WOMEN_LECTURE)
    add = reverse("admin:activities_consultation_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"activity": day.pk, "topic": "wages", "count": "30"})
    assert response.status_code == 302
    assert dict(Consultation.objects.values_list("topic", "count")) == {"wages": 30}

    zero = client.post(add, {"activity": day.pk, "topic": "legal", "count": "0"})
    assert zero.status_code == 200
    assert "count" in zero.context["adminform"].form.errors
    not_a_day = client.post(add, {"activity": lecture.pk, "topic": "legal", "count": "3"})
    assert not_a_day.status_code == 200
    assert "activity" in not_a_day.context["adminform"].form.errors  # only service days offered

    response = client.post(
        act_url("record_consultation", day), {"topic": "wages", "count": "35"}, follow=True
    )
    assert "咨询人次已登记。" in messages_of(response)
    refused = client.post(act_url("record_consultation", lecture), {"topic": "wages", "count": "3"})
    assert refused.status_code == 200
    assert "只有工会流动服务日登记咨询人次。" in refused.content.decode()
    assert dict(Consultation.objects.values_list("topic", "count")) == {"wages": 35}


# --- export and query counts ---------------------------------------------------------------------


def test_export_action_returns_an_xlsx_of_the_selected_activities_in_scope(district: Any) -> None:
    a = make_activity(district.cadre_a, district.A, title="甲街道运动会", capacity=50)
    b = make_activity(district.cadre_b, district.B, title="乙街道运动会")
    data = {"action": "export_xlsx", "index": "0", "_selected_action": [str(a.pk), str(b.pk)]}
    response = client_for(district.cadre_a).post(ACTIVITIES, data)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("活动名称", "活动类别", "主办工会")
    titles = [row[0] for row in rows[1:]]
    assert titles == ["甲街道运动会"]  # street B's activity is not exported even if asked for
    assert rows[1][1] == "免费体检"


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, site settings)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_activity_and_registration_lists_do_not_grow_queries_with_rows(
    district: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(district.cadre_a)
    people = [person(district.root, district.A1) for _ in range(3)]

    def add_activities(n: int) -> None:
        for i in range(n):
            a = make_activity(district.cadre_a, district.A, title=f"活动{i:02d}", capacity=2)
            for p in people:
                register(a, p, district.cadre_a)

    add_activities(1)
    few = {url: _queries(client, url) for url in (ACTIVITIES, REGISTRATIONS)}
    add_activities(29)  # 30 activities, 90 registrations
    assert Registration.objects.count() == 90
    for url, n in few.items():
        assert n <= 30, f"{url}: {n} queries for one row"
        with django_assert_max_num_queries(n):
            response = client.get(url)
        assert len(response.context["cl"].result_list) >= 30


def test_door_list_queries_do_not_grow_with_people(
    district: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(district.cadre_a)
    a = make_activity(district.cadre_a, district.A, capacity=40)
    register(a, person(district.root, district.A1), district.cadre_a)
    url = act_url("door_list", a)
    n = _queries(client, url)
    for _ in range(25):
        register(a, person(district.root, district.A1), district.cadre_a)
    with django_assert_max_num_queries(n):
        response = client.get(url)
    assert response.context["counts"]["total"] == 26
