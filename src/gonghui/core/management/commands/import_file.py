from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gonghui.core.errors import DomainError
from gonghui.core.importing.engine import import_apply, import_check, import_create, importers
from gonghui.core.models import ImportBatch, ImportMode


class Command(BaseCommand):
    help = (
        "Check (and with --apply, import) a file of any registered kind into a union. The last "
        'line printed is one JSON object: {"rows", "new", "updated", "unchanged", "invalid", '
        '"report"}.'
    )
    #: set by a command for one kind (``import_roster``); else ``--kind`` is required
    kind: str | None = None

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        if self.kind is None:
            parser.add_argument(
                "--kind",
                required=True,
                choices=[i.key for i in importers()],
                help="what the file holds (a registered importer's key)",
            )
        parser.add_argument("--union", required=True, help="the union's code")
        parser.add_argument("--apply", action="store_true", help="write the valid rows")
        parser.add_argument(
            "--strict", action="store_true", help="with --apply: write nothing if a row is invalid"
        )
        parser.add_argument("--user", help="act as this user (default: the first superuser)")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        # The union tree is a domain's; the batch's foreign key names its model.
        union_model: Any = ImportBatch._meta.get_field("union").related_model
        union = union_model.objects.filter(code=opts["union"]).first()
        if union is None:
            raise CommandError(f"No union has the code {opts['union']!r}.")
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=opts["user"]).first()
            if opts["user"]
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("No such user (create a superuser or pass --user).")
        kind = self.kind or opts["kind"]
        try:
            batch = import_create(
                actor=actor, union=union, path=path, filename=path.name, kind=kind
            )
            if opts["apply"]:  # applying checks every row first, in the same pass
                mode = ImportMode.ALL_OR_NOTHING if opts["strict"] else ImportMode.VALID_ONLY
                batch = import_apply(actor=actor, batch=batch, mode=mode)
            else:
                import_check(actor=actor, batch=batch)
        except DomainError as err:
            raise CommandError(str(err.message)) from err
        batch.refresh_from_db()
        summary = {
            "rows": batch.rows,
            "new": batch.new,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "invalid": batch.invalid,
            "report": batch.report_file or None,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
