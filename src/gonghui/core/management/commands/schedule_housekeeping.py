from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gonghui.core import housekeeping


class Command(BaseCommand):
    help = (
        "Queue one run of each daily housekeeping task unless one is already waiting; each run "
        "queues the next. Run it when a background worker starts (make demo, "
        "deploy/worker.service ExecStartPre); running it again queues nothing more."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        for task in housekeeping.registered():
            queued = housekeeping.ensure_queued(task)
            if opts["verbosity"] >= 1:
                state = "queued" if queued else "already queued"
                self.stdout.write(f"{task.module_path}: {state}")
