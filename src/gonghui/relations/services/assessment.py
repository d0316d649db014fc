"""Every write to the harmony-index assessment: the year's indicator set (the federation's,
weights summing to 100), sampling enterprises and moving each assessment through reported,
collected on site and scored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.scope import Actor, require_write
from gonghui.organisation.models import Enterprise, Union, UnionKind

from .. import harmony
from ..errors import RelationsError as E
from ..models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    Indicator,
    IndicatorSet,
)
from .contracts import _not_future

A = AssessmentStatus


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(E.WEIGHTS, _("“%s”不是有效的数字。") % value, field=field) from None


@transaction.atomic
def indicator_set_save(
    *,
    actor: Actor,
    federation: Union,
    year: int,
    name: str,
    indicators: Iterable[Mapping[str, Any]],
    aggregation: str = "mean",
    indicator_set: IndicatorSet | None = None,
) -> IndicatorSet:
    """Create (or, with ``indicator_set``, replace) ``federation``'s indicator set of
    ``year``: ``indicators`` are rows of code, name, weight (and order). The weights must be
    positive and sum to exactly 100; a set whose assessments are already scored is not
    changed (make next year's version instead)."""
    require_write(actor, federation)
    if federation.kind != UnionKind.FEDERATION:
        raise DomainError(
            E.SET_OWNER, _("测评指标体系由总工会制定，请选择总工会。"), field="federation"
        )
    rows = [dict(r) for r in indicators]
    weights = [_decimal(r["weight"], "indicators") for r in rows]
    total = harmony.weights_total(weights)
    if not harmony.weights_valid(weights):
        raise DomainError(
            E.WEIGHTS,
            _("各项指标权重须大于 0 且合计为 100，当前合计为 %s。") % total.normalize(),
            field="indicators",
        )
    codes = [str(r["code"]).strip() for r in rows]
    if len(set(codes)) != len(codes) or not all(codes):
        raise DomainError(E.DUPLICATE, _("指标编号须填写且不能重复。"), field="indicators")
    if indicator_set is None:
        if IndicatorSet.objects.filter(federation=federation, year=year).exists():
            raise DomainError(
                E.DUPLICATE, _("%s 年度的测评指标体系已经存在，请修改它。") % year, field="year"
            )
        indicator_set = IndicatorSet(federation=federation, year=year)
        action, message = "create", _("制定测评指标体系")
    else:
        indicator_set = lock(indicator_set)
        if indicator_set.assessments.filter(status=A.SCORED).exists():
            raise DomainError(
                E.SET_IN_USE,
                _("该年度已有企业完成评分，指标和权重不能再修改；请建立下一年度的版本。"),
            )
        if indicator_set.federation_id != federation.pk or indicator_set.year != year:
            raise DomainError(E.SET_OWNER, _("不能修改指标体系的工会或年度。"), field="year")
        action, message = "update", _("修改测评指标体系")
    indicator_set.name, indicator_set.aggregation = name.strip(), aggregation
    indicator_set.full_clean(exclude=["federation"], validate_constraints=False)
    indicator_set.save()
    before = {i.code: i for i in indicator_set.indicators.all()}
    kept = set()
    for order, (row, code, weight) in enumerate(zip(rows, codes, weights, strict=True)):
        ind = before.get(code) or Indicator(indicator_set=indicator_set, code=code)
        ind.name, ind.weight = str(row["name"]).strip(), weight
        ind.order = int(row.get("order") or order + 1)
        ind.full_clean(exclude=["indicator_set"], validate_constraints=False)
        ind.save()
        kept.add(code)
    Indicator.objects.filter(indicator_set=indicator_set).exclude(code__in=kept).delete()
    audit.record(
        actor=actor,
        obj=indicator_set,
        action=f"indicator_set.{action}",
        message=message,
        changes={
            f"{c} {r['name']}": (getattr(before.get(c), "weight", None), w)
            for r, c, w in zip(rows, codes, weights, strict=True)
        },
    )
    return indicator_set


@transaction.atomic
def assessment_sample(
    *,
    actor: Actor,
    indicator_set: IndicatorSet,
    enterprise: Enterprise,
    sampled_on: dt.date,
    union: Union | None = None,
) -> Assessment:
    """Sample ``enterprise`` for the year's assessment; it belongs to the enterprise's local
    union (``union`` by default)."""
    union = union or enterprise.union
    require_write(actor, union)
    if not enterprise.union.path.startswith(union.path):
        raise DomainError(
            E.ENTERPRISE_OUT_OF_SCOPE,
            _("企业“%(e)s”不在“%(u)s”的管辖范围内。") % {"e": enterprise, "u": union},
            field="enterprise",
        )
    if sampled_on.year != indicator_set.year:
        raise DomainError(
            E.BAD_DATES,
            _("抽样日期须在 %s 年度内。") % indicator_set.year,
            field="sampled_on",
        )
    if Assessment.objects.filter(indicator_set=indicator_set, enterprise=enterprise).exists():
        raise DomainError(
            E.DUPLICATE, _("企业“%s”本年度已被抽样。") % enterprise, field="enterprise"
        )
    made = Assessment.objects.create(
        union=union, indicator_set=indicator_set, enterprise=enterprise, sampled_on=sampled_on
    )
    audit.record(
        actor=actor,
        obj=made,
        action="assessment.sample",
        message=_("抽样参加 %s 年度和谐劳动关系指数测评") % indicator_set.year,
    )
    return made


_NEXT = {
    A.SAMPLED: (A.REPORTED, "reported_on", _("企业报送测评数据")),
    A.REPORTED: (A.COLLECTED, "collected_on", _("完成实地采集")),
}


def _advance(actor: Actor, assessment: Assessment, on: dt.date, from_status: str) -> Assessment:
    require_write(actor, assessment.union)
    assessment = lock(assessment)
    if assessment.status != from_status:
        raise DomainError(
            E.BAD_STATE,
            _("该测评当前进度为“%s”，不能进行此操作。") % assessment.get_status_display(),
        )
    _not_future(on, "on")
    status, field, message = _NEXT[A(from_status)]
    previous = assessment.reported_on or assessment.sampled_on
    if on < previous:
        raise DomainError(E.BAD_DATES, _("日期不能早于 %s。") % previous, field="on")
    setattr(assessment, field, on)
    assessment.status = status
    assessment.save(update_fields=[field, "status"])
    audit.record(
        actor=actor,
        obj=assessment,
        action=f"assessment.{status}",
        message=message,
        changes={
            str(getattr(Assessment._meta.get_field(field), "verbose_name", field)): (None, on)
        },
    )
    return assessment


@transaction.atomic
def assessment_report(*, actor: Actor, assessment: Assessment, on: dt.date) -> Assessment:
    """The enterprise reported its data."""
    return _advance(actor, assessment, on, A.SAMPLED)


@transaction.atomic
def assessment_collect(*, actor: Actor, assessment: Assessment, on: dt.date) -> Assessment:
    """The data were collected (checked) on site."""
    return _advance(actor, assessment, on, A.REPORTED)


@transaction.atomic
def assessment_score(
    *, actor: Actor, assessment: Assessment, on: dt.date, scores: Mapping[str, Any]
) -> Assessment:
    """Score a collected assessment: ``scores`` maps each indicator's code to a score from 0
    to 100; the index is Σ weight × score / 100 (``harmony.enterprise_index``)."""
    require_write(actor, assessment.union)
    assessment = lock(assessment)
    if assessment.status != A.COLLECTED:
        raise DomainError(
            E.BAD_STATE,
            _("该测评当前进度为“%s”，完成实地采集后才能评分。") % assessment.get_status_display(),
        )
    _not_future(on, "on")
    assert assessment.collected_on is not None  # noqa: S101
    if on < assessment.collected_on:
        raise DomainError(E.BAD_DATES, _("评分日期不能早于实地采集日期。"), field="on")
    indicators = list(assessment.indicator_set.indicators.all())
    missing = [i.code for i in indicators if i.code not in scores]
    unknown = set(scores) - {i.code for i in indicators}
    if missing or unknown:
        raise DomainError(
            E.SCORES,
            _("须为每项指标评分（缺少：%(m)s；多余：%(u)s）。")
            % {"m": "、".join(missing) or "—", "u": "、".join(sorted(unknown)) or "—"},
            field="scores",
        )
    values = {i.code: _decimal(scores[i.code], "scores") for i in indicators}
    bad = [c for c, v in values.items() if not Decimal(0) <= v <= harmony.HUNDRED]
    if bad:
        raise DomainError(
            E.SCORES, _("得分须在 0 至 100 之间：%s") % "、".join(bad), field="scores"
        )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, indicator=i, score=values[i.code])
        for i in indicators
    )
    assessment.index = harmony.enterprise_index((i.weight, values[i.code]) for i in indicators)
    assessment.scored_on, assessment.status = on, A.SCORED
    assessment.save(update_fields=["index", "scored_on", "status"])
    audit.record(
        actor=actor,
        obj=assessment,
        action="assessment.score",
        message=_("评分完成，和谐指数 %s") % assessment.index,
        changes={"和谐指数": (None, assessment.index), "评分日期": (None, on)},
    )
    return assessment
