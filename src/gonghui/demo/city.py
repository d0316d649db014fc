"""A city of demo districts, for benchmarks at city scale (``build_demo --scale N``).

The city federation (江城市总工会) is the root; under it N district federations, each built by
the demo's own builder (``DemoBuilder``) with the same seed, so each district is the demo
district's shape — the same streets, firms, people, activities, aid and contracts, figure for
figure — with its own name, union codes, enterprise codes, ID numbers, logins and receipt
numbers. Twenty districts hold over a million people. Everything goes through the demo's paths
(services for the upper tree and the staff, bulk inserts behind the same constraints below),
in one transaction; the tables are analyzed once it is committed (core.bulk.analyze).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import user_create
from gonghui.core.bulk import analyze
from gonghui.organisation import services as org_services
from gonghui.organisation.models import Union, UnionKind

from . import names
from .builder import DEMO_PASSWORD, BuildResult, DemoBuilder, District, Login, create_sysadmin


@dataclass
class CityResult:
    city: Union
    districts: list[BuildResult] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def district(index: int) -> District:
    """The ``index``-th district of a city: the first is the demo's 江岸区 exactly."""
    if index < len(names.DISTRICTS):
        place, code = names.DISTRICTS[index]
    else:
        place, code = f"第{index + 1}区", f"D{index + 1:02d}"
    return District(
        place=place,
        code=code,
        # Enterprise codes carry the district's region (330104 is the demo's).
        uscc_region=f"3301{4 + index:02d}" if index < 96 else f"33{index:04d}",
        login_prefix="" if index == 0 else f"{code.lower()}_",
        receipt_suffix="" if index == 0 else code,
    )


class CityBuilder:
    def __init__(
        self,
        *,
        districts: int,
        seed: int = 2015,
        district_scale: float = 1.0,
        log: Callable[[str], Any] = print,
    ) -> None:
        if districts < 1:
            raise ValueError("a city has at least one district")
        self.districts = districts
        self.seed = seed
        self.district_scale = district_scale
        self.log = log

    def build(self) -> CityResult:
        with transaction.atomic():
            actor = create_sysadmin()
            city_name, city_code = names.CITY
            city = org_services.union_create(
                actor=actor,
                parent=None,
                name=f"{city_name}总工会",
                code=city_code,
                kind=UnionKind.FEDERATION,
                founded_on=dt.date(1950, 5, 1),
                address=f"{city_name}解放路 1 号",
            )
            result = CityResult(city=city)
            taken_rics: set[str] = set()
            for i in range(self.districts):
                started = time.monotonic()
                builder = DemoBuilder(
                    seed=self.seed,
                    scale=self.district_scale,
                    log=self.log,
                    district=district(i),
                    parent=city,
                    taken_rics=taken_rics,
                )
                built = builder.build(actor=actor, analyze_after=False)
                result.districts.append(built)
                result.logins += built.logins
                self.log(
                    f"district {i + 1}/{self.districts} {builder.district.place} built in "
                    f"{time.monotonic() - started:.1f} s"
                )
            R = RoleGrant.Role
            for username, name, role in (
                ("city_admin", "市总工会管理员", R.FEDERATION_ADMIN),
                ("city_leader", "市领导", R.LEADER),
            ):
                user_create(
                    actor=actor,
                    username=username,
                    password=DEMO_PASSWORD,
                    name=name,
                    role=role,
                    union=city,
                )
                result.logins.append(
                    Login(
                        role=str(R(role).label),
                        username=username,
                        password=DEMO_PASSWORD,
                        scope=city.name,
                    )
                )
            result.counts = {
                k: sum(d.counts[k] for d in result.districts) for k in result.districts[0].counts
            }
        started = time.monotonic()
        analyze()
        self.log(f"analyzed in {time.monotonic() - started:.1f} s")
        return result
