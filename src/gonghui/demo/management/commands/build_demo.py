from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gonghui.demo.builder import DemoBuilder
from gonghui.demo.city import CityBuilder
from gonghui.organisation.models import Union


class Command(BaseCommand):
    help = (
        "Build the demo district (a fictional federation with its year 2015) into the database; "
        "with --scale N (N >= 2), a city of N such districts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=(
                "up to 1: one district with that share of its people and firms; "
                "a whole number N >= 2: a city of N districts, each the demo district's shape"
            ),
        )
        parser.add_argument(
            "--district-scale",
            type=float,
            default=1.0,
            help="with --scale N >= 2: the share of people and firms in each district",
        )
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if a union tree already exists"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        scale = opts["scale"]
        if scale <= 0 or (scale > 1 and (scale < 2 or scale != int(scale))):
            raise CommandError(
                "--scale is a share of one district (0 < scale <= 1) or a whole number of "
                "districts (2 or more)."
            )
        if opts["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if Union.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("The database already holds a union tree; demo not rebuilt.")
                return
            raise CommandError("The database is not empty: use --reset to rebuild the demo.")
        started = time.monotonic()
        if scale >= 2:
            city = CityBuilder(
                districts=int(scale),
                seed=opts["seed"],
                district_scale=opts["district_scale"],
                log=self.stdout.write,
            ).build()
            counts, logins = city.counts, city.logins
            what = f"City of {int(scale)} districts"
        else:
            result = DemoBuilder(seed=opts["seed"], scale=scale, log=self.stdout.write).build()
            counts, logins = result.counts, result.logins
            what = "Demo district"
        took = time.monotonic() - started
        listed = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(f"{what} built in {took:.1f} s: {listed}")
        self.stdout.write("Demo logins (password for all: shown below):")
        for login in logins:
            self.stdout.write(
                f"  {login.role:<10} {login.username:<12} {login.password}  {login.scope}"
            )
