"""The demo district's 2015 hardship files, aid and Spring Breeze campaign.

Every assistance figure of the 2015 report comes out of these records:

* 90 hardship files (filed 2011–2015, reviewed yearly); 12 leave the file during 2015, so
  78 families are on file on 31 December;
* festival condolence before Spring Festival: 112 enterprise visits, 7,662 persons (front-line
  workers, hardship workers and every model worker — about 310) and 111 families, over
  1,000,000 yuan;
* summer cooling for 75 outdoor workers' households (57,700.00 yuan), dialysis aid (8 persons,
  27,500.00), the enterprise-funded medical aid (8, 128,700.00), accident subsidies
  (2, 2,000.00), education aid (65 students, 258,000.00 — one mistaken payment reversed and
  paid again), medical mutual aid (244 members, 399,000.00), 35 free two-cancer screenings
  for women on the file;
* the Spring Breeze Action: about 3,400 donations from units and persons (over 11,549,300.00
  yuan), each with a numbered receipt, and the 10 largest unit donors commended.

The small programmes go through the services (propose, approve by a second person, pay).
The festival condolences to 7,662 persons and the donations are written in bulk behind the
same invariants (positive amounts, four eyes, one per person per programme and period, the
programme's committed and paid equal to its disbursements, gapless receipt numbers), each
bulk phase leaving one audit entry (docs/decisions/0006).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum
from django.utils import timezone

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.assistance import services as aid
from gonghui.assistance.models import (
    CAUSES,
    Campaign,
    CondolenceVisit,
    Disbursement,
    DisbursementState,
    Donation,
    DonorKind,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    LeaveReason,
    PaymentMethod,
    Programme,
    ProgrammeKind,
    RecipientKind,
    Relation,
    ReviewOutcome,
)
from gonghui.core import audit
from gonghui.core.scope import SYSTEM
from gonghui.membership.models import Gender, Person
from gonghui.organisation.models import Enterprise, Union

YEAR = 2015
K = ProgrammeKind
D = Decimal

FILES_BEFORE = 72  # filed 2011–2014
FILES_2015 = 18
LEAVING_2015 = 12  # → 78 on file at the year's end
FEMALE_HEADS = 40
FESTIVAL_PERSONS = 7662
FESTIVAL_FAMILIES = 111
VISITS = 112


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())


def _split(rng: Any, total: int, n: int, *, low: int, step: int) -> list[int]:
    """``n`` amounts (multiples of ``step``, at least ``low``) that add up to ``total``."""
    units = (total - n * low) // step
    if units < 0 or (total - n * low) % step:
        raise ValueError(f"cannot split {total} into {n} amounts of at least {low}")
    weights = [rng.uniform(0.3, 2.0) for _ in range(n)]
    extra = Counter(rng.choices(range(n), weights=weights, k=units))
    return [low + extra[i] * step for i in range(n)]


class AssistanceDemo:
    def __init__(self, builder: Any, fed: Union) -> None:
        self.b = builder
        self.rng = builder.rng
        self.fed = fed
        self.planned: list[Disbursement] = []
        self.clerk = user_create(
            actor=builder.actor,
            username=f"{builder.district.login_prefix}aid_clerk",
            password=None,
            name="帮扶中心经办人",
            role=RoleGrant.Role.FEDERATION_ADMIN,
            union=fed,
        )
        self.head = user_create(
            actor=builder.actor,
            username=f"{builder.district.login_prefix}aid_head",
            password=None,
            name="帮扶中心主任",
            role=RoleGrant.Role.FEDERATION_ADMIN,
            union=fed,
        )
        rows = list(
            Person.objects.filter(union__path__startswith=fed.path)
            .order_by("pk")
            .values_list("pk", "gender", "migrant", "union_id")
        )
        self.all_ids = [r[0] for r in rows]
        self.gender = {r[0]: r[1] for r in rows}
        self.migrant = {r[0]: r[2] for r in rows}
        self.union_of = {r[0]: r[3] for r in rows}
        self.members = [p.pk for p in builder.members_2015]
        self.street_of: dict[int, Union] = {}
        for street in builder.streets:
            for u in Union.objects.filter(path__startswith=street.path).only("pk"):
                self.street_of[u.pk] = street

    # ------------------------------------------------------------------ helpers
    def persons(self, ids: list[int]) -> list[Person]:
        found = Person.objects.select_related("union").in_bulk(ids)
        return [found[i] for i in ids]

    def sample(self, pool: list[int], k: int, *, avoid: Iterable[int] = ()) -> list[int]:
        skip = set(avoid)
        candidates = [p for p in pool if p not in skip and p in self.street_pool]
        return self.rng.sample(candidates, min(k, len(candidates)))

    def programme(self, name: str, kind: str, budget: str, **kw: Any) -> Programme:
        return aid.programme_create(
            actor=self.clerk,
            union=self.fed,
            name=name,
            kind=kind,
            year=YEAR,
            budget=D(budget),
            **kw,
        )

    def flow(
        self,
        programme: Programme,
        person: Person,
        amount: Decimal,
        reason: str,
        day: dt.date,
        *,
        period: str | None = None,
        method: str = PaymentMethod.BANK,
        medical_details: str = "",
    ) -> None:
        """Plan a disbursement proposed by the clerk, approved by the head and paid on
        ``day``; :meth:`flush` writes a programme's plan in bulk."""
        family = None
        if programme.recipient_kind == RecipientKind.HOUSEHOLD or programme.requires_hardship_file:
            family = self.file_of_head.get(person.pk)
        self.planned.append(
            Disbursement(
                union_id=person.union_id,
                programme=programme,
                period=period or str(YEAR),
                person_id=person.pk,
                family=family,
                amount=amount,
                method=method,
                reason=reason,
                medical_details=medical_details,
                state=DisbursementState.PAID,
                proposed_by=self.clerk,
                proposed_at=_at(day - dt.timedelta(days=6), 9),
                approved_by=self.head,
                approved_at=_at(day - dt.timedelta(days=3), 15),
                paid_by=self.head,
                paid_at=_at(day, 11),
                paid_on=day,
            )
        )

    def flush(self, programme: Programme) -> None:
        rows, self.planned = self.planned, []
        Disbursement.objects.bulk_create(rows, batch_size=5000)
        total = sum((r.amount for r in rows), D(0))
        Programme.objects.filter(pk=programme.pk).update(
            committed=F("committed") + total, paid=F("paid") + total
        )
        audit.record(
            actor=self.b.actor,
            obj=programme,
            action="demo.disbursements",
            message=f"演示数据：批量登记已发放 {len(rows)} 笔，合计 {total} 元",
        )

    def service_flow(
        self, programme: Programme, person: Person, amount: Decimal, reason: str, day: dt.date
    ) -> Disbursement:
        """Propose (the clerk), approve (the head) and pay, through the services."""
        d = aid.disbursement_propose(
            actor=self.clerk,
            programme=programme,
            person=person,
            amount=amount,
            reason=reason,
            at=_at(day - dt.timedelta(days=6), 9),
        )
        aid.disbursement_approve(
            actor=self.head, disbursement=d, at=_at(day - dt.timedelta(days=3), 15)
        )
        return aid.disbursement_pay(actor=self.head, disbursement=d, paid_on=day, at=_at(day, 11))

    def day(self, first: tuple[int, int], last: tuple[int, int]) -> dt.date:
        a, z = dt.date(YEAR, *first), dt.date(YEAR, *last)
        return a + dt.timedelta(days=self.rng.randint(0, (z - a).days))

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        # Street-level people only: the federation's own staff are not aid recipients.
        self.street_pool = {p for p in self.all_ids if self.union_of[p] in self.street_of}
        self.hardship_files()
        self.small_programmes()
        self.festival()
        self.spring_breeze()
        self.open_this_year()

    def open_this_year(self) -> None:
        """This year's programmes taking online applications, so the demo's workers find aid
        to apply for today (the 2015 programmes closed with their year); nothing is paid from
        them yet, so no figure of 2015 moves."""
        year = timezone.localdate().year
        for name, kind, budget, members_only in [
            (f"{year}年春风助学", K.EDUCATION, "300000.00", False),
            (f"{year}年职工医疗互助", K.MUTUAL_AID, "450000.00", True),
        ]:
            aid.programme_create(
                actor=self.clerk,
                union=self.fed,
                name=name,
                kind=kind,
                year=year,
                budget=D(budget),
                max_amount=D("5000.00"),
                portal_open=True,
                requires_member=members_only,
                eligibility="困难职工家庭及外来务工人员家庭；网上申请后由所在工会核实",
            )

    def hardship_files(self) -> None:
        rng = self.rng
        women = [p for p in self.all_ids if self.gender[p] == Gender.FEMALE]
        men = [p for p in self.all_ids if self.gender[p] == Gender.MALE]
        n = FILES_BEFORE + FILES_2015
        heads = self.sample(women, FEMALE_HEADS) + self.sample(men, n - FEMALE_HEADS)
        rng.shuffle(heads)
        causes = [
            ["cause_illness"],
            ["cause_illness", "cause_education"],
            ["cause_disability"],
            ["cause_unemployment"],
            ["cause_education"],
            ["cause_accident"],
            ["cause_unemployment", "cause_illness"],
        ]
        situations = {
            "cause_illness": "户主患慢性病长期服药，医疗支出大",
            "cause_disability": "家庭成员肢体残疾，无劳动能力",
            "cause_unemployment": "配偶下岗失业，家庭收入来源单一",
            "cause_education": "子女就读大学，学费生活费负担重",
            "cause_accident": "户主工伤后无法从事原岗位工作",
        }
        files: list[HardshipFile] = []
        members: list[tuple[int, HouseholdMember]] = []
        reviews: list[tuple[int, HardshipReview]] = []
        leaving = set(rng.sample(range(FILES_BEFORE), LEAVING_2015))
        threshold = D("872.00")
        for i, head in enumerate(self.persons(heads)):
            street = self.street_of[head.union_id]
            filed = (
                dt.date(rng.randint(2011, 2014), rng.randint(1, 12), rng.randint(1, 28))
                if i < FILES_BEFORE
                else self.day((1, 10), (11, 30))
            )
            chosen = rng.choice(causes)
            size = rng.randint(2, 5)
            income = D(rng.randrange(300, 820, 10))
            file = HardshipFile(
                union=street,
                head=head,
                filed_on=filed,
                household_size=size,
                income_per_head=income,
                threshold=threshold,
                situation="；".join(situations[c] for c in chosen),
                address=(
                    f"{self.b.district.place}{street.name[:2]}街道"
                    f"{rng.randint(1, 30)}幢{rng.randint(1, 6)}单元"
                ),
                review_due_on=aid.one_year_after(filed),
                created_by=self.clerk,
                **{name: name in chosen for name, _label in CAUSES},
            )
            relations = [Relation.SPOUSE] + [Relation.CHILD] * (size - 2)
            for relation in relations[: size - 1]:
                child = relation == Relation.CHILD
                members.append(
                    (
                        i,
                        HouseholdMember(
                            name=self.b.name(),
                            relation=relation,
                            birth_year=rng.randint(1996, 2012)
                            if child
                            else rng.randint(1960, 1985),
                            situation="在读" if child else "灵活就业",
                        ),
                    )
                )
            # The yearly reviews up to 2015: most stay, twelve leave in 2015 (dynamic
            # management), and a few wait for their 2015 review (overdue in the list).
            while i < FILES_BEFORE and file.review_due_on.year <= YEAR:
                on = file.review_due_on
                last = on.year == YEAR
                if last and i not in leaving and rng.random() >= 0.9:
                    break
                keep = not (last and i in leaving)
                if not keep:
                    reason = rng.choice(
                        [LeaveReason.INCOME_RAISED, LeaveReason.RE_EMPLOYED, LeaveReason.MOVED_AWAY]
                    )
                    on = min(on, dt.date(YEAR, 12, 20))
                    file.income_per_head = D(rng.randrange(900, 1500, 10))
                    file.left_on, file.left_reason = on, reason
                    file.left_note = str(LeaveReason(reason).label)
                review = HardshipReview(
                    reviewed_on=on,
                    income_per_head=file.income_per_head,
                    threshold=threshold,
                    outcome=ReviewOutcome.KEEP if keep else ReviewOutcome.LEAVE,
                    note="复核后继续在档" if keep else file.left_note,
                    reviewed_by=self.clerk,
                )
                reviews.append((i, review))
                file.last_reviewed_on = on
                file.review_due_on = aid.one_year_after(on)
                if not keep:
                    break
            files.append(file)
        HardshipFile.objects.bulk_create(files)
        for i, member in members:
            member.file = files[i]
        HouseholdMember.objects.bulk_create([m for _i, m in members])
        for i, review in reviews:
            review.file = files[i]
        HardshipReview.objects.bulk_create([r for _i, r in reviews])
        audit.record(
            actor=self.b.actor,
            obj=self.fed,
            action="demo.hardship",
            message=(
                f"演示数据：批量建立困难职工档案 {len(files)} 户、家庭成员 {len(members)} 人、"
                f"年度复核 {len(reviews)} 次"
            ),
        )
        self.files = files
        self.files_of_year = [f for f in files if f.left_on is None or f.left_on.year == YEAR]
        self.file_of_head = {f.head_id: f for f in self.files_of_year}

    def small_programmes(self) -> None:
        rng = self.rng
        taken: set[int] = {f.head_id for f in self.files}

        # Summer cooling: 75 outdoor workers' households, 57,700.00 yuan.
        cooling = self.programme(
            "2015年高温送清凉",
            K.SUMMER_COOLING,
            "60000.00",
            recipient_kind=RecipientKind.HOUSEHOLD,
            max_amount=D("1000.00"),
            eligibility="环卫、建筑、快递等户外作业一线职工家庭",
        )
        amounts = [D(500)] * 31 + [D(800)] * 9 + [D(1000)] * 35
        ids = self.sample(self.members, len(amounts), avoid=taken)
        taken.update(ids)
        for person, amount in zip(self.persons(ids), amounts, strict=False):
            self.flow(
                cooling,
                person,
                amount,
                "高温季节慰问户外作业职工家庭",
                self.day((7, 10), (8, 20)),
                period="2015-夏季",
                method=PaymentMethod.CASH,
            )

        self.flush(cooling)

        # Dialysis: 8 persons, 27,500.00 yuan.
        dialysis = self.programme(
            "2015年爱心透析救助",
            K.DIALYSIS,
            "40000.00",
            max_amount=D("5000.00"),
            eligibility="患尿毒症需长期血液透析的困难职工",
        )
        ids = self.sample(self.members, 8, avoid=taken)
        taken.update(ids)
        for person, amount in zip(self.persons(ids), [D(3500)] * 7 + [D(3000)], strict=False):
            self.flow(
                dialysis,
                person,
                amount,
                "爱心透析特殊疾病救助",
                self.day((4, 1), (10, 31)),
                medical_details="慢性肾衰竭（尿毒症期），每周血液透析 3 次",
            )

        self.flush(dialysis)

        # The enterprise-funded medical aid: 8 persons, 128,700.00 yuan.
        corporate = self.programme(
            "2015年阿里巴巴助医",
            K.CORPORATE_MEDICAL,
            "150000.00",
            max_amount=D("20000.00"),
            funder="阿里巴巴公益",
            eligibility="因重大疾病致困的职工，由出资企业定向资助",
        )
        grants = ["20000", "18000", "16500", "15000", "16000", "14200", "15000", "14000"]
        illnesses = ["白血病化疗", "乳腺癌术后放疗", "肝癌介入治疗", "脑出血术后康复"]
        ids = self.sample(self.members, 8, avoid=taken)
        taken.update(ids)
        for person, grant in zip(self.persons(ids), grants, strict=False):
            self.flow(
                corporate,
                person,
                D(grant),
                "重大疾病助医",
                self.day((5, 1), (11, 30)),
                medical_details=rng.choice(illnesses),
            )

        self.flush(corporate)

        # Accident injury subsidies: 2 × 1,000.00 yuan.
        accident = self.programme(
            "2015年职工意外伤害补助", K.ACCIDENT, "10000.00", max_amount=D("1000.00")
        )
        ids = self.sample(self.members, 2, avoid=taken)
        taken.update(ids)
        for person in self.persons(ids):
            self.flow(accident, person, D(1000), "工作中意外受伤补助", self.day((3, 1), (11, 30)))

        self.flush(accident)

        # Education aid: 65 students, 258,000.00 yuan; university students of migrant
        # families included. One payment of 5,000.00 instead of 4,000.00 is reversed and paid
        # again, so the year shows the correction and the figure stays exact.
        education = self.programme(
            "2015年春风助学",
            K.EDUCATION,
            "300000.00",
            max_amount=D("5000.00"),
            portal_open=True,
            eligibility="困难职工家庭及外来务工人员家庭就读高中、大学的子女",
        )
        migrants = [p for p in self.members if self.migrant[p]]
        ids = self.sample(migrants, 20, avoid=taken)
        taken.update(ids)
        ids += self.sample(self.members, 45, avoid=taken)
        taken.update(ids)
        amounts = [D(5000)] * 20 + [D(4000)] * 23 + [D(3000)] * 22
        reasons = (
            ["资助外来务工人员家庭子女就读大学"] * 20
            + ["资助困难职工子女就读大学"] * 23
            + ["资助困难职工子女就读高中"] * 22
        )
        for i, (person, amount) in enumerate(zip(self.persons(ids), amounts, strict=False)):
            day = self.day((8, 15), (9, 10))
            if i == 20:  # the mistaken payment
                wrong = self.service_flow(education, person, D(5000), reasons[i], day)
                aid.disbursement_reverse(
                    actor=self.head,
                    disbursement=wrong,
                    reason="金额录入错误（应为 4000 元），冲正后重新发放",
                    on=day + dt.timedelta(days=2),
                )
                day += dt.timedelta(days=9)
                self.service_flow(education, person, amount, reasons[i], day)
                continue
            self.flow(education, person, amount, reasons[i], day)

        self.flush(education)

        # Medical mutual aid: 244 members, 399,000.00 yuan.
        mutual = self.programme(
            "2015年职工医疗互助",
            K.MUTUAL_AID,
            "450000.00",
            max_amount=D("5000.00"),
            requires_member=True,
            portal_open=True,
            eligibility="参加医疗互助的在会职工，住院自付部分按比例补助",
        )
        ids = self.sample(self.members, 244, avoid=taken)
        taken.update(ids)
        parts = _split(rng, 399_000, len(ids), low=300, step=10) if len(ids) == 244 else None
        for i, person in enumerate(self.persons(ids)):
            amount = D(parts[i]) if parts else D(1000)
            self.flow(
                mutual,
                person,
                amount,
                "住院医疗费用互助补助",
                self.day((2, 1), (12, 20)),
                medical_details=rng.choice(
                    ["阑尾炎手术住院", "骨折住院治疗", "肺炎住院", "胆囊切除术", "冠心病支架术"]
                ),
            )

        self.flush(mutual)

        # Two-cancer screening: 35 women on the file, free (paid to the hospital).
        screening = self.programme(
            "2015年困难女职工“两癌”筛查",
            K.CANCER_SCREENING,
            "10000.00",
            max_amount=D("300.00"),
            women_only=True,
            requires_hardship_file=True,
            eligibility="建档困难职工家庭的女职工",
        )
        # Women whose family is on the file through the screening weeks (the programme
        # requires it; the report's logic check finds a payment after a family left).
        end = dt.date(YEAR, 10, 31)
        women = [
            f.head
            for f in self.files_of_year
            if f.head.gender == Gender.FEMALE and (f.left_on is None or f.left_on > end)
        ][:35]
        for person in women:
            self.flow(
                screening,
                person,
                D("260.00"),
                "免费宫颈癌、乳腺癌筛查（区妇幼保健院）",
                self.day((9, 1), (10, 31)),
                method=PaymentMethod.IN_KIND,
            )

        self.flush(screening)

    def festival(self) -> None:
        rng = self.rng
        persons_prog = self.programme(
            "2015年春节送温暖·慰问一线职工和劳模",
            K.FESTIVAL,
            "1000000.00",
            eligibility="一线职工、困难职工、劳动模范",
        )
        families_prog = self.programme(
            "2015年春节送温暖·慰问职工家庭",
            K.FESTIVAL,
            "120000.00",
            recipient_kind=RecipientKind.HOUSEHOLD,
            eligibility="建档困难职工家庭、外来务工人员家庭",
        )
        # 112 visits to enterprises, by the street of each enterprise, before 19 February.
        enterprises = [e for ents in self.b.union_enterprises.values() for e in ents]
        visited = rng.sample(enterprises, min(VISITS, len(enterprises)))
        area_street = {
            u.pk: self.street_of.get(u.pk, self.fed)
            for u in Union.objects.filter(pk__in={e.union_id for e in visited})
        }
        visits = CondolenceVisit.objects.bulk_create(
            [
                CondolenceVisit(
                    programme=persons_prog,
                    union=area_street[ent.union_id],
                    enterprise=ent,
                    visited_on=self.day((1, 20), (2, 16)),
                    visitors="区总工会、街道总工会领导",
                    note="走访慰问一线职工，发放慰问金和慰问品",
                    recorded_by=self.clerk,
                )
                for ent in visited
            ]
        )
        audit.record(
            actor=self.b.actor,
            obj=persons_prog,
            action="demo.visits",
            message=f"演示数据：批量登记节前走访企业 {len(visits)} 家次",
        )
        # Families: hardship families on file, and migrant workers' families.
        on_file = [f for f in self.files if f.filed_on.year < YEAR]
        family_heads = [f.head for f in on_file][:60]
        migrants = [p for p in self.all_ids if self.migrant[p]]
        others = self.sample(
            migrants, FESTIVAL_FAMILIES - len(family_heads), avoid={f.head_id for f in self.files}
        )
        for person in family_heads + self.persons(others):
            self.flow(
                families_prog,
                person,
                D(1000),
                "春节前慰问困难职工家庭"
                if person in family_heads
                else "春节前慰问外来务工人员家庭",
                self.day((1, 26), (2, 15)),
                period="2015-春节",
                method=PaymentMethod.CASH,
            )
        self.flush(families_prog)

        # Persons: every model worker (600 yuan), the heads of the families on
        # file (500) and front-line workers (a gift worth 100 yuan).
        from gonghui.honours.selectors import model_worker_persons

        workers = list(
            model_worker_persons(actor=SYSTEM, union=self.fed, on=dt.date(YEAR, 12, 31))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        hardship = [f.head_id for f in self.files if f.filed_on.year < YEAR]
        chosen = list(dict.fromkeys(workers + hardship))
        seen = set(chosen)
        pool = [p for p in self.all_ids if p not in seen and p in self.street_pool]
        chosen += rng.sample(pool, min(FESTIVAL_PERSONS - len(chosen), len(pool)))
        worker_set, hardship_set = set(workers), set(hardship)
        rows = []
        for pk in chosen:
            if pk in worker_set:
                amount, reason, method = D(600), "春节前慰问劳动模范", PaymentMethod.CASH
            elif pk in hardship_set:
                amount, reason, method = D(500), "春节前慰问困难职工", PaymentMethod.CASH
            else:
                amount, reason, method = D(100), "春节前慰问一线职工", PaymentMethod.IN_KIND
            visit = rng.choice(visits) if method == PaymentMethod.IN_KIND else None
            day = visit.visited_on if visit else self.day((1, 26), (2, 16))
            rows.append(
                Disbursement(
                    union_id=self.union_of.get(pk, self.fed.pk),
                    programme=persons_prog,
                    period="2015-春节",
                    person_id=pk,
                    visit=visit,
                    amount=amount,
                    method=method,
                    reason=reason,
                    state=DisbursementState.PAID,
                    proposed_by=self.clerk,
                    proposed_at=_at(dt.date(YEAR, 1, 12), 9),
                    approved_by=self.head,
                    approved_at=_at(dt.date(YEAR, 1, 16), 15),
                    paid_by=self.head,
                    paid_at=_at(day, 11),
                    paid_on=day,
                )
            )
        Disbursement.objects.bulk_create(rows, batch_size=5000)
        total = sum((r.amount for r in rows), D(0))
        Programme.objects.filter(pk=persons_prog.pk).update(
            committed=F("committed") + total, paid=F("paid") + total
        )
        audit.record(
            actor=self.b.actor,
            obj=persons_prog,
            action="demo.festival",
            message=f"演示数据：批量登记春节慰问发放 {len(rows)} 人，合计 {total} 元",
        )

    def spring_breeze(self) -> None:
        rng = self.rng
        place = self.b.district.place
        campaign = aid.campaign_create(
            actor=self.clerk,
            union=self.fed,
            year=YEAR,
            name=f"2015年{place}“春风行动”",
            receipt_prefix=f"CF2015{self.b.district.receipt_suffix}",
            target=D("11000000.00"),
        )
        big = list(
            Enterprise.objects.filter(union__path__startswith=self.fed.path, above_scale=True)
            .order_by("-workforce", "pk")
            .select_related("union")[:320]
        )
        plan: list[tuple[str, str, Any, Any, Decimal, Union]] = []
        top = [1_200_000, 950_000, 800_000, 680_000, 560_000, 500_000, 450_000, 400_000]
        top += [360_000, 320_000]
        institutions = [
            f"{place}教育局",
            f"{place}卫生和计划生育局",
            f"{place}城市管理局",
            f"{place}财政局",
            f"{place}人力资源和社会保障局",
            f"{place}住房和城乡建设局",
            f"{place}市场监督管理局",
            f"{place}公安分局",
            f"{place}民政局",
            f"{place}司法局",
            f"{place}商务局",
            f"{place}文化广电新闻出版局",
        ]
        for ent, big_gift in zip(big[:8], top[:8], strict=False):
            plan.append(("enterprise", ent.name, ent, None, D(big_gift), self.fed))
        for name, big_gift in zip(institutions[:2], top[8:], strict=False):
            plan.append(("institution", name, None, None, D(big_gift), self.fed))
        for ent in big[8:]:
            street = self.street_of.get(ent.union_id, self.fed)
            gift = D(rng.randrange(2_000, 60_000, 500))
            plan.append(("enterprise", ent.name, ent, None, gift, street))
        for name in institutions[2:]:
            plan.append(
                ("institution", name, None, None, D(rng.randrange(20_000, 90_000, 1000)), self.fed)
            )
        for u in rng.sample(self.b.unions, min(90, len(self.b.unions))):
            street = self.street_of.get(u.pk, self.fed)
            plan.append(("union", u.name, None, u, D(rng.randrange(1_000, 20_000, 100)), street))
        donors = self.sample(self.all_ids, 3000)
        for pk in donors:
            street = self.street_of[self.union_of[pk]]
            plan.append(
                (
                    "person",
                    "",
                    pk,
                    None,
                    D(rng.choice([50, 100, 100, 200, 200, 300, 500, 1000])),
                    street,
                )
            )
        total = sum((row[4] for row in plan), D(0))
        target = D("11549300.00")
        if total < target and self.b.scale >= 1:
            # Top the plan up with the district organs' collective donation.
            plan.append(
                (
                    "institution",
                    f"{place}级机关干部职工（集体）",
                    None,
                    None,
                    target - total + 3000,
                    self.fed,
                )
            )
        names = dict(Person.objects.filter(pk__in=donors).values_list("pk", "name"))
        rows = []
        for kind, name, who, donor_union, amount, collecting in plan:
            rows.append(
                Donation(
                    campaign=campaign,
                    union=collecting,
                    donor_kind=kind,
                    donor_name=names[who] if kind == DonorKind.PERSON else name,
                    donor_enterprise=who if kind == DonorKind.ENTERPRISE else None,
                    donor_union=donor_union,
                    donor_person_id=who if kind == DonorKind.PERSON else None,
                    amount=amount,
                    donated_on=self.day((3, 1), (6, 30)),
                    recorded_by=self.clerk,
                    recorded_at=_at(dt.date(YEAR, 7, 1)),
                )
            )
        rows.sort(key=lambda r: (r.donated_on, r.donor_name))
        for i, row in enumerate(rows, start=1):
            row.receipt_no = f"{campaign.receipt_prefix}-{i:06d}"
            row.recorded_at = _at(row.donated_on, 16)
        Donation.objects.bulk_create(rows, batch_size=5000)
        Campaign.objects.filter(pk=campaign.pk).update(next_receipt_no=len(rows) + 1)
        audit.record(
            actor=self.b.actor,
            obj=campaign,
            action="demo.donations",
            message=(
                f"演示数据：批量登记捐款 {len(rows)} 笔，收据 {campaign.receipt_prefix}-000001 至 "
                f"{campaign.receipt_prefix}-{len(rows):06d}，合计 "
                f"{Donation.objects.filter(campaign=campaign).aggregate(t=Sum('amount'))['t']} 元"
            ),
        )
        aid.campaign_commend_top_donors(
            actor=self.head, campaign=campaign, n=10, on=dt.date(YEAR, 12, 18)
        )


def build_assistance(builder: Any, fed: Union) -> None:
    """Fill the demo district's 2015 assistance records (see the module docstring)."""
    AssistanceDemo(builder, fed).build()
