"""The metric catalogue and its registry: every figure of a landed domain is computed."""

from __future__ import annotations

import pytest
from django.apps import apps

from gonghui.core import metrics as registry


def test_catalogue_is_the_seeds_78_figures_with_known_bounds():
    entries = registry.seed_catalogue()
    assert len(entries) == 78
    assert len({e.id for e in entries}) == 78
    assert {e.bound for e in entries} <= {"exact", "about", "at_least"}


def test_every_catalogue_figure_has_an_owning_app():
    for entry in registry.catalogue():
        assert entry.owner, entry.id


def test_every_figure_of_an_installed_domain_is_implemented():
    installed = {c.label for c in apps.get_app_configs()}
    missing = [
        e.id
        for e in registry.catalogue()
        if e.owner in installed and e.id not in registry.implemented()
    ]
    assert not missing, f"figures whose domain has landed but which nothing computes: {missing}"


def test_only_catalogue_ids_are_registered():
    assert set(registry.implemented()) <= registry.catalogue_ids()


def test_metric_refuses_an_id_outside_the_catalogue():
    with pytest.raises(KeyError):
        registry.metric("org.not_a_figure")


def test_metric_refuses_a_second_implementation_of_a_figure():
    with pytest.raises(KeyError):
        registry.metric("org.unions_founded")(lambda q: registry.MetricResult(0))
