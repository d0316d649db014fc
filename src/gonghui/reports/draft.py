"""The draft of the work report's text: the registered paragraphs of each area, in the
federation's own wording where it edited them, with the figures filled in.

A paragraph is plain text with placeholders naming figures of the catalogue, never template
code: ``{org.unions_founded}`` writes the figure as running text does (``76``, ``1154.93``,
``85.3%``), ``{org.members_joined|万}`` in 万 from ten thousand up (``1.96万``), and
``{assistance.accident_subsidy_amount_wan|元}`` a 万元 figure in yuan (``2000``). Anything
else in braces is text. A placeholder naming no figure, a figure not computed yet or an
unknown filter is written "（尚未计算）" and listed, so the federation sees what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from gonghui.core import numbers
from gonghui.core.metrics import (
    MetricQuery,
    MetricResult,
    Period,
    compute,
    entry,
    paragraphs,
)
from gonghui.core.scope import Actor

from .models import ParagraphText
from .selectors import PERIOD_KINDS, area_label, area_order

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)(?:\|([^{}|\s]{1,4}))?\}")
FILTERS = ("万", "元")
MISSING = "（尚未计算）"
MAX_TEXT = 5000


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph: plain text, or a figure (``metric_id``) written as ``text``."""

    text: str
    metric_id: str = ""
    missing: bool = False


@dataclass
class DraftParagraph:
    key: str
    area: str
    template: str  # the text in use (the federation's, else the default)
    default: str
    edited: bool
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def missing(self) -> list[str]:
        return [s.metric_id for s in self.segments if s.missing]

    def html(self, link: Any = None) -> SafeString:
        """The paragraph as HTML: text escaped, each figure linked by ``link(metric_id)``."""
        parts = []
        for s in self.segments:
            if s.missing:
                parts.append(format_html('<span class="gh-missing">{}</span>', s.text))
            elif s.metric_id and link is not None:
                parts.append(format_html('<a class="gh-link" href="{}">{}</a>', link(s), s.text))
            else:
                parts.append(escape(s.text))
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@dataclass
class DraftSection:
    area: str
    label: str
    paragraphs: list[DraftParagraph] = field(default_factory=list)


@dataclass
class Draft:
    union: Union
    period: Period
    sections: list[DraftSection]

    @property
    def missing(self) -> list[str]:
        """Every placeholder written "（尚未计算）", once, in the order met."""
        seen: dict[str, None] = {}
        for section in self.sections:
            for p in section.paragraphs:
                for m in p.missing:
                    seen.setdefault(m, None)
        return list(seen)


def write_figure(value: Any, unit: str, how: str | None) -> str | None:
    """A figure as the draft writes it (``how``: a placeholder's filter), or None if the
    filter does not apply to the figure's unit."""
    if how is None:
        return numbers.text(value, unit)
    number = Decimal(value)
    if how == "万":
        if unit in numbers.WAN_UNITS or unit in numbers.PERCENT_UNITS:
            return None
        return numbers.in_wan(number) if abs(number) >= 10_000 else numbers.text(number, unit)
    if how == "元" and unit in numbers.WAN_UNITS:
        return numbers.text(number * 10_000, "yuan")
    return None


def fill(template: str, figures: dict[str, MetricResult | None]) -> list[Segment]:
    """Split ``template`` into text and figures (``figures``: results by id, computed)."""
    segments: list[Segment] = []
    at = 0
    for match in PLACEHOLDER.finditer(template):
        if match.start() > at:
            segments.append(Segment(template[at : match.start()]))
        metric_id, how = match.group(1), match.group(2)
        figure = entry(metric_id)
        result = figures.get(metric_id)
        written = None
        if figure is not None and result is not None:
            written = write_figure(result.value, figure.unit, how)
        if written is None:
            segments.append(Segment(MISSING, metric_id=match.group(0).strip("{}"), missing=True))
        else:
            segments.append(Segment(written, metric_id=metric_id))
        at = match.end()
    if at < len(template):
        segments.append(Segment(template[at:]))
    return segments


def placeholders(template: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(template)]


def edited_texts(union: Union) -> dict[str, str]:
    """The federation's own wording of paragraphs for ``union`` (empty: the default)."""
    return {
        key: text
        for key, text in ParagraphText.objects.filter(union=union).values_list("key", "text")
        if text.strip()
    }


def report_draft(*, actor: Actor, union: Union, period: Period) -> Draft:
    """The draft of ``union``'s work report over ``period``: the registered paragraphs by
    area (in the catalogue's order of areas), filled with the figures ``actor`` reads."""
    edits = edited_texts(union)
    registered = paragraphs()
    templates = {p.key: edits.get(p.key, p.template) for p in registered}
    query = MetricQuery(actor=actor, union=union, period=period)
    wanted = {m for t in templates.values() for m in placeholders(t)}
    figures = {m: compute(m, query) for m in sorted(wanted)}
    order = {area: i for i, area in enumerate(area_order())}
    sections: dict[str, DraftSection] = {}
    for p in sorted(registered, key=lambda p: (order.get(p.area, len(order)), p.order, p.key)):
        section = sections.setdefault(p.area, DraftSection(p.area, area_label(p.area)))
        section.paragraphs.append(
            DraftParagraph(
                key=p.key,
                area=p.area,
                template=templates[p.key],
                default=p.template,
                edited=p.key in edits,
                segments=fill(templates[p.key], figures),
            )
        )
    return Draft(union=union, period=period, sections=list(sections.values()))


def draft_title(draft: Draft) -> str:
    return str(
        _("%(union)s%(year)s年工作报告（文稿）")
        % {"union": draft.union.name, "year": draft.period.year}
    )


def draft_subtitle(period: Period) -> str:
    return f"{PERIOD_KINDS[period.kind]}：{period.start:%Y-%m-%d} — {period.end:%Y-%m-%d}"
