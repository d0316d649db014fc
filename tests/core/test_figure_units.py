"""Figures as an office writes them: the template filters every page uses, and the catalogue's
units and 口径 texts (people in 人, a rule rather than a year's value)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from gonghui.core.metrics import catalogue

#: what a label ends with when it counts people
PEOPLE_WORDS = ("会员", "职工", "干部", "工作者", "人员", "队伍", "劳模", "学生", "女工")


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("{{ v|yuan }}", "13,051,150.00"),
        ("{{ v|count }}", "13,051,150"),
        ("{{ w|wan_yuan }}", "106.75"),
        ("{{ p|percent }}", "85.3%"),
    ],
)
def test_template_filters_write_figures_as_an_office_does(source: str, shown: str) -> None:
    template = Template("{% load gonghui %}" + source)
    context = Context({"v": 13051150, "w": Decimal("106.7500"), "p": Decimal("85.26")})
    assert template.render(context) == shown


def test_an_empty_amount_is_shown_empty_not_as_zero() -> None:
    assert Template("{% load gonghui %}[{{ v|yuan }}]").render(Context({"v": None})) == "[]"


def test_people_are_counted_in_persons_never_in_items() -> None:
    wrong = [
        (e.id, e.zh, e.unit_zh)
        for e in catalogue()
        if e.unit_zh == "个" and e.zh.rstrip('”"').endswith(PEOPLE_WORDS)
    ]
    assert wrong == []
    by_id = {e.id: e for e in catalogue()}
    assert by_id["org.members_joined"].unit_zh == "人"
    assert by_id["org.fulltime_staff_total"].unit_zh == "人"


def test_every_figure_has_a_unit_from_the_offices_list() -> None:
    units = {e.unit_zh for e in catalogue()}
    allowed = {"人", "人次", "个", "家", "户", "场", "项", "万元", "元", "%", "次", "篇", "份"}
    allowed |= {"条", "种", "家次", "期", "册次", "名", "支", "所", "处", "件", "天"}
    assert units <= allowed, units - allowed


def test_the_definition_states_the_rule_never_a_years_value() -> None:
    # a figure in brackets ("（1.96万）"), or any number of three digits and more
    year_value = re.compile(r"[（(][^）)]*\d[^）)]*[）)]|\d[\d,.]{2,}|\d+(\.\d+)?万")
    carrying = [(e.id, e.definition_zh) for e in catalogue() if year_value.search(e.definition_zh)]
    assert carrying == []
