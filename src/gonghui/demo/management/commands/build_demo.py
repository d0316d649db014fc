from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gonghui.demo.builder import DemoBuilder
from gonghui.organisation.models import Union


class Command(BaseCommand):
    help = "Build the demo district (a fictional federation with its year 2015) into the database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--scale", type=float, default=1.0, help="multiply people and firms")
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if a union tree already exists"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if Union.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("The database already holds a union tree; demo not rebuilt.")
                return
            raise CommandError("The database is not empty: use --reset to rebuild the demo.")
        started = time.monotonic()
        result = DemoBuilder(seed=opts["seed"], scale=opts["scale"], log=self.stdout.write).build()
        took = time.monotonic() - started
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        self.stdout.write(f"Demo district built in {took:.1f} s: {counts}")
        self.stdout.write("Demo logins (password for all: shown below):")
        for login in result.logins:
            self.stdout.write(
                f"  {login.role:<10} {login.username:<12} {login.password}  {login.scope}"
            )
