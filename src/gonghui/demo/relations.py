"""The demo district's labour relations, 2010-2016, with 2015 reproducing the seed report.

2015's figures come out of these records: 235 contracts signed in the year that renew an
expiring one (general contracts every three years, wage agreements yearly, women workers'
special contracts, and the joint unions' sector and area contracts), 18 district
demonstration sites designated, 3 A-level CSR ratings of the first round re-reviewed, 76
SMEs enrolled in CSR building, 4 tripartite meetings and 20 sampled enterprises collected on
site for the harmony index. Around them: the same kinds in 2014 and 2016 so that the rates
and the year-over-year changes are believable, the 2015 "百日要约" campaign whose offers bring
first contracts, offers and talks before each renewal, fulfilment checks of the contracts
that ended, and a few steps still open at the end of 2016 (offers awaiting an answer,
contracts signed but not yet filed, assessments not yet collected). On the demo's seed the
establishment rate is about 79% at the end of 2014, 73% at the end of 2015 (the 533
enterprises first covered in 2015 mostly have no contract yet) and 76% at the end of 2016;
coverage rises from about 70% to 76%; fulfilment stays above 80%.

Contracts, their enterprises, offers and rounds are written in bulk behind the invariants the
services hold (docs/decisions/0006): the statutory path's dates in order with each deadline
computed by ``relations.deadlines``, the workers' congress numbers within the quorum and the
majority, one contract of a kind in force per enterprise (each chain's terms follow one
another; PostgreSQL's exclusion constraint checks it as the rows go in), each contract renewed
once. Indicator sets, sites, ratings and meetings are few and go through the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gonghui.core import audit
from gonghui.organisation.models import Enterprise, JointKind, Union, UnionKind
from gonghui.relations import deadlines, harmony, services
from gonghui.relations.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    BargainingOffer,
    BargainingRound,
    CollectiveContract,
    ContractEnterprise,
    ContractKind,
    ContractLevel,
    ContractStatus,
    CsrParticipation,
    CsrRating,
    Fulfilment,
    OfferStatus,
)

YEAR = 2015
RENEWED_2015 = 235
FIRST = dt.date(2010, 1, 1)
LAST = dt.date(2016, 12, 31)  # no term starts later
ON_PLATFORM = dt.date(2014, 1, 1)  # offers are recorded for contracts signed from here on
DAY = dt.timedelta(days=1)
K = ContractKind
KIND_WORD = {
    K.GENERAL: "集体合同",
    K.WAGE: "工资专项集体合同",
    K.WOMEN: "女职工权益保护专项集体合同",
}
YEARS: dict[str, int] = {K.GENERAL: 3, K.WAGE: 1, K.WOMEN: 3}
# Shares of the grassroots unions founded before 2015 with a chain of each kind.
ENTERPRISE_SHARE = {K.GENERAL: 0.6, K.WAGE: 0.14, K.WOMEN: 0.16}
JOINT_SHARE = {K.GENERAL: 0.75, K.WAGE: 0.35}
# Unions founded in 2015 that signed a first contract soon after.
NEW_SHARE = {UnionKind.ENTERPRISE: (K.GENERAL, 0.4), UnionKind.JOINT: (K.WAGE, 0.5)}
INDICATORS = [
    ("A1", "劳动合同签订与履行", "15"),
    ("A2", "工资支付与增长", "15"),
    ("A3", "工作时间与休息休假", "10"),
    ("A4", "社会保险缴纳", "15"),
    ("A5", "劳动安全卫生", "10"),
    ("A6", "集体协商与集体合同", "15"),
    ("A7", "民主管理与厂务公开", "10"),
    ("A8", "劳动争议预防调处", "10"),
]


def build_relations(builder: Any, fed: Union) -> None:
    _Relations(builder, fed).build()


def _month_start(day: dt.date) -> dt.date:
    """``day`` if it is the first of a month, else the first of the next month."""
    if day.day == 1:
        return day
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _years_on(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class Chain:
    """Successive contracts of one kind that one union signs for the same enterprises."""

    union: Union
    firms: list[Enterprise]
    kind: str
    level: str
    employer: str
    start: dt.date
    earliest: dt.date
    terms: list[tuple[dt.date, dt.date]] = field(default_factory=list)

    def plan(self, start: dt.date, keep: int = 0) -> None:
        """Terms from ``start`` on (after the first ``keep``), each following the last."""
        self.terms = self.terms[:keep]
        while start <= LAST:
            end = _years_on(start, YEARS[self.kind]) - DAY
            self.terms.append((start, end))
            start = end + DAY


class _Relations:
    def __init__(self, builder: Any, fed: Union) -> None:
        self.b = builder
        self.rng = builder.rng
        self.fed = fed
        self.actor = builder.actor
        self.chains: list[Chain] = []

    # ------------------------------------------------------------------ helpers
    def between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def build(self) -> None:
        self.plan_chains()
        self.rephase_renewals()
        campaign_firms = self.campaign_targets()
        self.write_contracts(campaign_firms)
        self.build_assessments()
        self.build_sites_and_csr()
        self.build_meetings()

    # ------------------------------------------------------------------ contracts
    def plan_chains(self) -> None:
        rng = self.rng
        for union in self.b.unions:
            founded = union.founded_on
            firms = self.b.union_enterprises[union.pk]
            if founded is None or not firms:
                continue
            if union.kind == UnionKind.ENTERPRISE:
                shares, level, employer = ENTERPRISE_SHARE, ContractLevel.ENTERPRISE, ""
            else:
                shares = JOINT_SHARE
                level = (
                    ContractLevel.SECTOR
                    if union.joint_kind in (JointKind.TRADE, JointKind.PROJECT)
                    else ContractLevel.AREA
                )
                employer = f"{union.name.removesuffix('工会').removesuffix('联合会')}企业方协商代表"
            if founded.year >= YEAR:
                kind, share = NEW_SHARE[UnionKind(union.kind)]
                earliest = _month_start(founded + dt.timedelta(days=75))
                if rng.random() < share:
                    self.chain(union, firms, kind, level, employer, earliest, earliest)
                continue
            earliest = _month_start(
                max(founded + dt.timedelta(days=60), FIRST + dt.timedelta(days=rng.randint(0, 330)))
            )
            for kind, share in shares.items():
                if rng.random() >= share:
                    continue
                # Any phase of the term: as many renewals fall due each year.
                start = self.between(earliest, _years_on(earliest, YEARS[kind]) - DAY)
                self.chain(union, firms, kind, level, employer, _month_start(start), earliest)

    def chain(
        self,
        union: Union,
        firms: list[Enterprise],
        kind: str,
        level: str,
        employer: str,
        start: dt.date,
        earliest: dt.date,
    ) -> None:
        chain = Chain(union, firms, kind, level, employer, start, earliest)
        chain.plan(start)
        if chain.terms:
            self.chains.append(chain)

    @staticmethod
    def lead(term_start: dt.date) -> dt.timedelta:
        # Signed between 30 and 45 days before the term starts (fixed per start date, so
        # the same plan gives the same dates).
        return dt.timedelta(days=30 + term_start.toordinal() % 16)

    def renewals_signed_in(self, year: int) -> list[tuple[Chain, int]]:
        return [
            (chain, i)
            for chain in self.chains
            for i, (start, _end) in enumerate(chain.terms)
            if i > 0 and (start - self.lead(start)).year == year
        ]

    def rephase_renewals(self) -> None:
        """Exactly 235 renewals signed in 2015: some chains are re-planned so that none of
        their renewals falls in 2015 (a three-year chain a year earlier or later; a yearly
        wage agreement first signed in 2015 instead of earlier), each chain still unbroken."""
        count = len(self.renewals_signed_in(YEAR))
        assert count >= RENEWED_2015, f"the plan renews only {count} in 2015"  # noqa: S101
        candidates = [c for c, _i in self.renewals_signed_in(YEAR)]
        self.rng.shuffle(candidates)
        for chain in candidates:
            if count == RENEWED_2015:
                break
            before = list(chain.terms)
            if YEARS[K(chain.kind)] == 1:
                chain.plan(max(dt.date(YEAR, self.rng.randint(3, 12), 1), chain.earliest))
            else:
                earlier = _years_on(chain.start, -1)
                chain.plan(earlier if earlier >= chain.earliest else _years_on(chain.start, 1))
            now = len(self.renewals_signed_in(YEAR))
            if RENEWED_2015 <= now < count:
                count = now
            else:
                chain.terms = before
        assert count == RENEWED_2015, count  # noqa: S101

    def campaign_targets(self) -> list[tuple[Union, Enterprise]]:
        """Enterprise unions without a general contract: the 2015 campaign's first offers."""
        with_general = {c.union.pk for c in self.chains if c.kind == K.GENERAL}
        return [
            (u, self.b.union_enterprises[u.pk][0])
            for u in self.b.unions
            if u.kind == UnionKind.ENTERPRISE
            and u.pk not in with_general
            and u.founded_on is not None
            and u.founded_on < dt.date(YEAR, 1, 1)
        ]

    def write_contracts(self, campaign_firms: list[tuple[Union, Enterprise]]) -> None:
        rng = self.rng
        contracts: list[CollectiveContract] = []
        covered: list[tuple[int, Enterprise]] = []  # (contract index, enterprise)
        offers: list[tuple[int | None, int | None, BargainingOffer]] = []  # renews, makes
        renews: list[tuple[int, int]] = []  # (contract index, renewed contract index)

        def title(chain: Chain, start: dt.date, end: dt.date) -> str:
            who = (
                chain.firms[0].name if chain.level == ContractLevel.ENTERPRISE else chain.union.name
            )
            level = {str(ContractLevel.SECTOR): "行业性", str(ContractLevel.AREA): "区域性"}.get(
                chain.level, ""
            )
            years = f"{start.year}年度" if chain.kind == K.WAGE else f"{start.year}—{end.year}年"
            return f"{who}{years}{level}{KIND_WORD[K(chain.kind)]}"

        def contract(chain: Chain, start: dt.date, end: dt.date) -> int:
            signed = start - self.lead(start)
            voted = signed - dt.timedelta(days=rng.randint(2, 9))
            filed = signed + dt.timedelta(days=rng.randint(1, 8))
            delegates = max(9, min(120, sum(f.workforce for f in chain.firms) // 8))
            present = delegates - rng.randint(0, delegates // 4)
            votes = present - rng.randint(0, present // 5)
            published = start + dt.timedelta(days=rng.randint(1, 12))
            c = CollectiveContract(
                union=chain.union,
                kind=chain.kind,
                level=chain.level,
                title=title(chain, start, end),
                employer_party=chain.employer or chain.firms[0].name,
                status=ContractStatus.PUBLISHED,
                starts_on=start,
                expires_on=end,
                voted_on=voted,
                delegates=delegates,
                delegates_present=present,
                votes_for=votes,
                signed_on=signed,
                filing_due_on=deadlines.filing_due(signed),
                filed_on=filed,
                objection_ends_on=deadlines.objection_ends(filed),
                effective_on=start,
                publish_due_on=deadlines.publish_due(start),
                published_on=published,
            )
            # The yearly fulfilment check visits a contract in its last months.
            checked = end - dt.timedelta(days=rng.randint(5, 60))
            if checked <= LAST and checked > start and rng.random() < 0.93:
                c.checked_on = checked
                c.fulfilment = rng.choices(
                    [Fulfilment.FULFILLED, Fulfilment.PARTLY, Fulfilment.NOT_FULFILLED],
                    weights=(88, 9, 3),
                )[0]
            contracts.append(c)
            index = len(contracts) - 1
            covered.extend((index, firm) for firm in chain.firms)
            return index

        def offer(
            union: Union,
            firm: Enterprise | None,
            employer: str,
            kind: str,
            level: str,
            offered: dt.date,
            until: dt.date | None,
            renewed: int | None,
            made: int | None,
            status: str = OfferStatus.AGREED,
        ) -> None:
            received = offered + dt.timedelta(days=rng.randint(0, 2))
            o = BargainingOffer(
                union=union,
                enterprise=firm,
                employer_party=employer,
                kind=kind,
                level=level,
                offered_on=offered,
                received_on=received,
                answer_due_on=deadlines.answer_due(received),
                status=status,
            )
            if status != OfferStatus.SENT:
                o.answered_on = received + dt.timedelta(days=rng.randint(3, 16))
                o.answer = (
                    "同意协商，请于规定期限内确定协商时间"
                    if status != OfferStatus.REFUSED
                    else "企业经营困难，暂不开展协商"
                )
            if status in (OfferStatus.ANSWERED, OfferStatus.IN_TALKS, OfferStatus.AGREED):
                assert o.answered_on is not None  # noqa: S101
                o.talks_due_on = deadlines.talks_due(o.answered_on)
            if status == OfferStatus.AGREED:
                assert until is not None  # noqa: S101
                assert o.answered_on is not None  # noqa: S101
                o.agreed_on = max(o.answered_on, until - dt.timedelta(days=rng.randint(3, 8)))
            offers.append((renewed, made, o))

        last_of: dict[int, int] = {}  # id(chain) -> its last contract's index
        for chain in self.chains:
            previous: int | None = None
            single = chain.firms[0] if chain.level == ContractLevel.ENTERPRISE else None
            for start, end in chain.terms:
                index = contract(chain, start, end)
                if previous is not None:
                    renews.append((index, previous))
                signed = contracts[index].signed_on
                assert signed is not None  # noqa: S101
                if signed >= ON_PLATFORM:
                    offered = signed - dt.timedelta(days=rng.randint(40, 60))
                    offer(
                        chain.union,
                        single,
                        contracts[index].employer_party,
                        chain.kind,
                        chain.level,
                        offered,
                        signed - DAY,
                        previous,
                        index,
                    )
                previous = index
            if previous is not None:
                last_of[id(chain)] = previous
            # The renewal of a term ending early in 2017 is under way at the end of 2016.
            last_end = chain.terms[-1][1]
            if (
                dt.date(YEAR + 2, 1, 1) <= last_end <= dt.date(YEAR + 2, 2, 28)
                and previous is not None
            ):
                status = rng.choice([OfferStatus.SENT, OfferStatus.ANSWERED, OfferStatus.IN_TALKS])
                offered = self.between(dt.date(YEAR + 1, 11, 1), dt.date(YEAR + 1, 12, 10))
                offer(
                    chain.union,
                    single,
                    contracts[previous].employer_party,
                    chain.kind,
                    chain.level,
                    offered,
                    None,
                    previous,
                    None,
                    status,
                )

        # The 2015 "百日要约" campaign's first offers to enterprises without a contract.
        campaign = services.campaign_create(
            actor=self.actor,
            union=self.fed,
            name="2015年工资集体协商“百日要约”行动",
            starts_on=dt.date(YEAR, 3, 1),
            ends_on=dt.date(YEAR, 6, 8),
            target=120,
        )
        firsts = rng.sample(campaign_firms, min(90, len(campaign_firms)))
        for n, (union, firm) in enumerate(firsts):
            offered = self.between(campaign.starts_on, campaign.ends_on)
            if n < 60:  # agreed: a first general contract (not a renewal)
                start = (offered + dt.timedelta(days=rng.randint(90, 150))).replace(day=1)
                chain = Chain(union, [firm], K.GENERAL, ContractLevel.ENTERPRISE, "", start, start)
                chain.plan(start)
                index = contract(chain, *chain.terms[0])
                signed = contracts[index].signed_on
                assert signed is not None  # noqa: S101
                offer(
                    union,
                    firm,
                    firm.name,
                    K.GENERAL,
                    ContractLevel.ENTERPRISE,
                    min(offered, signed - dt.timedelta(days=40)),
                    signed - DAY,
                    None,
                    index,
                )
            else:
                status = [OfferStatus.REFUSED, OfferStatus.SENT, OfferStatus.IN_TALKS][n % 3]
                offer(
                    union,
                    firm,
                    firm.name,
                    K.GENERAL,
                    ContractLevel.ENTERPRISE,
                    offered,
                    None,
                    None,
                    None,
                    status,
                )

        # Renewals signed at the end of 2016 but not yet filed.
        start, end = dt.date(YEAR + 2, 1, 1), dt.date(YEAR + 2, 12, 31)
        ending = [c for c in self.chains if c.kind == K.WAGE and c.terms[-1][1] == start - DAY]
        for chain in rng.sample(ending, min(4, len(ending))):
            index = contract(chain, start, end)
            c = contracts[index]
            c.signed_on = dt.date(YEAR + 1, 12, rng.randint(12, 20))
            c.voted_on = c.signed_on - dt.timedelta(days=3)
            c.filing_due_on = deadlines.filing_due(c.signed_on)
            c.status = ContractStatus.SIGNED
            c.filed_on = c.objection_ends_on = c.effective_on = None
            c.publish_due_on = c.published_on = c.checked_on = None
            c.fulfilment = ""
            renews.append((index, last_of[id(chain)]))

        made = CollectiveContract.objects.bulk_create(contracts, batch_size=2000)
        for index, renewed_index in renews:
            made[index].renews = made[renewed_index]
        CollectiveContract.objects.bulk_update(
            [made[i] for i, _r in renews], ["renews"], batch_size=2000
        )
        rows = []
        for index, firm in covered:
            c = made[index]
            took_effect = c.status == ContractStatus.PUBLISHED
            rows.append(
                ContractEnterprise(
                    contract=c,
                    enterprise=firm,
                    kind=c.kind,
                    workers_covered=firm.workforce,
                    in_force_from=c.effective_on if took_effect else None,
                    in_force_until=c.expires_on if took_effect else None,
                )
            )
        ContractEnterprise.objects.bulk_create(rows, batch_size=5000)
        for renews_index, made_index, o in offers:
            o.renews = made[renews_index] if renews_index is not None else None
            o.contract = made[made_index] if made_index is not None else None
        made_offers = BargainingOffer.objects.bulk_create(
            [o for _r, _m, o in offers], batch_size=2000
        )
        rounds: list[BargainingRound] = []
        for o in made_offers:
            if o.status not in (OfferStatus.IN_TALKS, OfferStatus.AGREED):
                continue
            assert o.answered_on is not None  # noqa: S101
            last = max(o.agreed_on or (o.answered_on + dt.timedelta(days=30)), o.answered_on + DAY)
            days = sorted(self.between(o.answered_on + DAY, last) for _ in range(rng.randint(1, 3)))
            rounds.extend(
                BargainingRound(offer=o, number=n, held_on=day, summary=f"第{n}轮协商")
                for n, day in enumerate(days, start=1)
            )
        BargainingRound.objects.bulk_create(rounds, batch_size=5000)
        audit.record(
            actor=self.actor,
            obj=self.fed,
            action="demo.contracts",
            message=(
                f"演示数据：批量登记集体合同 {len(made)} 份（覆盖企业 {len(rows)} 家次）、"
                f"集体协商要约 {len(made_offers)} 份、协商 {len(rounds)} 轮"
            ),
        )

    # ------------------------------------------------------------------ the harmony index
    def build_assessments(self) -> None:
        rng = self.rng
        candidates = [
            self.b.union_enterprises[u.pk][0]
            for u in self.b.unions
            if u.kind == UnionKind.ENTERPRISE and u.founded_on and u.founded_on.year < YEAR - 1
        ]
        pool = rng.sample(candidates, 40)
        base = {e.pk: rng.randint(7200, 9200) / 100 for e in pool}
        samples = {2014: pool[:18], 2015: pool[8:28], 2016: pool[18:38]}
        sets = {}
        for year in (2014, 2015, 2016):
            weights = [w for _c, _n, w in INDICATORS]
            if year == 2016:  # the federation moved five points to collective bargaining
                weights = ["15", "15", "10", "15", "5", "20", "10", "10"]
            sets[year] = services.indicator_set_save(
                actor=self.actor,
                federation=self.fed,
                year=year,
                name=f"{year}年度和谐劳动关系指数测评指标体系",
                aggregation="workforce" if year >= 2015 else "mean",
                indicators=[
                    {"code": c, "name": n, "weight": w, "order": i + 1}
                    for i, ((c, n, _w), w) in enumerate(zip(INDICATORS, weights, strict=True))
                ],
            )
        assessments: list[Assessment] = []
        scores: list[tuple[int, list[tuple[Any, Any]]]] = []
        for year, firms in samples.items():
            indicators = list(sets[year].indicators.all())
            for n, firm in enumerate(firms):
                sampled = dt.date(year, 3, 2) + dt.timedelta(days=rng.randint(0, 20))
                reported = sampled + dt.timedelta(days=rng.randint(20, 40))
                collected = reported + dt.timedelta(days=rng.randint(15, 60))
                scored = collected + dt.timedelta(days=rng.randint(5, 20))
                a = Assessment(
                    union=firm.union,
                    indicator_set=sets[year],
                    enterprise=firm,
                    sampled_on=sampled,
                )
                # 2016: most scored, some still waiting for the report or the collection.
                stage = 3 if year < 2016 or n < 12 else (2 if n < 16 else (1 if n < 18 else 0))
                if stage >= 1:
                    a.reported_on, a.status = reported, AssessmentStatus.REPORTED
                if stage >= 2:
                    a.collected_on, a.status = collected, AssessmentStatus.COLLECTED
                if stage >= 3:
                    trend = (year - 2014) * rng.randint(50, 250) / 100
                    marks = []
                    for ind in indicators:
                        value = base[firm.pk] + trend + rng.randint(-600, 600) / 100
                        clipped = min(max(Decimal(str(value)), Decimal(0)), harmony.HUNDRED)
                        marks.append((ind, harmony.rounded(clipped)))
                    a.index = harmony.enterprise_index((i.weight, s) for i, s in marks)
                    a.scored_on, a.status = scored, AssessmentStatus.SCORED
                    scores.append((len(assessments), marks))
                assessments.append(a)
        made = Assessment.objects.bulk_create(assessments)
        AssessmentScore.objects.bulk_create(
            AssessmentScore(assessment=made[i], indicator=ind, score=s)
            for i, marks in scores
            for ind, s in marks
        )
        audit.record(
            actor=self.actor,
            obj=self.fed,
            action="demo.assessments",
            message=f"演示数据：批量登记和谐劳动关系指数测评 {len(made)} 家次",
        )

    # ------------------------------------------------------------------ sites and CSR
    def build_sites_and_csr(self) -> None:
        rng = self.rng
        actor = self.actor
        firms = [
            self.b.union_enterprises[u.pk][0]
            for u in self.b.unions
            if u.kind == UnionKind.ENTERPRISE and u.founded_on and u.founded_on.year < YEAR - 1
        ]
        picked = rng.sample(firms, 80)
        sites = {
            2014: (picked[:12], "district"),
            2015: (picked[12:30], "district"),
            2016: (picked[30:45], "district"),
        }
        designated = []
        for year, (group, level) in sites.items():
            day = dt.date(year, 11, 26)
            for firm in group:
                designated.append(
                    services.demo_site_designate(
                        actor=actor, enterprise=firm, level=level, designated_on=day
                    )
                )
        for firm, level, day in [
            (picked[0], "city", dt.date(2014, 12, 18)),
            (picked[1], "city", dt.date(2014, 12, 18)),
            (picked[12], "city", dt.date(2016, 12, 16)),
            (picked[2], "province", dt.date(2016, 12, 28)),
        ]:
            services.demo_site_designate(
                actor=actor, enterprise=firm, level=level, designated_on=day
            )
        services.demo_site_withdraw(
            actor=actor,
            site=designated[5],
            on=dt.date(2016, 8, 10),
            reason="企业发生群体性劳动争议，复查不合格",
        )
        # CSR building: the first round (2012) of larger enterprises, rated A/B/C.
        first_round = picked[45:70]
        first_ratings: list[CsrRating] = []
        for n, firm in enumerate(first_round):
            services.csr_join(
                actor=actor, enterprise=firm, joined_on=dt.date(2012, 3, 15), sme=False
            )
            level = "A" if n < 6 else ("B" if n < 17 else "C")
            first_ratings.append(
                services.csr_rate(
                    actor=actor, enterprise=firm, level=level, rated_on=dt.date(2012, 11, 20)
                )
            )
        # The A-level enterprises re-reviewed: three in 2015, three in 2016.
        for n, rating in enumerate(first_ratings[:6]):
            day = dt.date(2015, 10, 20) if n < 3 else dt.date(2016, 10, 18)
            services.csr_rate(
                actor=actor,
                enterprise=rating.enterprise,
                level="A" if n != 4 else "B",
                rated_on=day,
                reviews=rating,
            )
        # SMEs enrolling: 40 in 2014, 76 in 2015, 60 in 2016 (small enterprises of the joint
        # unions), and a few above-scale enterprises that no SME figure counts.
        joint_firms = [
            e
            for u in self.b.unions
            if u.kind == UnionKind.JOINT
            for e in self.b.union_enterprises[u.pk]
            if not e.above_scale
        ]
        smes = rng.sample(joint_firms, 40 + 76 + 60)
        enrolled = [
            CsrParticipation(
                union=firm.union,
                enterprise=firm,
                joined_on=self.between(dt.date(year, 3, 1), dt.date(year, 11, 30)),
                sme=True,
            )
            for year, group in ((2014, smes[:40]), (2015, smes[40:116]), (2016, smes[116:]))
            for firm in group
        ]
        CsrParticipation.objects.bulk_create(enrolled)
        audit.record(
            actor=actor,
            obj=self.fed,
            action="demo.csr",
            message=f"演示数据：批量登记参与企业社会责任建设的中小企业 {len(enrolled)} 家",
        )
        for firm in picked[70:74]:
            services.csr_join(
                actor=actor, enterprise=firm, joined_on=dt.date(YEAR, 6, 1), sme=False
            )

    def build_meetings(self) -> None:
        topics = [
            "研究部署年度和谐劳动关系指数测评工作",
            "通报工资集体协商“百日要约”行动进展",
            "分析企业用工和劳动争议形势",
            "总结年度协调劳动关系工作，部署下一年度重点",
        ]
        for year in (2014, 2015, 2016):
            for q in range(4):
                services.meeting_record(
                    actor=self.actor,
                    union=self.fed,
                    held_on=dt.date(year, 3 * q + 3, 20 - q),
                    title=f"{year}年第{'一二三四'[q]}季度协调劳动关系三方会议",
                    bureau_participants="区人力资源和社会保障局副局长、劳动关系科科长",
                    union_participants="区总工会常务副主席、权益保障部部长",
                    employer_participants="区企业联合会（企业家协会）秘书长、工商联副主席",
                    topics=topics[q],
                    minutes=f"会议听取了{topics[q][2:]}情况汇报，三方就有关事项形成一致意见。",
                )
