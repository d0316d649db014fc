from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gonghui.core.backoffice import Card, Todo

from .selectors import loan_list, overdue


def todos(actor: Any) -> Iterator[Todo]:
    yield Todo(
        "逾期未还的图书",
        overdue(actor=actor, on=timezone.localdate()).count(),
        reverse("admin:sampledomain_overdue"),
        urgent=True,
    )


def cards(actor: Any) -> Iterator[Card]:
    yield Card("借阅记录", loan_list(actor=actor).count(), order=90)
