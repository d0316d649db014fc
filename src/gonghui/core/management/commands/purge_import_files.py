from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from gonghui.core.importing.retention import import_files_purge


class Command(BaseCommand):
    help = (
        "Remove uploaded import files and their error reports older than "
        "IMPORT_FILE_RETENTION_DAYS (the batches and their counts stay). The background worker "
        "does this daily; this command is for cron or by hand, and may be run any number of times."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        purged = import_files_purge(actor=None)
        self.stdout.write(
            f"Removed the files of {purged} import batch(es) uploaded more than "
            f"{settings.IMPORT_FILE_RETENTION_DAYS} days ago."
        )
