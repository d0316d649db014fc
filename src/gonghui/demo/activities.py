"""The demo district's activities: the year 2015 as the work report tells it, and a few
upcoming ones so the portal has something open today.

2015: 72 mobile service days (9 per street) with about 700 consultations each; 6 free health
checks for migrant workers (500 came); 17 friendship events (young workers, 1,200+ came); 72
"Little Migrant Birds" camp sessions (1,700+ children); the district sports meet (2,000+
registered) within a May Day series of 10; 44 women workers' lectures (1,800+ came); 310
cultural activities; one HR exchange fair (1,150 jobs) and 19 street job fairs (4,051 jobs).

The upcoming activities go through the services. The year 2015's ~560 activities, their
consultations and ~9,000 registrations are inserted in bulk with the invariants the services
keep (one active registration per person and child, places never above capacity, attended
ones with a time, counters equal to the rows), which the database's constraints check.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Allocation,
    Consultation,
    Registration,
    RegistrationStatus,
    Series,
)
from gonghui.core import audit
from gonghui.membership.models import Membership, Person

K = ActivityKind
S = RegistrationStatus
TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2015

CULTURAL_TITLES = (
    "人文讲座",
    "职工诗歌征文",
    "职工书画展",
    "读书分享会",
    "摄影作品展",
    "戏曲进社区",
    "职工合唱比赛",
    "非遗文化讲堂",
)
MAYDAY_TITLES = (
    "庆“五一”劳模事迹报告会",
    "“五一”劳动奖表彰大会",
    "庆“五一”职工文艺汇演",
    "“劳动最光荣”职工摄影展",
    "庆“五一”职工书画比赛",
    "“五一”劳模健康疗休养",
    "庆“五一”职工趣味运动会",
    "“五一”送技能进企业",
    "庆“五一”职工歌手大赛",
)
LECTURE_TOPICS = ("女职工劳动保护", "家庭教育", "心理健康", "法律知识", "礼仪修养", "健康养生")
CONSULT_TOPICS = (
    "wages",
    "contract",
    "social_insurance",
    "injury",
    "legal",
    "employment",
    "membership",
    "assistance",
    "other",
)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def build_activities(b: Any, fed: Any) -> None:
    Builder(b, fed).build()


class Builder:
    def __init__(self, b: Any, fed: Any) -> None:
        self.b, self.fed, self.rng, self.actor = b, fed, b.rng, b.actor
        self.streets = list(b.streets)
        self.rows: list[Registration] = []
        self.activities: list[Activity] = []
        self.pending: list[tuple[Activity, list[int], int, bool]] = []
        self.consultations: list[tuple[Activity, str, int]] = []
        self.counters: dict[int, tuple[int, int]] = {}
        self.registered_on: dict[int, dt.datetime] = {}
        # Who can take part: people kept in each street's subtree, with what the rules read.
        self.pool: dict[str, list[tuple[int, str, bool, int, str]]] = defaultdict(list)
        members = set(
            Membership.objects.filter(
                ended_on__isnull=True, union__path__startswith=fed.path
            ).values_list("person_id", flat=True)
        )
        self.members = members
        for pk, path, gender, migrant, birth in (
            Person.objects.filter(union__path__startswith=fed.path)
            .values_list("pk", "union__path", "gender", "migrant", "birth_date")
            .order_by("pk")
        ):
            street = path[: len(self.streets[0].path)]
            self.pool[street].append((pk, gender, migrant, birth.year, path))
        self.everyone = [p for s in self.streets for p in self.pool[s.path]]

    # ------------------------------------------------------------------ helpers
    def take(self, people: list[int], n: int) -> list[int]:
        """``n`` of ``people`` at random (fewer in a small demo built at a reduced scale)."""
        return self.rng.sample(people, min(n, len(people)))

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def activity(
        self, union: Any, kind: str, title: str, starts_on: dt.date, **kw: Any
    ) -> Activity:
        """A published 2015 activity, inserted with the others in one go (see ``flush``)."""
        if kw.get("capacity") is not None:
            kw.setdefault("opens_at", _at(starts_on - dt.timedelta(days=21)))
            kw.setdefault("closes_at", _at(starts_on - dt.timedelta(days=2), 17))
        kw.setdefault("ends_on", starts_on)
        a = Activity(
            union=union,
            kind=kind,
            title=title,
            starts_on=starts_on,
            status=ActivityStatus.PUBLISHED,
            **kw,
        )
        self.activities.append(a)
        return a

    def candidates(
        self,
        union: Any,
        *,
        migrant: bool = False,
        women: bool = False,
        young: bool = False,
        members: bool = False,
    ) -> list[int]:
        people = (
            self.everyone
            if union.pk == self.fed.pk
            else self.pool[union.path[: len(self.streets[0].path)]]
        )
        out = []
        for pk, gender, is_migrant, born, _path in people:
            if migrant and not is_migrant:
                continue
            if women and gender != "F":
                continue
            if young and born < 1983:
                continue
            if members and pk not in self.members:
                continue
            out.append(pk)
        return out

    def register(
        self, a: Activity, people: list[int], *, came: int, children: bool = False
    ) -> None:
        """Registrations for ``a``: everyone in ``people`` (places first, then the waitlist);
        ``came`` of those with a place attended, the rest of them did not come."""
        self.pending.append((a, people, came, children))

    def _registrations(self, a: Activity, people: list[int], came: int, children: bool) -> None:
        capacity = a.capacity or 0
        chosen = self.rng.sample(people, len(people))
        placed, waiting = chosen[:capacity], chosen[capacity:]
        order = list(range(len(placed)))
        self.rng.shuffle(order)
        came_idx = set(order[: min(came, len(placed))])
        for i, pk in enumerate(placed):
            row = Registration(activity=a, person_id=pk, status=S.NO_SHOW)
            if i in came_idx:
                row.status, row.attended_at = S.ATTENDED, _at(a.starts_on, 9)
            if children:
                row.child_name = self.b.name()
                age = self.rng.randint(a.child_min_age or 6, a.child_max_age or 14)
                row.child_birth_date = a.starts_on.replace(
                    year=a.starts_on.year - age
                ) - dt.timedelta(days=self.rng.randint(1, 300))
            self.rows.append(row)
        for pk in waiting:
            self.rows.append(Registration(activity=a, person_id=pk, status=S.WAITLISTED))
        self.counters[a.pk] = (len(placed), len(waiting))
        self.registered_on[a.pk] = a.opens_at or _at(a.starts_on - dt.timedelta(days=7))

    # ------------------------------------------------------------------ the year
    def build(self) -> None:
        rng = self.rng
        first, last = dt.date(YEAR, 1, 5), dt.date(YEAR, 12, 20)
        for street in self.streets:
            short = street.name.removesuffix("街道总工会")
            for i in range(9):
                self.service_day(street, short, i)
            for i in range(9):
                self.camp(street, short, i)
        for street in self.streets:
            short = street.name.removesuffix("街道总工会")
            n = 6 if self.streets.index(street) < 4 else 5
            for i in range(n):
                topic = LECTURE_TOPICS[(i + self.streets.index(street)) % len(LECTURE_TOPICS)]
                a = self.activity(
                    street,
                    K.WOMEN_LECTURE,
                    f"{short}女职工素质讲堂：{topic}",
                    self.day(first, last),
                    capacity=50,
                    women_only=True,
                    place=f"{short}职工之家",
                )
                people = self.candidates(street, women=True)
                regs = rng.randint(45, 50)
                self.register(a, self.take(people, regs), came=regs - rng.randint(0, 4))
        for i in range(6):
            a = self.activity(
                self.fed,
                K.HEALTH_CHECK,
                f"外来务工人员免费体检（第{i + 1}批）",
                self.day(dt.date(YEAR, 3, 1), dt.date(YEAR, 10, 31)),
                capacity=90,
                migrants_only=True,
                place="区职工医院体检中心",
            )
            came = 84 if i < 4 else 82  # 4 x 84 + 2 x 82 = 500 came
            self.register(a, self.take(self.candidates(self.fed, migrant=True), 90), came=came)
        for i in range(17):
            union = self.fed if i < 5 else self.streets[i % len(self.streets)]
            a = self.activity(
                union,
                K.FRIENDSHIP,
                f"青年职工交友联谊会（第{i + 1}场）",
                self.day(first, last),
                capacity=100,
                place="区职工文化宫" if union is self.fed else f"{union.name}职工之家",
            )
            regs = rng.randint(80, 95)
            self.register(
                a,
                self.take(self.candidates(union, young=True), regs),
                came=regs - rng.randint(0, 5),
            )
        self.mayday()
        for i in range(310):
            street = self.streets[i % len(self.streets)]
            union = rng.choice(self.b.communities[street.pk]) if i % 3 else street
            title = CULTURAL_TITLES[i % len(CULTURAL_TITLES)]
            self.activity(
                union,
                K.CULTURAL,
                f"{union.name.removesuffix('工会')}{title}",
                self.day(first, last),
            )
        self.activity(
            self.fed,
            K.HR_FAIR,
            "春风行动人力资源交流会",
            dt.date(YEAR, 2, 28),
            jobs_offered=1150,
            place="区人力资源市场",
        )
        jobs = self.b._partition(4051, 19, minimum=120)
        for i, n in enumerate(jobs):
            street = self.streets[i % len(self.streets)]
            self.activity(
                street,
                K.JOB_FAIR,
                f"{street.name.removesuffix('总工会')}专场招聘会（第{i // 8 + 1}场）",
                self.day(dt.date(YEAR, 2, 20), dt.date(YEAR, 11, 30)),
                jobs_offered=n,
                place=f"{street.name.removesuffix('总工会')}社区服务中心",
            )
        self.flush()
        self.upcoming()

    def service_day(self, street: Any, short: str, i: int) -> None:
        rng = self.rng
        day = dt.date(YEAR, 1 + (i * 4) // 3, 10 + rng.randint(0, 15))
        a = self.activity(
            street,
            K.SERVICE_DAY,
            f"{short}工会流动服务日（第{i + 1}站）",
            day,
            place=f"{short}{rng.choice(('广场', '社区服务中心', '工业园区'))}",
        )
        total = rng.randint(700, 760)
        topics = rng.sample(CONSULT_TOPICS, rng.randint(4, 6))
        shares = self.b._partition(total, len(topics), minimum=20)
        for topic, n in zip(topics, shares, strict=True):
            self.consultations.append((a, topic, n))

    def camp(self, street: Any, short: str, i: int) -> None:
        start = dt.date(YEAR, 7, 6) + dt.timedelta(days=7 * (i % 6))
        a = self.activity(
            street,
            K.SUMMER_CAMP,
            f"{short}“小候鸟”暑期夏令营（第{i + 1}期）",
            start,
            ends_on=start + dt.timedelta(days=4),
            capacity=26,
            migrants_only=True,
            child_min_age=6,
            child_max_age=14,
            place=f"{short}青少年活动中心",
        )
        parents = self.take(self.candidates(street, migrant=True), 26)
        self.register(a, parents, came=26 - self.rng.randint(0, 2), children=True)

    def mayday(self) -> None:
        rng = self.rng
        meet = self.activity(
            self.fed,
            K.SPORTS_MEET,
            "区第二届职工运动会",
            dt.date(YEAR, 4, 25),
            ends_on=dt.date(YEAR, 4, 26),
            capacity=2200,
            members_only=True,
            series=Series.MAYDAY,
            place="区体育中心",
        )
        people = self.candidates(self.fed, members=True)
        regs = rng.randint(2080, 2160)
        self.register(meet, self.take(people, regs), came=regs - rng.randint(30, 60))
        for i, title in enumerate(MAYDAY_TITLES):
            self.activity(
                self.fed,
                K.CULTURAL if "文艺" in title or "歌手" in title else K.OTHER,
                title,
                dt.date(YEAR, 4, 20) + dt.timedelta(days=i),
                series=Series.MAYDAY,
                place="区职工文化宫",
            )

    def flush(self) -> None:
        Activity.objects.bulk_create(self.activities, batch_size=1000)
        Consultation.objects.bulk_create(
            [Consultation(activity=a, topic=t, count=n) for a, t, n in self.consultations],
            batch_size=1000,
        )
        for a, people, came, children in self.pending:
            self._registrations(a, people, came, children)
        Registration.objects.bulk_create(self.rows, batch_size=5000)
        for pk, (taken, waiting) in self.counters.items():
            Activity.objects.filter(pk=pk).update(taken=taken, waiting=waiting)
            Registration.objects.filter(activity_id=pk).update(created_at=self.registered_on[pk])
        audit.record(
            actor=self.actor,
            obj=self.fed,
            action="demo.registrations",
            message=(
                f"演示数据：批量建立 {YEAR} 年活动 {len(self.activities)} 项、"
                f"咨询登记 {len(self.consultations)} 条、活动报名 {len(self.rows)} 条"
            ),
        )

    def upcoming(self) -> None:
        """What a worker finds open in the portal today."""
        today = timezone.localdate()
        now = timezone.now()
        street = self.streets[0]
        short = street.name.removesuffix("街道总工会")
        specs: list[tuple[Any, str, str, int, dict[str, Any]]] = [
            (
                self.fed,
                K.HEALTH_CHECK,
                "外来务工人员免费体检（冬季批）",
                12,
                {"capacity": 80, "migrants_only": True, "place": "区职工医院体检中心"},
            ),
            (
                street,
                K.WOMEN_LECTURE,
                f"{short}女职工素质讲堂：冬季健康",
                9,
                {"capacity": 40, "women_only": True, "place": f"{short}职工之家"},
            ),
            (
                street,
                K.CULTURAL,
                f"{short}职工迎新年书法讲座",
                15,
                {"capacity": 30, "place": f"{short}职工之家"},
            ),
            (
                self.fed,
                K.OTHER,
                "职工冬季疗休养（抽签）",
                30,
                {
                    "capacity": 20,
                    "allocation": Allocation.LOTTERY,
                    "hardship_priority": True,
                    "members_only": True,
                    "place": "区职工疗休养基地",
                },
            ),
            (
                street,
                K.SERVICE_DAY,
                f"{short}工会流动服务日（冬季站）",
                6,
                {"place": f"{short}广场"},
            ),
        ]
        for union, kind, title, days, kw in specs:
            start = today + dt.timedelta(days=days)
            if kw.get("capacity") is not None:
                kw = {
                    "opens_at": now - dt.timedelta(days=3),
                    "closes_at": timezone.make_aware(dt.datetime.combine(start, dt.time(12)))
                    - dt.timedelta(days=2),
                    **kw,
                }
            a = services.activity_create(
                actor=self.actor, union=union, kind=kind, title=title, starts_on=start, **kw
            )
            services.activity_publish(actor=self.actor, activity=a)
