"""The one place where changes are recorded (who, when, what), in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import translation

from .identifiers import mask_mobile
from .models import AuditEntry
from .scope import path_of


@dataclass(frozen=True)
class Masked:
    """A phone number in a snapshot: the trail keeps it masked (``138****5678``), as lists show
    it, while snapshots still compare the full number, so a change of the hidden digits is
    recorded too."""

    value: str

    def __str__(self) -> str:
        return mask_mobile(self.value)


def _is_phone(field_name: str) -> bool:
    """Mobile and telephone fields (``mobile``, ``phone``, ``contact_phone``...)."""
    return field_name == "mobile" or field_name.endswith(("phone", "_mobile"))


def _plain(value: Any) -> Any:
    if isinstance(value, Masked):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | Decimal | FieldFile):
        return str(value)
    return value


def record(
    *,
    actor: Any,
    obj: Model,
    action: str,
    message: Any,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``. Call inside the writing transaction."""
    return AuditEntry.objects.create(
        object_id=str(obj.pk),
        **entry_values(
            actor=actor,
            model=type(obj),
            object_repr=str(obj),
            union_path=path_of(obj) if getattr(type(obj), "scope_lookup", None) else "",
            action=action,
            message=message,
            changes=changes,
        ),
    )


def entry_values(
    *,
    actor: Any,
    model: type[Model],
    object_repr: str,
    union_path: str,
    action: str,
    message: Any,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> dict[str, Any]:
    """The columns of an audit entry but its ``object_id``, for a writer that inserts it with
    its own SQL (the registration path, where the row lock is held): made as ``record`` makes
    them."""
    return {
        "actor_id": actor.pk if getattr(actor, "pk", None) else None,
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(model).pk,
        "object_repr": object_repr[:200],
        "union_path": union_path,
        "message": text(message),
        "changes": {k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()},
    }


def text(message: Any) -> str:
    """A message as the trail keeps it: in one language (Chinese), whatever the actor's
    interface language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def diff(before: dict[str, Any], obj: Model) -> dict[str, tuple[Any, Any]]:
    """Field changes between a snapshot (``snapshot(obj)``) and the object now."""
    after = snapshot(obj)
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}


def snapshot(obj: Model) -> dict[str, Any]:
    """The object's fields by their Chinese names, as the trail records them: ID numbers only
    in their masked field (``ric_masked``), phone numbers masked (``Masked``)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in {"id", "ric_encrypted", "ric_hash"}:
            continue
        value = getattr(obj, f.name)
        if value and _is_phone(f.name):
            out[str(f.verbose_name)] = Masked(str(value))
        else:
            out[str(f.verbose_name)] = _plain(value)
    return out


def history_for(obj: Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")
