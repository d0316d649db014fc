"""Background work of the import engine: checking and applying long files with progress, and
the daily removal of import files past their retention."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_tasks import task

from gonghui.core import housekeeping
from gonghui.core.errors import DomainError
from gonghui.core.models import ImportBatch, ImportStatus

from .engine import import_apply, import_check
from .retention import import_files_purge

log = logging.getLogger(__name__)


def _unexpected(batch_id: int, status: str) -> None:
    log.exception("import batch %s failed", batch_id)
    ImportBatch.objects.filter(pk=batch_id).update(
        status=status,
        message=_("处理时发生意外错误，请检查文件后重新上传；如仍出错请联系系统管理员。"),
    )


@task()
def check_import(batch_id: int, actor_id: int) -> None:
    """Check an uploaded file; any failure is recorded on the batch for the user to read."""
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        import_check(actor=actor, batch=batch)
    except DomainError:
        pass  # the service marked the batch failed, with its message
    except Exception:
        _unexpected(batch_id, ImportStatus.FAILED)


@task()
def apply_import(batch_id: int, actor_id: int, mode: str) -> None:
    """Write a checked file; a refusal goes back on the batch for the user to read."""
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        import_apply(actor=actor, batch=batch, mode=mode)
    except DomainError as err:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.CHECKED, message=str(err.message)
        )
    except Exception:
        _unexpected(batch_id, ImportStatus.CHECKED)


@task()
def purge_import_files() -> int:
    """Daily: remove the import files past their retention (``retention.import_files_purge``),
    then queue tomorrow's run, also after a failure, so one bad day does not end the cycle."""
    try:
        return import_files_purge(actor=None)
    finally:
        housekeeping.queue_next(purge_import_files)
