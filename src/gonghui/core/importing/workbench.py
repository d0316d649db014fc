"""What the import engine puts on the workbench: imports that failed lately and previews
that wait for someone to confirm them. The import list's "待办" filter uses the same
selectors, so a to-do's link lists exactly the batches it counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..backoffice import Todo
from ..models import ImportBatch, ImportStatus
from ..scope import Actor, scope_queryset

#: how long a failed import stays on the workbench
FAILED_RECENTLY = dt.timedelta(days=30)


def batch_list(*, actor: Actor) -> QuerySet[ImportBatch]:
    """Imports into the unions of the actor's scope."""
    return scope_queryset(actor, ImportBatch.objects.select_related("union", "actor"))


def batches_failed_recently(*, actor: Actor, now: dt.datetime) -> QuerySet[ImportBatch]:
    """Imports that failed within the last 30 days."""
    return batch_list(actor=actor).filter(
        status=ImportStatus.FAILED, created_at__gte=now - FAILED_RECENTLY
    )


def batches_to_confirm(*, actor: Actor) -> QuerySet[ImportBatch]:
    """Imports checked and previewed, waiting for someone to write (or drop) them."""
    return batch_list(actor=actor).filter(status=ImportStatus.CHECKED)


def todos(actor: Actor) -> Iterator[Todo]:
    imports = reverse("admin:core_importbatch_changelist")
    yield Todo(
        _("近 30 天导入失败的文件"),
        batches_failed_recently(actor=actor, now=timezone.now()).count(),
        f"{imports}?todo=failed",
        area="imports",
        urgent=True,
    )
    yield Todo(
        _("已校验待确认写入的导入"),
        batches_to_confirm(actor=actor).count(),
        f"{imports}?todo=checked",
        area="imports",
    )
