"""The labour-relations figures of the report, the logic check and the draft's paragraphs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gonghui.core.metrics import MetricQuery, Period, figure, logic_checks, paragraphs
from gonghui.organisation.services import coverage_end
from gonghui.relations import services
from tests import factories as f

from .factories import in_force

D = dt.date


def _value(district: Any, metric_id: str, year: int = 2015, union: Any = None) -> Any:
    result = figure(metric_id, actor=district.root, union=union or district.F, year=year)
    assert result is not None
    return result


def test_contracts_renewed_counts_renewals_signed_in_the_year(district: Any) -> None:
    root = district.root
    old = in_force(
        root,
        district.EA,
        [district.ent_a],
        kind="wage",
        signed_on=D(2014, 1, 6),
        expires_on=D(2014, 12, 31),
    )
    in_force(  # the renewal, signed in 2015
        root,
        district.EA,
        [district.ent_a],
        kind="wage",
        signed_on=D(2015, 1, 5),
        expires_on=D(2015, 12, 31),
        renews=old,
    )
    in_force(  # a first contract: not a renewal
        root, district.EB, [district.ent_b], signed_on=D(2015, 2, 2), expires_on=D(2017, 12, 31)
    )
    result = _value(district, "relations.contracts_renewed")
    assert result.value == 1
    assert _value(district, "relations.contracts_renewed", 2014).value == 0
    assert _value(district, "relations.contracts_renewed", union=district.B).value == 0


def test_sites_csr_meetings_and_samples_are_counted_in_their_period(district: Any) -> None:
    root = district.root
    a, b = district.ent_a, district.ent_b
    services.demo_site_designate(
        actor=root, enterprise=a, level="district", designated_on=D(2015, 6, 1)
    )
    services.demo_site_designate(
        actor=root, enterprise=b, level="city", designated_on=D(2015, 6, 1)
    )
    services.demo_site_designate(
        actor=root, enterprise=b, level="district", designated_on=D(2014, 6, 1)
    )
    assert _value(district, "relations.harmony_demo_sites").value == 1

    first = services.csr_rate(actor=root, enterprise=a, level="A", rated_on=D(2012, 5, 1))
    services.csr_rate(actor=root, enterprise=a, level="A", rated_on=D(2015, 5, 1), reviews=first)
    b_first = services.csr_rate(actor=root, enterprise=b, level="B", rated_on=D(2012, 5, 1))
    services.csr_rate(actor=root, enterprise=b, level="A", rated_on=D(2015, 5, 1), reviews=b_first)
    assert _value(district, "relations.csr_a_level_reviewed").value == 1

    small = f.make_enterprise(root, district.A1, workforce=20)
    services.csr_join(actor=root, enterprise=small, joined_on=D(2015, 3, 1))
    big = f.make_enterprise(root, district.A1, workforce=900, above_scale=True)
    services.csr_join(actor=root, enterprise=big, joined_on=D(2015, 3, 1))
    assert _value(district, "relations.csr_sme_joined").value == 1

    for month in (3, 6, 9, 12):
        services.meeting_record(
            actor=root,
            union=district.F,
            held_on=D(2015, month, 20),
            title=f"2015年第{month // 3}季度协调劳动关系三方会议",
            bureau_participants="区人社局",
            union_participants="区总工会",
            employer_participants="区企业联合会",
            topics="和谐指数测评部署",
        )
    assert _value(district, "relations.tripartite_meetings").value == 4
    assert _value(district, "relations.tripartite_meetings", union=district.A).value == 0

    s = services.indicator_set_save(
        actor=root,
        federation=district.F,
        year=2015,
        name="2015",
        indicators=[{"code": "A", "name": "综合", "weight": 100}],
    )
    for ent, collect in ((a, True), (b, False)):
        x = services.assessment_sample(
            actor=root, indicator_set=s, enterprise=ent, sampled_on=D(2015, 3, 2)
        )
        x = services.assessment_report(actor=root, assessment=x, on=D(2015, 4, 1))
        if collect:
            services.assessment_collect(actor=root, assessment=x, on=D(2015, 5, 6))
    result = _value(district, "relations.harmony_index_samples")
    assert result.value == 1
    assert [x.enterprise for x in result.records] == [a]


def test_contract_without_union_check_finds_contracts_of_enterprises_no_union_covers(
    district: Any,
) -> None:
    root = district.root
    in_force(
        root, district.EA, [district.ent_a], signed_on=D(2015, 1, 5), expires_on=D(2017, 12, 31)
    )
    in_force(
        root, district.EB, [district.ent_b], signed_on=D(2015, 1, 5), expires_on=D(2017, 12, 31)
    )
    coverage_end(actor=root, coverage=district.ent_b.coverages.get(), on=D(2015, 10, 1))
    (check,) = [c for c in logic_checks() if c.id == "relations.contract_without_union"]
    assert check.owner == "relations"
    query = MetricQuery(actor=root, union=district.F, period=Period.of(2015))
    result = check.run(query)
    assert result.count == 1
    assert result.records is not None
    assert [r.enterprise for r in result.records] == [district.ent_b]
    assert "1 家企业" in result.message
    # In 2014 both were still covered; street A's subtree has nothing wrong.
    assert check.run(MetricQuery(actor=root, union=district.F, period=Period.of(2014))).count == 0
    assert check.run(MetricQuery(actor=root, union=district.A, period=Period.of(2015))).count == 0


def test_default_paragraphs_name_every_relations_figure() -> None:
    texts = "".join(p.template for p in paragraphs() if p.key.startswith("relations."))
    for metric_id in (
        "relations.harmony_demo_sites",
        "relations.csr_a_level_reviewed",
        "relations.csr_sme_joined",
        "relations.tripartite_meetings",
        "relations.harmony_index_samples",
        "relations.contracts_renewed",
        "relations.establishment_rate",
        "relations.coverage_rate",
        "relations.fulfilment_rate",
    ):
        assert "{" + metric_id + "}" in texts
