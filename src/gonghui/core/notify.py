"""Telling a worker something: a notification in the portal, and an SMS after commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from . import sms
from .models import Notification

if TYPE_CHECKING:
    from gonghui.membership.models import Person


def notify(person: Person, text: Any, *, link: str = "") -> Notification:
    """Leave ``text`` in the person's portal inbox; send it by SMS once the caller commits."""
    with translation.override(settings.LANGUAGE_CODE):
        message = str(text)
    note = Notification.objects.create(person=person, text=message[:300], link=link)
    mobile = getattr(person, "mobile", "")
    if mobile:
        transaction.on_commit(lambda: sms.send(mobile, message))
    return note


def notify_many(people_texts: list[tuple[Any, Any]], *, link: str = "") -> None:
    """Notify several people at once (an activity cancelled: every registrant)."""
    with translation.override(settings.LANGUAGE_CODE):
        rows = [Notification(person=p, text=str(t)[:300], link=link) for p, t in people_texts]
    Notification.objects.bulk_create(rows, batch_size=1000)
    sends = [(p.mobile, r.text) for (p, _t), r in zip(people_texts, rows, strict=True) if p.mobile]
    if sends:

        def send_all() -> None:
            for mobile, text in sends:
                sms.send(mobile, text)

        transaction.on_commit(send_all)


def own_notifications(*, person: Person, limit: int = 50) -> list[Notification]:
    """A worker's latest messages (the portal shows nothing of anyone else's)."""
    return list(Notification.objects.filter(person=person)[:limit])


def notifications_mark_read(*, person: Person) -> int:
    """Mark the worker's unread messages read (they have just been shown)."""
    return Notification.objects.filter(person=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
