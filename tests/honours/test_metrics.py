"""The honours figures: kind, level and year, kept in the subtree, not revoked by year end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gonghui.core.metrics import figure, implemented
from gonghui.core.scope import SYSTEM
from gonghui.honours.models import HonourKind, HonourLevel
from gonghui.honours.services import honour_revoke
from tests import factories as f

from .factories import make_honour

K, L = HonourKind, HonourLevel
FIGURES = {
    "honours.pioneer_national": (K.WORKER_PIONEER, L.NATIONAL),
    "honours.pioneer_provincial": (K.WORKER_PIONEER, L.PROVINCIAL),
    "honours.pioneer_municipal": (K.WORKER_PIONEER, L.MUNICIPAL),
    "honours.advanced_worker_home_district": (K.ADVANCED_WORKERS_HOME, L.DISTRICT),
    "honours.national_advanced_worker": (K.ADVANCED_WORKER, L.NATIONAL),
    "honours.provincial_mayday_award": (K.MAYDAY_AWARD, L.PROVINCIAL),
}


def value(metric_id: str, union: Any, year: int = 2015) -> int:
    result = figure(metric_id, actor=SYSTEM, union=union, year=year)
    assert result is not None, f"{metric_id} is not implemented"
    return int(result.value)


def unit(d: Any, kind: str) -> dict[str, Any]:
    """A recipient that fits ``kind``, in street A."""
    if kind in (K.ADVANCED_WORKER, K.MAYDAY_MEDAL, K.MODEL_WORKER):
        return {"person": f.make_person(d.root, d.EA)}
    if kind in (K.ADVANCED_WORKERS_HOME, K.YIHUI_YIPIN):
        return {"recipient_union": d.EA}
    return {"enterprise": d.ent_a}


def test_every_honours_figure_is_implemented() -> None:
    owned = {*FIGURES, "honours.municipal_mayday", "org.yihui_yipin_projects"}
    assert owned <= set(implemented())


@pytest.mark.parametrize("metric_id", list(FIGURES))
def test_figure_counts_its_kind_and_level_of_the_year_only(district: Any, metric_id: str) -> None:
    kind, level = FIGURES[metric_id]
    counted = make_honour(district.root, district.A, kind=kind, level=level, **unit(district, kind))
    make_honour(
        district.root, district.A, kind=kind, level=level, year=2014, **unit(district, kind)
    )
    other_level = L.DISTRICT if level != L.DISTRICT else L.MUNICIPAL
    make_honour(district.root, district.A, kind=kind, level=other_level, **unit(district, kind))
    make_honour(district.root, district.A, kind=K.OTHER, level=level, **unit(district, kind))
    result = figure(metric_id, actor=SYSTEM, union=district.F, year=2015)
    assert result is not None
    assert result.value == 1
    assert result.records is not None
    assert list(result.records) == [counted]


def test_municipal_mayday_counts_medals_and_awards(district: Any) -> None:
    person = f.make_person(district.root, district.EA)
    make_honour(district.root, district.A, kind=K.MAYDAY_MEDAL, person=person)
    make_honour(district.root, district.A, kind=K.MAYDAY_AWARD, enterprise=district.ent_a)
    make_honour(
        district.root,
        district.A,
        kind=K.MAYDAY_AWARD,
        level=L.PROVINCIAL,
        enterprise=district.ent_a,
    )
    assert value("honours.municipal_mayday", district.F) == 2
    assert value("honours.provincial_mayday_award", district.F) == 1


def test_yihui_yipin_counts_projects_of_any_level(district: Any) -> None:
    for union, level in ((district.EA, L.DISTRICT), (district.A1, L.MUNICIPAL)):
        make_honour(
            district.root, district.A, kind=K.YIHUI_YIPIN, level=level, recipient_union=union
        )
    assert value("org.yihui_yipin_projects", district.F) == 2
    assert value("org.yihui_yipin_projects", district.F, 2014) == 0


def test_a_title_revoked_by_year_end_is_not_counted(district: Any) -> None:
    revoked = make_honour(district.root, district.A, enterprise=district.ent_a)
    later = make_honour(district.root, district.B, enterprise=district.ent_b)
    honour_revoke(actor=district.root, honour=revoked, on=dt.date(2015, 12, 31), reason="事故")
    honour_revoke(actor=district.root, honour=later, on=dt.date(2016, 1, 1), reason="事故")
    result = figure("honours.pioneer_municipal", actor=SYSTEM, union=district.F, year=2015)
    assert result is not None
    assert result.value == 1
    assert list(result.records or []) == [later]


def test_figures_count_the_subtree_of_the_keeping_union(district: Any) -> None:
    make_honour(district.root, district.A, enterprise=district.ent_a)
    make_honour(district.root, district.F, recipient_union=district.EA)  # kept above A
    make_honour(district.root, district.B1, enterprise=district.ent_b)
    assert value("honours.pioneer_municipal", district.F) == 3
    assert value("honours.pioneer_municipal", district.A) == 1
    assert value("honours.pioneer_municipal", district.B) == 1
    assert value("honours.pioneer_municipal", district.A1) == 0
