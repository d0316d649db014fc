"""Figures as a Chinese office writes them (core/numbers.py)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from gonghui.core import numbers as n


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (7, "7"), (19652, "19,652"), (1000000, "1,000,000"), (None, ""), ("", "")],
)
def test_counts_have_thousands_separators(value, shown):
    assert n.count(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("13051150"), "13,051,150.00"),
        (Decimal("57700.5"), "57,700.50"),
        (Decimal("0.005"), "0.01"),  # half up, never banker's rounding
        ("1000000.00", "1,000,000.00"),
    ],
)
def test_yuan_have_two_decimals(value, shown):
    assert n.yuan(value) == shown


@pytest.mark.parametrize(
    ("value", "table", "text"),
    [
        (Decimal("106.7500"), "106.75", "106.75"),
        (Decimal("5.7700"), "5.77", "5.77"),
        (Decimal("0.2000"), "0.20", "0.2"),
        (Decimal("1154.9300"), "1,154.93", "1,154.93"),
        (Decimal("12.8650"), "12.87", "12.87"),
        (Decimal("100"), "100.00", "100"),
    ],
)
def test_wan_yuan_have_at_most_two_decimals(value, table, text):
    assert n.wan_yuan(value) == table
    assert n.wan_yuan(value, text=True) == text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("85.26"), "85.3%"),
        (100, "100%"),
        (Decimal("0.04"), "0%"),
        (Decimal("33.35"), "33.4%"),
    ],
)
def test_percentages(value, shown):
    assert n.percent(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(19652, "1.97万"), (19600, "1.96万"), (18000, "1.8万"), (7662, "7,662"), (10000, "1万")],
)
def test_large_counts_in_running_text_are_in_wan(value, shown):
    assert n.in_wan(value) == shown


def test_an_empty_chart_says_so_in_the_page_language_at_a_readable_size():
    from django.utils import translation

    from gonghui.core import charts

    svg = charts.bar("帮扶项目预算与已发放", [], {"预算": [], "已发放": []})
    assert "暂无数据" in svg
    assert re.search(r"\.no_data\s*\{[^}]*font-size:\s*18", svg)  # not pygal's 64 px
    with translation.override("en"):
        assert "No data" in charts.bar("Aid", [], {"Budget": []})


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (19652, "count", "19,652"),
        (Decimal("106.7500"), "10k CNY", "106.75"),
        (Decimal("106.7500"), "万元", "106.75"),
        (Decimal("100.0"), "percent", "100%"),
        (52688, "person-times", "52,688"),
        (None, "count", ""),
    ],
)
def test_a_report_figure_is_shown_by_its_unit(value, unit, shown):
    assert n.figure(value, unit) == shown


def test_excel_formats_match_the_page():
    assert n.excel_format("count") == "#,##0"
    assert n.excel_format("10k CNY") == "#,##0.00"
    assert n.excel_format("percent") == '0.0"%"'


def test_charts_are_plain_svg_without_any_script_or_remote_asset():
    from gonghui.core import charts

    svg = charts.bar(
        "各街道会员", ["望江", "临湖"], {"2015": [Decimal("12.5"), 30], "2014": [10, 25]}
    )
    svg += charts.line("会员月度变化", ["1月", "2月"], {"会员": [100, 120]})
    assert svg.count("<svg") == 2
    assert "<script" not in svg
    assert "http://" not in svg.replace("http://www.w3.org", "")
    assert "https://" not in svg
    assert "各街道会员" in svg
    assert "望江" in svg


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (18860, "person-times", "18860"),
        (Decimal("19652"), "persons", "19652"),
        (Decimal("1154.9300"), "10k CNY", "1154.93"),
        (Decimal("0.2000"), "10k CNY", "0.2"),
        (Decimal("2000.00"), "yuan", "2000"),
        (Decimal("85.26"), "percent", "85.3%"),
        (Decimal("2.50"), "count", "2.5"),
        (None, "count", ""),
    ],
)
def test_running_text_writes_figures_without_separators(value, unit, shown):
    assert n.text(value, unit) == shown
