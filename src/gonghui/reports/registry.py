"""The metric registry: each report figure is a function owned by its domain's metrics.py.

``@metric("org.unions_founded")`` registers ``fn(scope_union, year) -> MetricResult``; the
result carries the value and the queryset it counted, so every figure can be drilled down to
its records. The catalogue (``catalogue.csv``, the seed's 78 figures) says what each id means.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

# Which app owns which figure (by id prefix, then by id). A figure must be implemented
# once its owning app is installed; tests/reports/test_registry.py holds the platform to it.
OWNER_BY_ID: dict[str, str] = {
    "org.unions_founded": "organisation",
    "org.enterprises_covered_new": "organisation",
    "org.staff_recruited": "organisation",
    "org.fulltime_staff_total": "organisation",
    "org.members_joined": "membership",
    "org.yihui_yipin_projects": "honours",
    "org.cadre_training_person_times": "administration",
    "org.exchange_visit_person_times": "administration",
    "org.research_outputs": "administration",
    "mayday.model_worker_condolences": "assistance",
    "services.wechat_followers": "casework",
    "employment.online_job_postings": "casework",
    # Worker libraries, interest groups and in-house papers are standing bodies, not
    # activities: they belong to the culture domain (not landed yet).
    "culture.libraries_national": "culture",
    "culture.libraries_provincial_municipal": "culture",
    "culture.interest_groups": "culture",
    "culture.enterprise_publications": "culture",
    "skills.competition_participants": "skills",
    "skills.above_scale_participation_rate": "skills",
    "skills.innovation_projects_excellent": "skills",
    "skills.rationalisation_proposals": "skills",
    "skills.economic_value_wan": "skills",
}
OWNER_BY_PREFIX: dict[str, str] = {
    "relations": "relations",
    "skills": "skills",
    "honours": "honours",
    "mayday": "activities",
    "culture": "activities",
    "services": "activities",
    "employment": "activities",
    "assistance": "assistance",
    "migrant": "activities",
}


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    area: str
    zh: str
    en: str
    unit: str
    value: str
    bound: str
    definition: str
    definition_zh: str = ""

    @property
    def owner(self) -> str:
        return OWNER_BY_ID.get(self.id) or OWNER_BY_PREFIX[self.id.split(".", 1)[0]]

    @property
    def seed_value(self) -> Decimal:
        return Decimal(self.value)


@dataclass
class MetricResult:
    """A computed figure and the records behind it."""

    value: Decimal | int
    records: QuerySet[Any] | None = None


MetricFn = Callable[[Any, int], MetricResult]
_REGISTRY: dict[str, MetricFn] = {}


@cache
def catalogue() -> tuple[CatalogueEntry, ...]:
    path = Path(__file__).with_name("catalogue.csv")
    with path.open(encoding="utf-8") as fh:
        return tuple(CatalogueEntry(**row) for row in csv.DictReader(fh))


def catalogue_ids() -> set[str]:
    return {e.id for e in catalogue()}


def metric(metric_id: str) -> Callable[[MetricFn], MetricFn]:
    """Register ``fn`` as the computation of catalogue figure ``metric_id``."""
    if metric_id not in catalogue_ids():
        raise KeyError(f"{metric_id} is not in the metric catalogue")

    def decorate(fn: MetricFn) -> MetricFn:
        if metric_id in _REGISTRY and _REGISTRY[metric_id] is not fn:
            raise KeyError(f"{metric_id} is registered twice")
        _REGISTRY[metric_id] = fn
        return fn

    return decorate


def implemented() -> dict[str, MetricFn]:
    return dict(_REGISTRY)


def compute(metric_id: str, union: Any, year: int) -> MetricResult | None:
    fn = _REGISTRY.get(metric_id)
    return fn(union, year) if fn else None


def autodiscover() -> None:
    """Import every installed app's metrics module so its figures register."""
    for config in apps.get_app_configs():
        if config.name.startswith("gonghui."):
            try:
                import_module(f"{config.name}.metrics")
            except ModuleNotFoundError as err:
                if err.name != f"{config.name}.metrics":
                    raise
