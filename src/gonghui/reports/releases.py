"""Reads of finalised reports, and how today's figures differ from the frozen ones.

A finalised report keeps each figure's value and the records it counted; reading it again
later computes the figures anew for the reader and compares: for each figure, the frozen and
the current value, the records counted now that were not then (added) and those counted then
that are not now (dropped), so a leader sees why a number moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.core import numbers
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.metrics import MetricQuery, Period, compute, entry
from gonghui.core.scope import Actor, scope_queryset

from .models import ReleaseRecord, ReportRelease
from .selectors import AnnualReport, ReportRow, annual_report, report_period

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def release_list(*, actor: Actor) -> QuerySet[ReportRelease]:
    return scope_queryset(actor, ReportRelease.objects.select_related("union", "signed_by"))


def release_for(*, actor: Actor, union: Union, period: Period) -> ReportRelease | None:
    """The finalised report of ``union`` for ``period``, if the reader may see it."""
    return (
        release_list(actor=actor)
        .filter(union=union, year=period.year, period_kind=period.kind)
        .first()
    )


def release_get(*, actor: Actor, id: Any) -> ReportRelease:
    try:
        return release_list(actor=actor).get(pk=id)
    except (ReportRelease.DoesNotExist, ValueError, TypeError):
        raise DomainError(
            CoreError.NOT_FOUND, _("找不到该定稿报告，或不在您的管辖范围内。")
        ) from None


def frozen_pks(release: ReportRelease, metric_id: str) -> QuerySet[Any]:
    return ReleaseRecord.objects.filter(release=release, metric_id=metric_id).values("object_id")


@dataclass
class Difference:
    """One figure of a finalised report: frozen, now, and the records that moved."""

    row: ReportRow  # today's figure, for the reader
    frozen: Decimal | None
    added: QuerySet[Any] | None = None
    dropped: QuerySet[Any] | None = None
    n_added: int = 0
    n_dropped: int = 0

    @property
    def current(self) -> Decimal | None:
        return None if self.row.value is None else Decimal(self.row.value)

    @property
    def delta(self) -> Decimal | None:
        if self.current is None or self.frozen is None:
            return None
        return self.current - self.frozen

    @property
    def moved(self) -> bool:
        return self.frozen != self.current or bool(self.n_added or self.n_dropped)

    @property
    def frozen_text(self) -> str:
        return numbers.figure(self.frozen, self.row.entry.unit)

    @property
    def current_text(self) -> str:
        return self.row.value_text

    @property
    def delta_text(self) -> str:
        delta = self.delta
        if delta is None:
            return ""
        text = numbers.figure(abs(delta), self.row.entry.unit)
        return f"+{text}" if delta > 0 else f"-{text}" if delta < 0 else text


def _moved_records(
    release: ReportRelease, row: ReportRow
) -> tuple[QuerySet[Any] | None, QuerySet[Any] | None]:
    """(records counted now but not when signed, records counted then but not now)."""
    metric_id = row.entry.id
    label = release.record_models.get(metric_id)
    current = row.result.records if row.result is not None else None
    then_model = apps.get_model(label) if label else None
    if then_model is None:
        return current, None
    then = then_model._default_manager.filter(pk__in=frozen_pks(release, metric_id))
    if current is None:
        return None, then
    if current.model is not then_model:  # the figure now counts other records
        return current, then
    added = current.exclude(pk__in=frozen_pks(release, metric_id))
    dropped = then.exclude(pk__in=current.values("pk"))
    return added, dropped


def release_report(*, actor: Actor, release: ReportRelease) -> AnnualReport:
    return annual_report(
        actor=actor,
        union=release.union,
        year=release.year,
        kind=release.period_kind,
        compare=False,
    )


def release_differences(*, actor: Actor, release: ReportRelease) -> list[Difference]:
    """Every figure of the release against its value today, as ``actor`` reads it."""
    report = release_report(actor=actor, release=release)
    out = []
    for row in report.rows:
        frozen = release.value(row.entry.id)
        if frozen is None and row.result is None:
            continue
        added, dropped = _moved_records(release, row)
        out.append(
            Difference(
                row=row,
                frozen=frozen,
                added=added,
                dropped=dropped,
                n_added=added.count() if added is not None else 0,
                n_dropped=dropped.count() if dropped is not None else 0,
            )
        )
    return out


def release_moved_records(
    *, actor: Actor, release: ReportRelease, metric_id: str, which: str
) -> QuerySet[Any] | None:
    """The records of one figure added (``which="added"``) or dropped since signing."""
    period = report_period(release.year, release.period_kind)
    figure = entry(metric_id)
    if figure is None:
        return None
    result = compute(metric_id, MetricQuery(actor=actor, union=release.union, period=period))
    added, dropped = _moved_records(release, ReportRow(entry=figure, result=result))
    return added if which == "added" else dropped
