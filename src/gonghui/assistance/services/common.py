"""Small steps every assistance service shares: the clock, dates not in the future, the
subtree test, the handling union read under its lock, a required reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError
from gonghui.core.locks import lock_again

from ..errors import AssistanceError as E


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(day: dt.date, field: str) -> None:
    if day > _today():
        raise DomainError(E.BAD_DATES, _("日期 %s 在未来，请核对。") % day, field=field)


def _in_subtree(path: str, of: Any) -> bool:
    return path.startswith(of.path)


def _union_open(union: Any, *, field: str = "union") -> Any:
    """``union`` read again under its row lock, refused if dissolved: a dissolved union takes
    on no new work, and a dissolution under way is waited for and seen (``lock_again``)."""
    locked = lock_again(union)
    if locked.dissolved_on is not None:
        raise DomainError(
            E.UNION_DISSOLVED,
            _("“%(u)s”已于 %(on)s 撤销，不能办理新的业务。")
            % {"u": locked.name, "on": locked.dissolved_on},
            field=field,
        )
    return locked


def _reason(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(E.REASON_REQUIRED, _("请填写理由。"), field=field)
    return text[:200]
