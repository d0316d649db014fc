"""Charts drawn on the server as SVG (pygal), for the workbench, the leaders' dashboard and
the printed report alike: no script, no CDN, no run-time download.

pygal adds a ``<script>`` tag pointing at its CDN to every chart by default, and an inline
config script: here ``js`` is always empty and the inline script is removed, so the SVG is
inert markup, inlined in pages and PDFs. Text stays text, in the page's font
(Noto Sans CJK), so Chinese labels render where the page renders.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pygal
from django.utils.translation import gettext
from pygal.style import Style

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#374151",
    foreground_strong="#111827",
    foreground_subtle="#9ca3af",
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    legend_font_family=FONT,
    title_font_family=FONT,
    tooltip_font_family=FONT,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    title_font_size=14,
    no_data_font_size=18,  # pygal's 64 px fills the chart for an empty year
    value_font_size=10,
    colors=("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#84cc16"),
)


def _config(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "style": STYLE,
        "js": [],  # never the CDN script
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 720,
        "height": 320,
        "legend_at_bottom": True,
        "print_values": False,
        "show_minor_x_labels": True,
        "truncate_label": -1,
        "no_data_text": gettext("暂无数据"),
        **extra,
    }


def _cjk_margin(labels: Sequence[str], font_size: int) -> int:
    """pygal reckons a label's width at 0.6 em a character, but a Chinese character is 1 em
    wide: the room the longest label lacks, so a horizontal chart's labels are not cut off."""
    wide = max(
        (
            sum(1 for ch in str(label) if unicodedata.east_asian_width(ch) in "WF")
            for label in labels
        ),
        default=0,
    )
    return int(wide * 0.4 * font_size)


def _numbers(values: Sequence[Any]) -> list[float | None]:
    return [None if v is None else float(v) if isinstance(v, Decimal) else v for v in values]


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _render(chart: Any) -> str:
    """The chart's SVG without pygal's inline config script and credit comments: the page
    needs neither, and a page's content security policy need not allow scripts in SVG."""
    svg: str = chart.render(is_unicode=True)
    return _COMMENT.sub("", _SCRIPT.sub("", svg))


def bar(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Any]],
    *,
    horizontal: bool = False,
    stacked: bool = False,
) -> str:
    """A bar chart: one bar per label and series (``{"2015": [...], "2014": [...]}``)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    if stacked:
        kind = pygal.HorizontalStackedBar if horizontal else pygal.StackedBar
    extra: dict[str, Any] = {"x_label_rotation": 0 if horizontal else 30}
    if horizontal:
        # One band per label, tall enough to read; the labels' room reckoned for Chinese.
        extra["height"] = max(320, 110 + 22 * len(labels))
        extra["margin_left"] = 20 + _cjk_margin(labels, STYLE.label_font_size)
    chart = kind(**_config(title, **extra))
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, _numbers(values))
    return _render(chart)


def line(title: str, labels: Sequence[str], series: Mapping[str, Sequence[Any]]) -> str:
    """A line chart over ``labels`` (months, years)."""
    chart = pygal.Line(**_config(title, x_label_rotation=0, dots_size=3))
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, _numbers(values))
    return _render(chart)
