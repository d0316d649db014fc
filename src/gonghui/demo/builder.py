"""The demo district: a fictional district federation with a full year 2015 of records.

Deterministic for a given seed. The tree's upper levels, the federation's staff and the
accounts go through the services; the thousands of enterprises, grassroots unions, people
and memberships go through bulk paths that keep the same invariants (valid identifiers,
materialized paths, one open membership per person, one open coverage per enterprise,
joins after founding) and are checked by the same database constraints.

The 2015 organisation figures come out of these records: 76 unions founded (2 community
unions, 38 enterprise unions, 36 joint unions), 533 enterprises covered by them (38 + 495),
about 19,600 members joined, 4 full-time staff recruited by examination, 12 full-time
cadres in post at the year's end.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from stdnum.cn.ric import calc_check_digit as ric_check
from stdnum.cn.uscc import calc_check_digit as uscc_check

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.core import audit, pii
from gonghui.core.bulk import analyze, insert_objects
from gonghui.core.identifiers import mask_ric, region_last_year
from gonghui.core.scope import SYSTEM
from gonghui.membership import services as membership_services
from gonghui.membership.models import (
    EndReason,
    Gender,
    Membership,
    Person,
    RetainedReason,
    SkillGrade,
    StartReason,
)
from gonghui.organisation import services as org_services
from gonghui.organisation.models import (
    PATH_SEGMENT,
    Cadre,
    CadrePosition,
    Coverage,
    Enterprise,
    JointKind,
    Union,
    UnionKind,
)

from . import names
from .activities import build_activities
from .assistance import build_assistance
from .honours import build_honours
from .relations import build_relations

T = TypeVar("T")

# Published with the demo on purpose: it only ever guards fictional data.
DEMO_PASSWORD = "Gonghui#2015demo"  # noqa: S105
YEAR = 2015
Y_START = dt.date(YEAR, 1, 1)
Y_END = dt.date(YEAR, 12, 31)
BATCH = 5000

# The 2015 shape of the district (see the module docstring).
NEW_COMMUNITIES = 2
NEW_ENTERPRISE_UNIONS = 38
NEW_JOINT_UNIONS = 36
NEW_JOINT_COVERED = 495
OLD_ENTERPRISE_UNIONS = 620
OLD_JOINT_UNIONS = 70
UNCOVERED_ENTERPRISES = 700
OLD_MEMBERS = 31_000
JOINED_2015 = 19_600
NON_MEMBERS = 2_500
TRANSFERS_2015 = 1_200


@dataclass(frozen=True)
class District:
    """Who a built district is: the demo's is 江岸区 (JA); a city's others get their own
    name, union codes, enterprise-code region, login and receipt prefixes (demo/city.py)."""

    place: str = "江岸区"
    code: str = "JA"
    uscc_region: str = "330104"
    login_prefix: str = ""
    receipt_suffix: str = ""


@dataclass
class Login:
    role: str
    username: str
    password: str
    scope: str


@dataclass
class BuildResult:
    federation: Union
    logins: list[Login] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def create_sysadmin() -> Any:
    """The superuser who builds the demo (and signs in as 系统管理员)."""
    actor = user_create(
        actor=SYSTEM, username="sysadmin", password=DEMO_PASSWORD, name="系统管理员"
    )
    actor.is_superuser = True
    actor.is_staff = True
    actor.save(update_fields=["is_superuser", "is_staff"])
    return actor


def _ordinal(n: int) -> str:
    digits = "零一二三四五六七八九"
    return (
        digits[n]
        if n < 10
        else ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")
    )


def _founded(union: Union) -> dt.date:
    assert union.founded_on is not None  # every demo union has a founding date  # noqa: S101
    return union.founded_on


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


class DemoBuilder:
    def __init__(
        self,
        *,
        seed: int = 2015,
        scale: float = 1.0,
        log: Callable[[str], Any] = print,
        district: District | None = None,
        parent: Union | None = None,
        taken_rics: set[str] | None = None,
    ):
        self.rng = random.Random(seed)
        self.scale = scale
        self.log = log
        self.district = district or District()
        # A city's district federation sits under the city's; the demo's is the root.
        self.parent = parent
        self.next_seg: dict[int, int] = defaultdict(int)
        self.rics: set[str] = set()
        # ID numbers already given in other districts of the same build (see ``ric``).
        self.taken_rics: set[str] = taken_rics if taken_rics is not None else set()
        self.usccs: set[str] = set()
        self.firm_names: set[str] = set()
        self.actor: Any = None  # the sysadmin, once created
        self.union_names: dict[str, int] = {}

    # ------------------------------------------------------------------ helpers
    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def name(self) -> str:
        given = self.pick(names.GIVEN)
        if self.rng.random() < 0.6:
            given += self.pick(names.GIVEN)
        return self.pick(names.SURNAMES) + given

    def ric(self, *, migrant: bool, latest_birth_year: int) -> tuple[str, str]:
        regions = names.MIGRANT_REGIONS if migrant else names.LOCAL_REGIONS
        while True:
            region = self.pick(regions)
            # Nobody holds a code abolished before they were born (ID numbers check it).
            until = region_last_year(region)
            if until is None:
                raise ValueError(f"{region} is not a region code")
            latest = min(latest_birth_year, 1997, until)
            born = _day_between(self.rng, dt.date(1958, 1, 1), dt.date(latest, 12, 31))
            body = f"{region}{born:%Y%m%d}{self.rng.randint(1, 999):03d}"
            if body not in self.rics:
                self.rics.add(body)
                body = self._untaken(body)
                return body + ric_check(body + "0"), region

    def _untaken(self, body: str) -> str:
        """``body``, or the next sequence number of the same parity (so the same sex) when
        another district of the city already holds it. The random draws stay those of the
        demo, so every district of a city is the demo district's shape, figure for figure."""
        serial = int(body[-3:])
        for step in range(500):
            number = serial + 2 * step
            while number > 999:
                number -= 998  # wraps to the smallest number of the same parity
            candidate = f"{body[:-3]}{number:03d}"
            if candidate not in self.taken_rics:
                self.taken_rics.add(candidate)
                return candidate
        raise ValueError(f"no ID number left for {body[:-3]}")

    def uscc(self) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            body = f"91{self.district.uscc_region}" + "".join(self.pick(alphabet) for _ in range(9))
            if body not in self.usccs:
                self.usccs.add(body)
                return body + uscc_check(body + "0")

    def mobile(self) -> str:
        return f"+86{self.pick(names.MOBILE_PREFIXES)}{self.rng.randint(0, 99_999_999):08d}"

    def firm_name(self, industry: str, *, small: bool) -> str:
        for _ in range(50):
            street = self.pick(names.STREET_NAMES)
            kind = self.pick(names.FIRM_KIND[industry])
            if small:
                prefix, form = self.pick(names.FIRM_PREFIX), self.pick(names.SHOP_FORM)
                candidate = f"{self.district.place}{street}{prefix}{kind}{form}"
            else:
                candidate = f"杭州{self.pick(names.FIRM_PREFIX)}{kind}{self.pick(names.FIRM_FORM)}"
            if candidate not in self.firm_names:
                self.firm_names.add(candidate)
                return candidate
        candidate = f"{candidate[:-2]}{len(self.firm_names)}{candidate[-2:]}"
        self.firm_names.add(candidate)
        return candidate

    def distinct_name(self, label: str) -> str:
        """``label``, or ``label（二）``… when a union of that name already exists."""
        count = self.union_names.get(label, 0) + 1
        self.union_names[label] = count
        return label if count == 1 else f"{label}（{_ordinal(count)}）"

    @staticmethod
    def parent_of(union: Union) -> Union:
        assert union.parent is not None  # noqa: S101 - communities always have a street
        return union.parent

    def new_union(self, parent: Union, **kw: Any) -> Union:
        """An unsaved union under ``parent`` with its path (bulk path of union_create)."""
        if parent.pk not in self.next_seg:
            self.next_seg[parent.pk] = parent.children.count()
        self.next_seg[parent.pk] += 1
        seg = self.next_seg[parent.pk]
        return Union(
            parent=parent,
            path=f"{parent.path}.{seg:0{PATH_SEGMENT}d}",
            depth=parent.depth + 1,
            **kw,
        )

    # ------------------------------------------------------------------ build
    def build(self, *, actor: Any = None, analyze_after: bool = True) -> BuildResult:
        """Build the district in one transaction, then ``ANALYZE`` the database (unless the
        caller, the city, analyzes once after all its districts)."""
        with transaction.atomic():
            self.actor = actor or create_sysadmin()
            fed = self.build_tree()
            self.build_grassroots(fed)
            self.build_people(fed)
            self.build_staff(fed)
            build_honours(self, fed)
            build_activities(self, fed)
            build_assistance(self, fed)
            build_relations(self, fed)
            result = BuildResult(federation=fed)
            result.logins = self.build_logins(fed)
            under = fed.path
            result.counts = {
                "unions": Union.objects.filter(path__startswith=under).count(),
                "enterprises": Enterprise.objects.filter(union__path__startswith=under).count(),
                "persons": Person.objects.filter(union__path__startswith=under).count(),
                "memberships": Membership.objects.filter(union__path__startswith=under).count(),
            }
        if analyze_after:
            # Bulk inserts leave the planner without statistics on the tables they filled.
            analyze()
        return result

    def build_tree(self) -> Union:
        rng = self.rng
        fed = org_services.union_create(
            actor=self.actor,
            parent=self.parent,
            name=f"{self.district.place}总工会",
            code=self.district.code,
            kind=UnionKind.FEDERATION,
            founded_on=dt.date(1985, 5, 1),
            address=f"{self.district.place}凤起东路 1 号",
            phone="0571-86000000",
        )
        self.streets: list[Union] = []
        self.communities: dict[int, list[Union]] = {}
        new_community_streets = {6, 7}
        for i, (word, abbr) in enumerate(names.STREETS):
            street = org_services.union_create(
                actor=self.actor,
                parent=fed,
                name=f"{word}街道总工会",
                code=f"{self.district.code}-{abbr}",
                kind=UnionKind.STREET_FEDERATION,
                founded_on=dt.date(rng.randint(1992, 2003), rng.randint(1, 12), 1),
            )
            self.streets.append(street)
            comms = []
            words = names.COMMUNITY_WORDS[i * 6 : i * 6 + 6]
            for j, cw in enumerate(words[: rng.randint(5, 6)]):
                comms.append(
                    org_services.union_create(
                        actor=self.actor,
                        parent=street,
                        name=f"{cw}社区工会联合会" if j == 0 else f"{cw}社区工会",
                        code=f"{self.district.code}-{abbr}-{j + 1:02d}",
                        kind=UnionKind.COMMUNITY,
                        founded_on=_day_between(rng, dt.date(2003, 1, 1), dt.date(2012, 12, 31)),
                    )
                )
            if i in new_community_streets:
                comms.append(
                    org_services.union_create(
                        actor=self.actor,
                        parent=street,
                        name=f"{words[-1]}新城社区工会",
                        code=f"{self.district.code}-{abbr}-{len(comms) + 1:02d}",
                        kind=UnionKind.COMMUNITY,
                        founded_on=_day_between(rng, dt.date(YEAR, 3, 1), dt.date(YEAR, 6, 30)),
                    )
                )
            self.communities[street.pk] = comms
        return fed

    def _enterprise(self, area: Union, *, small: bool) -> Enterprise:
        industry = (
            self.pick(("C", "F", "H", "G", "I", "L", "O", "K"))
            if small
            else self.pick(tuple(names.FIRM_KIND))
        )
        workforce = self.rng.randint(3, 25) if small else int(self.rng.lognormvariate(4.2, 0.9))
        return Enterprise(
            name=self.firm_name(industry, small=small),
            uscc=self.uscc(),
            union=area,
            industry=industry,
            above_scale=(not small) and workforce >= 150,
            workforce=max(workforce, 3),
            address=(
                f"{self.district.place}{self.pick(names.STREET_NAMES)}{self.rng.randint(1, 999)}号"
            ),
        )

    def build_grassroots(self, fed: Union) -> None:
        """Enterprises, enterprise unions, joint unions and who covers whom."""
        rng = self.rng
        streets = self.streets
        old_areas = [c for s in streets for c in self.communities[s.pk] if _founded(c).year < YEAR]
        all_areas = [c for s in streets for c in self.communities[s.pk]]
        unions: list[Union] = []
        enterprises: list[Enterprise] = []
        plan: list[tuple[int, list[int], dt.date]] = []  # (union index, enterprise indexes, from)

        def add_enterprise(area: Union, small: bool) -> int:
            enterprises.append(self._enterprise(area, small=small))
            return len(enterprises) - 1

        def enterprise_union(founded: dt.date, areas: list[Union], tag: str) -> None:
            area = self.pick(areas)
            street = self.parent_of(area)
            ent = add_enterprise(area, small=False)
            r = rng.random()
            parent = area if r < 0.8 else (street if r < 0.97 else fed)
            u = self.new_union(
                parent,
                name=f"{enterprises[ent].name}工会委员会",
                code=f"{self.district.code}-{tag}{len(unions) + 1:04d}",
                kind=UnionKind.ENTERPRISE,
                founded_on=founded,
            )
            unions.append(u)
            plan.append((len(unions) - 1, [ent], founded))

        def joint_union(founded: dt.date, n: int, areas: list[Union], tag: str) -> None:
            area = self.pick(areas)
            street = self.parent_of(area)
            kind = self.pick(list(JointKind))
            parent = area if kind == JointKind.ONE_STREET else street
            trade, industry = self.pick(names.TRADES)
            label = {
                JointKind.TRADE: f"{street.name[:2]}街道{trade}行业联合工会",
                JointKind.ONE_STREET: f"{self.pick(names.STREET_NAMES)}一条街工会",
                JointKind.PROJECT: f"{street.name[:2]}{self.pick(names.PROJECTS)}项目工会",
                JointKind.AREA: f"{area.name[:2]}区域性工会联合会",
            }[kind]
            u = self.new_union(
                parent,
                name=self.distinct_name(label),
                code=f"{self.district.code}-{tag}{len(unions) + 1:04d}",
                kind=UnionKind.JOINT,
                joint_kind=kind,
                founded_on=founded,
            )
            unions.append(u)
            ents = [add_enterprise(area, small=True) for _ in range(n)]
            for e in ents:
                enterprises[e].industry = (
                    industry if kind == JointKind.TRADE else enterprises[e].industry
                )
            plan.append((len(unions) - 1, ents, founded))

        for _ in range(OLD_ENTERPRISE_UNIONS):
            enterprise_union(
                _day_between(rng, dt.date(1995, 1, 1), dt.date(2014, 12, 31)), old_areas, "E"
            )
        for _ in range(OLD_JOINT_UNIONS):
            joint_union(
                _day_between(rng, dt.date(2006, 1, 1), dt.date(2014, 12, 31)),
                rng.randint(10, 20),
                old_areas,
                "J",
            )
        self.new_union_from = len(unions)
        for _ in range(NEW_ENTERPRISE_UNIONS):
            enterprise_union(
                _day_between(rng, dt.date(YEAR, 1, 15), dt.date(YEAR, 11, 30)), all_areas, "E"
            )
        sizes = self._partition(NEW_JOINT_COVERED, NEW_JOINT_UNIONS, minimum=6)
        for n in sizes:
            joint_union(
                _day_between(rng, dt.date(YEAR, 1, 15), dt.date(YEAR, 11, 30)), n, all_areas, "J"
            )
        for _ in range(int(UNCOVERED_ENTERPRISES * self.scale)):
            add_enterprise(self.pick(all_areas), small=rng.random() < 0.7)

        insert_objects(Union, unions)
        insert_objects(Enterprise, enterprises)
        coverages = [
            Coverage(union=unions[ui], enterprise=enterprises[e], started_on=start)
            for ui, ents, start in plan
            for e in ents
        ]
        insert_objects(Coverage, coverages)
        self.unions = unions
        self.union_enterprises: dict[int, list[Enterprise]] = {
            unions[ui].pk: [enterprises[e] for e in ents] for ui, ents, _start in plan
        }
        self.uncovered = enterprises[len(enterprises) - int(UNCOVERED_ENTERPRISES * self.scale) :]
        audit.record(
            actor=self.actor,
            obj=fed,
            action="demo.grassroots",
            message=f"演示数据：批量建立基层工会 {len(unions)} 个、企业 {len(enterprises)} 家",
        )

    def _partition(self, total: int, parts: int, *, minimum: int) -> list[int]:
        sizes = [minimum] * parts
        for _ in range(total - minimum * parts):
            sizes[self.rng.randrange(parts)] += 1
        return sizes

    # ------------------------------------------------------------------ people
    def _person(self, union: Union, *, join: dt.date | None, employer: Enterprise | None) -> Person:
        rng = self.rng
        migrant = rng.random() < 0.42
        latest = (join.year if join else YEAR) - 18
        ric, region = self.ric(migrant=migrant, latest_birth_year=latest)
        body_gender = Gender.MALE if int(ric[16]) % 2 else Gender.FEMALE
        grade = ""
        if rng.random() < 0.35:
            grade = rng.choices(SkillGrade.values, weights=(40, 30, 18, 9, 3))[0]
        return Person(
            union=union,
            name=self.name(),
            ric_encrypted=pii.encrypt(ric),
            ric_hash=pii.lookup_hash(ric),
            ric_masked=mask_ric(ric),
            gender=body_gender,
            birth_date=dt.date(int(ric[6:10]), int(ric[10:12]), int(ric[12:14])),
            mobile=self.mobile() if rng.random() < 0.9 else "",
            employer=employer,
            hukou=names.MIGRANT_HUKOU.get(region[:2], "浙江省") + ("" if migrant else "杭州市"),
            migrant=migrant,
            skill_grade=grade,
        )

    def build_people(self, fed: Union) -> None:
        rng = self.rng
        grassroots = self.unions
        old = [u for u in grassroots if _founded(u).year < YEAR]
        new = [u for u in grassroots if _founded(u).year == YEAR]
        weight = {u.pk: sum(e.workforce for e in self.union_enterprises[u.pk]) for u in grassroots}
        old_weights = [weight[u.pk] for u in old]
        new_weights = [weight[u.pk] for u in new]
        persons: list[Person] = []
        joins: list[tuple[int, Union, dt.date]] = []  # person index, union, join date

        def employer_of(u: Union) -> Enterprise:
            return self.pick(self.union_enterprises[u.pk])

        n_old = int(OLD_MEMBERS * self.scale)
        for u in rng.choices(old, weights=old_weights, k=n_old):
            day = _day_between(
                rng, max(_founded(u), dt.date(2003, 1, 1)), dt.date(YEAR - 1, 12, 31)
            )
            persons.append(self._person(u, join=day, employer=employer_of(u)))
            joins.append((len(persons) - 1, u, day))
        self.first_2015 = len(joins)
        n_new = int((JOINED_2015 + rng.randint(-120, 120)) * self.scale)
        n_into_new = int(n_new * 0.45)
        targets = rng.choices(new, weights=new_weights, k=n_into_new) + rng.choices(
            old, weights=old_weights, k=n_new - n_into_new
        )
        for u in targets:
            day = _day_between(rng, max(_founded(u), Y_START), Y_END)
            persons.append(self._person(u, join=day, employer=employer_of(u)))
            joins.append((len(persons) - 1, u, day))
        areas = [c for s in self.streets for c in self.communities[s.pk]]
        for _ in range(int(NON_MEMBERS * self.scale)):
            area = self.pick(areas)
            candidates = [e for e in self.uncovered if e.union_id == area.pk] or self.uncovered
            persons.append(self._person(area, join=None, employer=self.pick(candidates)))

        # Transfers and leaves rewrite where the person is kept, before the bulk insert.
        transfers: dict[int, tuple[Union, dt.date]] = {}
        leaves: dict[int, dt.date] = {}
        retained: dict[int, dt.date] = {}
        old_joins = joins[: self.first_2015]
        for idx, u, day in rng.sample(old_joins, int(TRANSFERS_2015 * self.scale)):
            to = self.pick(new) if rng.random() < 0.6 else self.pick(old)
            if to.pk == u.pk:
                continue
            on = _day_between(rng, max(_founded(to), day + dt.timedelta(days=1), Y_START), Y_END)
            transfers[idx] = (to, on)
            persons[idx].union = to
            persons[idx].employer = employer_of(to)
        for idx, _u, day in rng.sample(old_joins, int(0.05 * len(old_joins))):
            if idx in transfers:
                continue
            if rng.random() < 0.4:
                retained[idx] = _day_between(rng, day + dt.timedelta(days=30), Y_END)
            else:
                leaves[idx] = _day_between(rng, day + dt.timedelta(days=30), Y_END)

        insert_objects(Person, persons)
        memberships: list[Membership] = []
        for idx, u, day in joins:
            m = Membership(
                person=persons[idx], union=u, started_on=day, start_reason=StartReason.JOINED
            )
            if idx in leaves:
                m.ended_on, m.end_reason = leaves[idx], EndReason.LEFT
            if idx in retained:
                m.retained_reason = self.pick(RetainedReason.values)
                m.retained_on = retained[idx]
            if idx in transfers:
                m.ended_on, m.end_reason = transfers[idx][1], EndReason.TRANSFERRED_OUT
            memberships.append(m)
        insert_objects(Membership, memberships)
        by_person = {m.person_id: m for m in memberships}
        follow_ups = [
            Membership(
                person=persons[idx],
                union=to,
                started_on=on,
                start_reason=StartReason.TRANSFERRED_IN,
                previous=by_person[persons[idx].pk],
            )
            for idx, (to, on) in transfers.items()
        ]
        insert_objects(Membership, follow_ups)
        self.members_2015 = [persons[i] for i, _u, _d in joins[self.first_2015 :]]
        # Each grassroots union's chair is one of its members (a part-time post).
        members_of: dict[int, list[tuple[Person, dt.date]]] = defaultdict(list)
        for idx, u, day in joins:
            if idx not in transfers and idx not in leaves:
                members_of[u.pk].append((persons[idx], day))
        chairs = []
        for u in grassroots:
            if members_of[u.pk]:
                person, day = min(members_of[u.pk], key=lambda pd: pd[1])
                chairs.append(
                    Cadre(
                        union=u,
                        person=person,
                        position=CadrePosition.CHAIR,
                        full_time=False,
                        appointed_on=max(day, _founded(u)),
                    )
                )
        insert_objects(Cadre, chairs)
        audit.record(
            actor=self.actor,
            obj=fed,
            action="demo.people",
            message=(
                f"演示数据：批量建立人员 {len(persons)} 人、"
                f"会籍 {len(memberships) + len(follow_ups)} 条"
            ),
        )

    # ------------------------------------------------------------------ staff
    def build_staff(self, fed: Union) -> None:
        """The federation's and streets' full-time staff, through the services."""
        s = self.streets
        posts = [
            # union, position, appointed, ended, recruited by exam
            (fed, CadrePosition.CHAIR, dt.date(2011, 3, 1), None, False),
            (fed, CadrePosition.VICE_CHAIR, dt.date(2013, 7, 1), None, False),
            (fed, CadrePosition.VICE_CHAIR, dt.date(2009, 5, 1), dt.date(YEAR, 6, 30), False),
            (fed, CadrePosition.FULL_TIME_WORKER, dt.date(2012, 9, 1), None, False),
            (fed, CadrePosition.FULL_TIME_WORKER, dt.date(2014, 8, 1), None, True),
            (fed, CadrePosition.FULL_TIME_WORKER, dt.date(YEAR, 8, 3), None, True),
            (s[0], CadrePosition.FULL_TIME_WORKER, dt.date(2013, 4, 1), None, False),
            (s[1], CadrePosition.FULL_TIME_WORKER, dt.date(2014, 4, 1), None, True),
            (s[2], CadrePosition.FULL_TIME_WORKER, dt.date(YEAR, 8, 3), None, True),
            (s[3], CadrePosition.FULL_TIME_WORKER, dt.date(YEAR, 8, 3), None, True),
            (s[4], CadrePosition.FULL_TIME_WORKER, dt.date(YEAR, 9, 1), None, True),
            (s[5], CadrePosition.FULL_TIME_WORKER, dt.date(2010, 3, 1), None, False),
            (s[6], CadrePosition.FULL_TIME_WORKER, dt.date(2012, 3, 1), None, False),
            (s[7], CadrePosition.FULL_TIME_WORKER, dt.date(YEAR + 1, 3, 1), None, True),
        ]
        self.staff: list[Person] = []
        for union, position, appointed, ended, exam in posts:
            person = self.service_person(union, joined=min(appointed, dt.date(2010, 1, 1)))
            cadre = org_services.cadre_appoint(
                actor=self.actor,
                union=union,
                person=person,
                position=position,
                appointed_on=appointed,
                full_time=True,
                recruited_by_exam=exam,
            )
            if ended:
                org_services.cadre_end(actor=self.actor, cadre=cadre, on=ended)
            self.staff.append(person)

    def service_person(self, union: Union, *, joined: dt.date) -> Person:
        ric, _region = self.ric(migrant=False, latest_birth_year=joined.year - 22)
        person = membership_services.person_create(
            actor=self.actor, union=union, name=self.name(), ric=ric, mobile=self.mobile()
        )
        membership_services.membership_join(actor=self.actor, person=person, union=union, on=joined)
        return person

    def build_logins(self, fed: Union) -> list[Login]:
        R = RoleGrant.Role
        s1, s2 = self.streets[0], self.streets[1]
        worker_person = next(
            p for p in self.members_2015 if p.union.path.startswith(s1.path) and p.mobile
        )
        accounts = [
            ("admin", "区总工会管理员", R.FEDERATION_ADMIN, fed, True, None),
            (
                f"cadre_{s1.code.split('-')[-1].lower()}",
                f"{s1.name[:2]}街道干部",
                R.UNION_CADRE,
                s1,
                False,
                None,
            ),
            (
                f"cadre_{s2.code.split('-')[-1].lower()}",
                f"{s2.name[:2]}街道干部",
                R.UNION_CADRE,
                s2,
                False,
                None,
            ),
            ("leader", "区领导", R.LEADER, fed, False, None),
            # A worker's account is named by its mobile number, as the portal's claim makes it
            # (membership.claim.portal_claim_finish): the portal's sign-in form turns the
            # number typed into that name, so an account named "worker" could not sign in there.
            (worker_person.mobile, worker_person.name, R.WORKER, None, False, worker_person),
        ]
        if prefix := self.district.login_prefix:
            # The city's other districts: their staff's logins carry the district's prefix;
            # their worker would repeat the first district's mobile number, so it has none.
            accounts = [(prefix + a[0], *a[1:]) for a in accounts if a[2] != R.WORKER]
        logins = [
            Login(role="系统管理员", username="sysadmin", password=DEMO_PASSWORD, scope="全部")
        ]
        for username, name, role, union, reveal, person in accounts:
            user_create(
                actor=self.actor,
                username=username,
                password=DEMO_PASSWORD,
                name=name,
                role=role,
                union=union,
                can_reveal_pii=reveal,
                person=person,
            )
            logins.append(
                Login(
                    role=str(R(role).label),
                    # What to type: the mobile number as people write it (13812345678).
                    username=username.removeprefix("+86"),
                    password=DEMO_PASSWORD,
                    scope=union.name if union else f"{worker_person.name}（网上职工之家）",
                )
            )
        return logins
