"""Sending verification codes by SMS, through a pluggable backend.

``settings.SMS_BACKEND`` names a class with ``send(mobile, text)``. The default prints to the
console (development, the demo, closed networks without an SMS gateway); a deployment plugs in
its carrier's gateway with a class of its own. Such a class should hand the message over
(to a queue, a local relay) rather than wait for the carrier: the claim form sends a code only
when someone is on record, after commit but within the request, and its answer must not take
longer then.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, mobile: str, text: str) -> None: ...


class ConsoleBackend:
    """Prints the message (and keeps the last ones, for tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))
        print(f"[SMS to {mobile}] {text}")


@lru_cache(maxsize=4)
def _backend(path: str) -> Any:
    return import_string(path)()


def send(mobile: str, text: str) -> None:
    _backend(getattr(settings, "SMS_BACKEND", "gonghui.core.sms.ConsoleBackend")).send(mobile, text)
