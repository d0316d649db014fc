"""The harmony-index assessment: the arithmetic (Decimal), the weights that must sum to 100,
the assessment's path, and the area's index with its change from last year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gonghui.core.errors import CoreError, DomainError
from gonghui.relations import harmony, services
from gonghui.relations.errors import RelationsError as E
from gonghui.relations.models import AssessmentStatus
from gonghui.relations.selectors import area_index
from tests import factories as f

D = dt.date
INDICATORS = [
    {"code": "A1", "name": "劳动合同签订", "weight": "30"},
    {"code": "A2", "name": "工资按时足额支付", "weight": "25.5"},
    {"code": "A3", "name": "集体协商", "weight": "44.5"},
]


def refused(call: Any, **kw: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        call(**kw)
    return info.value


# --- arithmetic -------------------------------------------------------------------------------
def test_enterprise_index_is_the_weighted_sum_over_a_hundred() -> None:
    pairs = [
        (Decimal("30"), Decimal("90")),
        (Decimal("25.5"), Decimal("80.4")),
        (Decimal("44.5"), Decimal("77")),
    ]
    # (2700 + 2050.2 + 3426.5) / 100 = 81.767
    assert harmony.enterprise_index(pairs) == Decimal("81.77")


def test_index_rounds_half_up_in_decimal() -> None:
    # 80.005 exactly: half-up gives 80.01 (binary floats or banker's rounding give 80.00).
    pairs = [(Decimal("50"), Decimal("80.01")), (Decimal("50"), Decimal("80.00"))]
    assert harmony.enterprise_index(pairs) == Decimal("80.01")


def test_district_index_plain_or_weighted_by_workforce() -> None:
    rows = [(Decimal("80"), 100), (Decimal("90"), 300)]
    assert harmony.district_index(rows, weighted=False) == Decimal("85.00")
    assert harmony.district_index(rows, weighted=True) == Decimal("87.50")
    assert harmony.district_index([], weighted=False) is None
    assert harmony.change(Decimal("87.50"), Decimal("86.25")) == Decimal("1.25")
    assert harmony.change(Decimal("87.50"), None) is None


@pytest.mark.parametrize(
    ("weights", "ok"),
    [
        (["30", "25.5", "44.5"], True),
        (["30", "25.5", "44.49"], False),
        (["50", "50.01"], False),
        (["100", "0"], False),
        ([], False),
    ],
)
def test_weights_must_be_positive_and_sum_to_a_hundred(weights: list[str], ok: bool) -> None:
    assert harmony.weights_valid([Decimal(w) for w in weights]) is ok


# --- the indicator set ----------------------------------------------------------------------
def _set(actor: Any, federation: Any, year: int = 2015, rows: Any = None, **kw: Any) -> Any:
    return services.indicator_set_save(
        actor=actor,
        federation=federation,
        year=year,
        name=f"{year}年度和谐劳动关系指数测评指标",
        indicators=rows if rows is not None else INDICATORS,
        **kw,
    )


def test_indicator_set_refuses_weights_that_do_not_sum_to_a_hundred(district: Any) -> None:
    rows = [dict(r) for r in INDICATORS]
    rows[2]["weight"] = "44"
    err = refused(_set, actor=district.admin, federation=district.F, rows=rows)
    assert err.code == E.WEIGHTS
    assert "99.5" in str(err.message)
    assert not district.F.indicator_sets.exists()


def test_indicator_set_belongs_to_the_federation(district: Any) -> None:
    err = refused(_set, actor=district.root, federation=district.A)
    assert err.code == E.SET_OWNER
    # A street cadre cannot write the federation's set.
    err = refused(_set, actor=district.cadre_a, federation=district.F)
    assert err.code == CoreError.NOT_FOUND


def test_indicator_set_is_edited_until_an_assessment_is_scored(district: Any) -> None:
    s = _set(district.admin, district.F)
    rows = [
        *INDICATORS[:2],
        {"code": "A3", "name": "集体协商", "weight": "34.5"},
        {"code": "A4", "name": "职工满意度", "weight": "10"},
    ]
    s = _set(district.admin, district.F, rows=rows, indicator_set=s)
    assert [i.code for i in s.indicators.all()] == ["A1", "A2", "A3", "A4"]
    _scored(district, s, district.ent_a, [90, 80, 70, 60])
    err = refused(_set, actor=district.admin, federation=district.F, indicator_set=s)
    assert err.code == E.SET_IN_USE


# --- the assessment's path ----------------------------------------------------------------------
def _scored(district: Any, s: Any, firm: Any, scores: list[Any], year: int = 2015) -> Any:
    root = district.root
    a = services.assessment_sample(
        actor=root, indicator_set=s, enterprise=firm, sampled_on=D(year, 3, 2)
    )
    a = services.assessment_report(actor=root, assessment=a, on=D(year, 4, 1))
    a = services.assessment_collect(actor=root, assessment=a, on=D(year, 5, 6))
    codes = [i.code for i in s.indicators.all()]
    return services.assessment_score(
        actor=root,
        assessment=a,
        on=D(year, 6, 1),
        scores=dict(zip(codes, [str(x) for x in scores], strict=True)),
    )


def test_assessment_moves_from_sampled_to_scored_and_computes_the_index(district: Any) -> None:
    s = _set(district.admin, district.F)
    a = _scored(district, s, district.ent_a, [90, "80.4", 77])
    assert a.status == AssessmentStatus.SCORED
    assert a.index == Decimal("81.77")
    assert a.union == district.ent_a.union
    assert {sc.indicator.code: sc.score for sc in a.scores.all()} == {
        "A1": Decimal("90.00"),
        "A2": Decimal("80.40"),
        "A3": Decimal("77.00"),
    }


def test_scoring_needs_every_indicator_within_range(district: Any) -> None:
    s = _set(district.admin, district.F)
    root = district.root
    a = services.assessment_sample(
        actor=root, indicator_set=s, enterprise=district.ent_a, sampled_on=D(2015, 3, 2)
    )
    err = refused(services.assessment_score, actor=root, assessment=a, on=D(2015, 6, 1), scores={})
    assert err.code == E.BAD_STATE  # not collected yet
    a = services.assessment_report(actor=root, assessment=a, on=D(2015, 4, 1))
    a = services.assessment_collect(actor=root, assessment=a, on=D(2015, 5, 6))
    err = refused(
        services.assessment_score,
        actor=root,
        assessment=a,
        on=D(2015, 6, 1),
        scores={"A1": 90, "A2": 80},
    )
    assert (err.code, "A3" in str(err.message)) == (E.SCORES, True)
    err = refused(
        services.assessment_score,
        actor=root,
        assessment=a,
        on=D(2015, 6, 1),
        scores={"A1": 90, "A2": 80, "A3": "100.5"},
    )
    assert err.code == E.SCORES
    a.refresh_from_db()
    assert (a.status, a.index) == (AssessmentStatus.COLLECTED, None)


def test_an_enterprise_is_sampled_once_a_year(district: Any) -> None:
    s = _set(district.admin, district.F)
    services.assessment_sample(
        actor=district.root, indicator_set=s, enterprise=district.ent_a, sampled_on=D(2015, 3, 2)
    )
    err = refused(
        services.assessment_sample,
        actor=district.root,
        indicator_set=s,
        enterprise=district.ent_a,
        sampled_on=D(2015, 3, 3),
    )
    assert err.code == E.DUPLICATE


def test_area_index_as_configured_with_the_change_from_last_year(district: Any) -> None:
    root = district.root
    district.ent_a.workforce, district.ent_b.workforce = 100, 300
    district.ent_a.save()
    district.ent_b.save()
    big = f.make_enterprise(root, district.B1, workforce=100)
    last = _set(district.admin, district.F, year=2014)
    _scored(district, last, district.ent_a, [80, 80, 80], year=2014)
    _scored(district, last, district.ent_b, [84, 84, 84], year=2014)
    this = _set(district.admin, district.F, year=2015, aggregation="workforce")
    _scored(district, this, district.ent_a, [80, 80, 80])
    _scored(district, this, district.ent_b, [90, 90, 90])
    _scored(district, this, big, [70, 70, 70])
    area = area_index(actor=root, union=district.F, year=2015)
    # (80×100 + 90×300 + 70×100) / 500 = 84.00; last year, plain mean: 82.00
    assert (area.value, area.previous, area.change, area.scored) == (
        Decimal("84.00"),
        Decimal("82.00"),
        Decimal("2.00"),
        3,
    )
    street_a = area_index(actor=district.cadre_a, union=district.A, year=2015)
    assert (street_a.value, street_a.change) == (Decimal("80.00"), Decimal("0.00"))
