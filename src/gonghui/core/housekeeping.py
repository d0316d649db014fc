"""Daily housekeeping: tasks that a domain registers from its ``AppConfig.ready()`` and
the background worker runs once a day.

Nothing outside the worker is needed (no cron, no scheduler process): when a worker starts,
``manage.py schedule_housekeeping`` queues one run of each registered task unless one is
already waiting, and each run queues the next for the following night with ``run_after``.
Queuing is "only if none is waiting", under a lock, so restarts and several workers never
multiply the runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task

from .locks import advisory_xact_lock

log = logging.getLogger(__name__)

# Local time (Asia/Shanghai) at which the daily runs are queued: a quiet hour.
RUN_AT = dt.time(3, 0)

_DAILY: list[Task[Any, Any]] = []


def daily(task: Task[Any, Any]) -> Task[Any, Any]:
    """Register ``task`` (taking no arguments) as daily housekeeping."""
    if all(t.module_path != task.module_path for t in _DAILY):
        _DAILY.append(task)
    return task


def registered() -> list[Task[Any, Any]]:
    return list(_DAILY)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next day's ``RUN_AT``, local time (aware)."""
    today = timezone.localdate(now or timezone.now())
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), RUN_AT))


def waiting(task: Task[Any, Any]) -> bool:
    """Whether a run of ``task`` waits in the queue. Only the database backend keeps a queue
    that can be read; with another backend nothing is ever waiting."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=task.module_path, backend_name=backend.alias, status=TaskResultStatus.READY
    ).exists()


def ensure_queued(task: Task[Any, Any], *, run_after: dt.datetime | None = None) -> bool:
    """Queue a run of ``task`` (at ``run_after``, or as soon as a worker is free) unless one
    is waiting already; whether it queued one."""
    with transaction.atomic():
        advisory_xact_lock(f"housekeeping:{task.module_path}")
        if waiting(task):
            return False
        (task.using(run_after=run_after) if run_after else task).enqueue()
    return True


def queue_next(task: Task[Any, Any], now: dt.datetime | None = None) -> bool:
    """Called at the end of a run: queue tomorrow's. A backend that cannot defer work (the
    immediate backend of tests and of setups without a worker) gets none: cron runs the
    management command there."""
    if not task.get_backend().supports_defer:
        log.info("%s: the task backend cannot defer; no next run queued", task.module_path)
        return False
    return ensure_queued(task, run_after=next_run(now))
