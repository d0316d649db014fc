"""How long uploaded import files are kept.

An uploaded file and its error report hold every row as it was typed (a roster's full ID
numbers included). They are needed while the import is checked, applied or corrected, not
afterwards: ``settings.IMPORT_FILE_RETENTION_DAYS`` after the upload they are removed. The
batch stays (who imported what, when, and its counts), and remembers when its files went;
undo does not need them (it works from what the batch recorded writing).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.models import ImportBatch

from .engine import batch_files

log = logging.getLogger(__name__)


def retention() -> dt.timedelta:
    return dt.timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)


def files_removed_after(batch: ImportBatch) -> dt.datetime:
    """When the files of ``batch`` become due for removal."""
    return batch.created_at + retention()


def expired_batches(*, now: dt.datetime) -> QuerySet[ImportBatch]:
    """Batches uploaded more than the retention period before ``now`` whose files are kept."""
    return ImportBatch.objects.filter(
        created_at__lte=now - retention(), files_removed_at__isnull=True
    )


def import_files_purge(*, actor: Any | None, now: dt.datetime | None = None) -> int:
    """Remove the uploaded file and the error report of every batch uploaded more than
    ``IMPORT_FILE_RETENTION_DAYS`` before ``now``; the number of batches purged.

    Each batch in a transaction of its own: its row locked (a batch being applied right now
    holds that lock and is left for the next run), its files unlinked, ``files_removed_at``
    set and one audit entry recorded; a file that cannot be removed rolls that batch back so
    it is tried again next time. Running it again removes nothing more (idempotent).
    ``actor`` is None when the scheduled task runs it.
    """
    now = now or timezone.now()
    purged = 0
    for pk in expired_batches(now=now).order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                batch = (
                    expired_batches(now=now)
                    .select_for_update(skip_locked=True)
                    .select_related("union")
                    .filter(pk=pk)
                    .first()
                )
                if batch is None:
                    continue  # being applied, or purged meanwhile
                for path in batch_files(batch):
                    path.unlink(missing_ok=True)
                batch.files_removed_at = now
                batch.save(update_fields=["files_removed_at"])
                audit.record(
                    actor=actor,
                    obj=batch,
                    action="roster_import.files_removed",
                    message=_("按保留期限（上传后 %(days)d 天）删除上传的文件及错误报告")
                    % {"days": settings.IMPORT_FILE_RETENTION_DAYS},
                )
        except OSError:
            log.exception("import batch %s: its files could not be removed", pk)
            continue
        purged += 1
    return purged
