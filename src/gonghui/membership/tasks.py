"""Background work of the membership domain: long roster imports with progress."""

from __future__ import annotations

import contextlib

from django.contrib.auth import get_user_model
from django_tasks import task

from gonghui.core.errors import DomainError

from .importing import roster_import_apply, roster_import_check
from .models import ImportBatch, ImportStatus


@task()
def check_roster(batch_id: int, actor_id: int) -> None:
    """Check an uploaded roster (a failure is recorded on the batch by the service)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = get_user_model().objects.get(pk=actor_id)
    # A refusal is recorded on the batch ("failed", with the message for the user).
    with contextlib.suppress(DomainError):
        roster_import_check(actor=actor, batch=batch)


@task()
def apply_roster(batch_id: int, actor_id: int, mode: str) -> None:
    """Write a checked roster; a refusal goes back on the batch for the user to read."""
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        roster_import_apply(actor=actor, batch=batch, mode=mode)
    except DomainError as err:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.CHECKED, message=str(err.message)
        )
