"""What the activities domain puts on the workbench: registrations to close and lotteries to
draw, counted with the selector the activity list's "待办" filter uses."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Todo
from gonghui.core.scope import Actor

from .selectors import activities_to_close


def todos(actor: Actor) -> Iterator[Todo]:
    now = timezone.now()
    activities = reverse("admin:activities_activity_changelist")
    yield Todo(
        _("报名已截止、待抽签的活动"),
        activities_to_close(actor=actor, now=now, lottery=True).count(),
        f"{activities}?todo=draw",
        area="activities",
        urgent=True,
    )
    yield Todo(
        _("报名已截止、待关闭报名的活动"),
        activities_to_close(actor=actor, now=now, lottery=False).count(),
        f"{activities}?todo=close",
        area="activities",
    )
