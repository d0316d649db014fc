"""The demo district's honours, through the services.

The 2015 figures come out of these records: Worker Pioneer titles 1 national, 1 provincial
and 40 municipal (a 41st is revoked in the autumn), 60 district Advanced Workers' Homes (a
61st is revoked), 1 national advanced worker, 1 provincial May Day award, 7 municipal May Day
medals and awards (4 + 3) and 13 one-union-one-brand projects. Around them: the same kinds in
2014, a few 2015 titles that no figure counts, and about 320 model workers (titles from 1995
on, a few revoked) to whom the festival condolences of 2015 go.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gonghui.honours.models import Honour, HonourKind, HonourLevel
from gonghui.honours.services import honour_award, honour_revoke
from gonghui.membership.models import Person
from gonghui.organisation.models import Enterprise, Union, UnionKind

YEAR = 2015
K, L = HonourKind, HonourLevel
PLACE = {L.NATIONAL: "全国", L.PROVINCIAL: "浙江省", L.MUNICIPAL: "杭州市", L.DISTRICT: "江岸区"}
TEAMS = ("生产一车间", "质检班组", "研发中心", "客服班组", "维修班", "物流调度组", "安装队")
BRAND_A = ("暖心", "红色", "职工", "匠心", "同心", "阳光", "书香", "彩虹", "和美", "启航")
BRAND_B = ("驿站", "课堂", "服务队", "加油站", "议事厅", "工作室", "小屋", "港湾")
MODEL_WORKERS = 320  # persons holding a model-worker title before 2015
MODEL_WORKERS_NEW_2015 = 6  # first titles in 2015 (besides upgrades of earlier holders)
MODEL_WORKERS_REVOKED = 3


def build_honours(builder: Any, fed: Union) -> None:
    _Honours(builder, fed).build()


class _Honours:
    def __init__(self, builder: Any, fed: Union) -> None:
        self.b = builder
        self.rng = builder.rng
        self.fed = fed
        self.place = {**PLACE, L.DISTRICT: builder.district.place}
        self.streets: dict[str, Union] = {s.path: s for s in builder.streets}
        old = [u for u in builder.unions if u.founded_on and u.founded_on.year < YEAR]
        self.old_unions: list[Union] = old
        self.firms: list[Enterprise] = [
            builder.union_enterprises[u.pk][0] for u in old if u.kind == UnionKind.ENTERPRISE
        ]

    # ------------------------------------------------------------------ helpers
    def keeper(self, path: str, level: str) -> Union:
        """The federation, or the street of ``path`` (more often for the lower levels)."""
        street = self.streets.get(".".join(path.split(".")[: self.fed.depth + 2]))
        to_street: dict[str, float] = {
            L.NATIONAL: 0.0,
            L.PROVINCIAL: 0.2,
            L.MUNICIPAL: 0.5,
            L.DISTRICT: 0.6,
        }
        if street is not None and self.rng.random() < to_street[level]:
            return street
        return self.fed

    def award(
        self, kind: str, level: str, year: int, recipient: Any, *, on: dt.date, title: str = ""
    ) -> Honour:
        if isinstance(recipient, Person):
            field, path = "person", recipient.union.path
        elif isinstance(recipient, Union):
            field, path = "recipient_union", recipient.path
        else:
            field, path = "enterprise", recipient.union.path
        return honour_award(
            actor=self.b.actor,
            union=self.keeper(path, level),
            kind=kind,
            level=level,
            year=year,
            awarded_on=on,
            title=title or f"{year}年度{self.place[L(level)]}{K(kind).label}",
            **{field: recipient},
        )

    def revoke(self, honour: Honour, on: dt.date, reason: str) -> None:
        honour_revoke(actor=self.b.actor, honour=honour, on=on, reason=reason)

    def pioneer_title(self, year: int, level: str, firm: Any) -> str:
        team = self.rng.choice(TEAMS)
        return f"{year}年度{self.place[L(level)]}工人先锋号（{firm}{team}）"

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        rng = self.rng
        for year in (YEAR - 1, YEAR):
            self.units(year)
        people = self.people()
        self.model_workers(people)
        # Persons honoured in 2015 besides the model workers.
        adv, *medals = rng.sample(people["other"], 6)
        self.award(K.ADVANCED_WORKER, L.NATIONAL, YEAR, adv, on=dt.date(YEAR, 4, 28))
        for p in medals[:4]:
            self.award(K.MAYDAY_MEDAL, L.MUNICIPAL, YEAR, p, on=dt.date(YEAR, 4, 24))
        self.award(K.MAYDAY_MEDAL, L.PROVINCIAL, YEAR, medals[4], on=dt.date(YEAR, 4, 27))

    def units(self, year: int) -> None:
        """The collective titles of one year (2014's are fewer: context for 2015's)."""
        rng = self.rng
        this = year == YEAR
        # municipal pioneers, municipal May Day awards, district homes, brand projects
        n_pioneers, n_awards, n_homes, n_brands = (41, 3, 61, 13) if this else (10, 2, 12, 5)
        firms = rng.sample(self.firms, 6 + n_pioneers)
        pioneers = [(L.NATIONAL, firms[0]), (L.PROVINCIAL, firms[1])]
        pioneers += [(L.DISTRICT, f) for f in firms[2:6]]
        pioneers += [(L.MUNICIPAL, f) for f in firms[6:]]
        for i, (level, firm) in enumerate(pioneers):
            # Some titles go to the enterprise, some to its union.
            recipient: Any = firm if i % 3 else self.union_of(firm)
            honour = self.award(
                K.WORKER_PIONEER,
                level,
                year,
                recipient,
                on=dt.date(year, 4, 28),
                title=self.pioneer_title(year, level, firm.name),
            )
            if this and i == len(pioneers) - 1:
                self.revoke(honour, dt.date(year, 10, 15), "该班组发生安全生产责任事故，撤销称号")
        award_firms = rng.sample(self.firms, 1 + n_awards)
        self.award(K.MAYDAY_AWARD, L.PROVINCIAL, year, award_firms[0], on=dt.date(year, 4, 27))
        for firm in award_firms[1:]:
            self.award(K.MAYDAY_AWARD, L.MUNICIPAL, year, firm, on=dt.date(year, 4, 24))

        homes = rng.sample(self.old_unions, n_homes)
        for i, union in enumerate(homes):
            honour = self.award(
                K.ADVANCED_WORKERS_HOME, L.DISTRICT, year, union, on=dt.date(year, 12, 18)
            )
            if this and i == 0:
                self.revoke(honour, dt.date(year, 12, 28), "复核发现申报材料不实，撤销称号")
        brands = rng.sample([a + b for a in BRAND_A for b in BRAND_B], n_brands)
        for brand, union in zip(brands, rng.sample(self.old_unions, len(brands)), strict=True):
            self.award(
                K.YIHUI_YIPIN,
                L.DISTRICT,
                year,
                union,
                on=dt.date(year, 11, 20),
                title=f"“{brand}”{'服务品牌' if rng.random() < 0.5 else '特色项目'}",
            )

    def union_of(self, firm: Enterprise) -> Union:
        return next(u for u in self.old_unions if self.b.union_enterprises[u.pk][0].pk == firm.pk)

    def people(self) -> dict[str, list[Person]]:
        """Long-standing members born before 1976, in a stable order, split for the titles."""
        ids = list(
            Person.objects.filter(
                union__path__startswith=self.fed.path,
                memberships__ended_on__isnull=True,
                memberships__started_on__lt=dt.date(YEAR, 1, 1),
                birth_date__lt=dt.date(1976, 1, 1),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        n = min(MODEL_WORKERS + MODEL_WORKERS_NEW_2015, max(len(ids) - 10, 0))
        picked = self.rng.sample(ids, n + 10)
        by_pk = (
            Person.objects.select_related("union")
            .only("id", "name", "union__id", "union__path", "union__name")
            .in_bulk(picked)
        )
        chosen = [by_pk[pk] for pk in picked]
        return {"model": chosen[:n], "other": chosen[n:]}

    def model_workers(self, people: dict[str, list[Person]]) -> None:
        rng = self.rng
        persons = people["model"]
        earlier, new = persons[MODEL_WORKERS_NEW_2015:], persons[:MODEL_WORKERS_NEW_2015]
        levels = (L.MUNICIPAL, L.PROVINCIAL, L.NATIONAL, L.DISTRICT)
        revoked = set(range(MODEL_WORKERS_REVOKED))
        for i, person in enumerate(earlier):
            level = rng.choices(levels, weights=(60, 22, 6, 12))[0]
            year = rng.randint(1995, 2014)
            if level == L.NATIONAL:
                year -= year % 5  # national model workers are named every five years
            awarded = dt.date(year, 4, rng.randint(20, 30))
            honour = self.award(K.MODEL_WORKER, level, year, person, on=awarded)
            if i in revoked:
                on = awarded + dt.timedelta(days=rng.randint(200, 2000))
                self.revoke(
                    honour, min(on, dt.date(YEAR - 1, 12, 31)), "因违法违纪被撤销劳动模范称号"
                )
            elif level != L.NATIONAL and rng.random() < 0.1 and year < 2013:
                # Some were later named at a higher level.
                higher = levels[levels.index(level) + 1] if level != L.DISTRICT else L.MUNICIPAL
                later = rng.randint(year + 1, 2014)
                self.award(K.MODEL_WORKER, higher, later, person, on=dt.date(later, 4, 28))
        upgrades = rng.sample(earlier[MODEL_WORKERS_REVOKED:], 4)
        for person in new + upgrades:
            self.award(K.MODEL_WORKER, L.MUNICIPAL, YEAR, person, on=dt.date(YEAR, 4, 28))
