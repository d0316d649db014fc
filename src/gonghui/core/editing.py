"""The shared shape of an "edit these fields" service: lock, validate, save, audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from . import audit
from .errors import DomainError
from .locks import lock

M = TypeVar("M", bound=Model)

NOT_EDITABLE = "not_editable"


def refuse_unknown_fields(fields: dict[str, Any], editable: Iterable[str]) -> None:
    unknown = set(fields) - set(editable)
    if unknown:
        raise DomainError(NOT_EDITABLE, _("不能修改这些字段：%s") % ", ".join(sorted(unknown)))


def apply_edit(
    *,
    actor: Any,
    obj: M,
    fields: dict[str, Any],
    action: str,
    message: Any,
    clean_exclude: Iterable[str] = (),
) -> M:
    """Set ``fields`` on a freshly locked copy of ``obj``, validate and save it, and record the
    field changes (if any) in the audit trail. Call inside the service's transaction, after
    the service's own checks and normalization."""
    locked = lock(obj)
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=list(clean_exclude) or None)
    locked.save()
    changes = audit.diff(before, locked)
    if changes:
        audit.record(actor=actor, obj=locked, action=action, message=message, changes=changes)
    return locked
