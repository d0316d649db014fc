"""The data generators (demo builder, benchmark files) make only ID numbers that validate: in
particular no region code abolished before the holder's birth."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from gonghui.core.identifiers import normalize_ric, region_last_year
from gonghui.demo import names
from gonghui.demo.builder import DemoBuilder

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_demo_builder_numbers_validate() -> None:
    builder = DemoBuilder(seed=7, log=lambda _text: None)
    for migrant in (False, True):
        for _ in range(3000):
            ric, _region = builder.ric(migrant=migrant, latest_birth_year=2005)
            assert normalize_ric(ric) == ric


def test_demo_builder_keeps_births_within_a_regions_years(monkeypatch: Any) -> None:
    monkeypatch.setattr(names, "LOCAL_REGIONS", ("110110",))  # 燕山区, abolished in 1986
    builder = DemoBuilder(seed=7, log=lambda _text: None)
    for _ in range(500):
        ric, _region = builder.ric(migrant=False, latest_birth_year=2000)
        assert normalize_ric(ric) == ric
        assert int(ric[6:10]) <= 1986


def test_benchmark_generators_make_valid_numbers(monkeypatch: Any) -> None:
    # bench_registration writes people straight to the database with births up to 1999 from
    # the demo's regions, without validating them: every region must last that long.
    for region in names.LOCAL_REGIONS + names.MIGRANT_REGIONS[:6]:
        assert (region_last_year(region) or 0) >= 1999, region
    monkeypatch.syspath_prepend(str(BENCH))
    import bench_roster

    try:
        for regions in (bench_roster.REGIONS_100K, bench_roster.REGIONS_10K):
            for row in bench_roster.roster_rows(3000, seed=1, regions=regions):
                ric = next(v for v in row if isinstance(v, str) and len(v) == 18)
                assert normalize_ric(ric) == ric
    finally:
        sys.modules.pop("bench_roster", None)
        sys.modules.pop("_common", None)
