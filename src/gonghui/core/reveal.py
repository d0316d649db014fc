"""The one way personal data is shown in full: ID numbers, medical details, bank accounts,
supporting documents, a roster exported with full ID numbers.

Every reveal checks, in this order and in one transaction:

1. scope: the record belongs to a union the actor may read (otherwise it "does not exist");
2. permission: the actor may reveal personal data there (federation admins, and cadres whose
   grant says so);
3. a reason, written by the actor (required, kept with the log row);

then writes one :class:`~gonghui.core.models.PiiAccessLog` row per person revealed, and only
then produces the value. A refusal writes nothing and reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from .errors import CoreError, DomainError
from .models import PiiAccessLog
from .scope import Actor, path_of, require_user, user_scope

T = TypeVar("T")

REASON_REQUIRED = "reason_required"
REASON_MAX = 200


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if len(text) < 2:
        raise DomainError(REASON_REQUIRED, _("请填写查看事由（至少两个字）。"), field="reason")
    return text[:REASON_MAX]


def check_reveal(*, actor: Actor, path: str, what: Any) -> None:
    """Refuse unless ``actor`` may reveal ``what`` of a record of the union at ``path``."""
    scope = user_scope(actor)
    if not scope.covers(path):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该记录，或不在您的管辖范围内。"))
    if not scope.covers(path, mode="reveal"):
        raise DomainError(CoreError.PII_FORBIDDEN, _("您没有查看完整%s的权限。") % what)


def reveal(
    *,
    actor: Actor,
    record: Model,
    person_id: int,
    field: str,
    what: Any,
    reason: str,
    value: Callable[[], T],
) -> T:
    """``value()`` — the full ``field`` of ``record`` (``what`` names it for people) — for an
    actor allowed to see it, logged against the person it belongs to."""
    path = path_of(record)
    check_reveal(actor=actor, path=path, what=what)
    text = _reason(reason)
    with transaction.atomic():
        PiiAccessLog.objects.create(
            actor=require_user(actor),
            person_id=person_id,
            field=field,
            reason=text,
            union_path=path,
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=str(record.pk),
        )
        return value()


def reveal_many(
    *,
    actor: Actor,
    union: Model,
    people: Iterable[tuple[int, str]],
    field: str,
    what: Any,
    reason: str,
) -> int:
    """Log the reveal of ``field`` of many people at once (a roster exported with full ID
    numbers): ``people`` are ``(person id, union path)``; every one must be revealable by the
    actor, or nothing is logged and the export is refused. Returns the number logged."""
    text = _reason(reason)
    check_reveal(actor=actor, path=path_of(union), what=what)
    scope = user_scope(actor)
    kind = ContentType.objects.get_for_model(type(union))
    user = require_user(actor)
    rows = []
    for person_id, path in people:
        if not scope.covers(path, mode="reveal"):
            raise DomainError(CoreError.PII_FORBIDDEN, _("您没有查看完整%s的权限。") % what)
        rows.append(
            PiiAccessLog(
                actor=user,
                person_id=person_id,
                field=field,
                reason=text,
                union_path=path,
                content_type=kind,
                object_id=str(union.pk),
            )
        )
    with transaction.atomic():
        PiiAccessLog.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
