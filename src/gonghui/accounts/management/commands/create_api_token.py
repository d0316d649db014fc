from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gonghui.accounts.models import User
from gonghui.accounts.services import TOKEN_DAYS, api_token_create
from gonghui.core.scope import SYSTEM


class Command(BaseCommand):
    help = "Make a bearer token for the JSON API and print it (it is not shown again)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="what the token is for")
        parser.add_argument("--days", type=int, default=TOKEN_DAYS)

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {opts['username']!r}.")
        self.stdout.write(
            api_token_create(actor=SYSTEM, user=user, name=opts["name"], days=opts["days"])
        )
