"""What the activities domain puts on the workbench: registrations to close and lotteries to
draw, counted with the selector the activity list's "待办" filter uses; and a union's
activities on its page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Panel, Todo
from gonghui.core.metrics import Period
from gonghui.core.numbers import count
from gonghui.core.scope import Actor, subtree_queryset

from .selectors import activities_to_close, activity_list, held_in

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


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


def union_panel(request: HttpRequest, union: Union) -> Panel:
    """On a union's page: the activities it organised (a link to exactly them) and those of
    its whole subtree, by year of the latest."""
    actor = request.user
    own = activity_list(actor=actor).filter(union=union)
    subtree = subtree_queryset(activity_list(actor=actor), union)
    latest = subtree.aggregate(last=Max("starts_on"))["last"]
    activities = reverse("admin:activities_activity_changelist")
    rows = [
        (
            _("本级主办的活动"),
            _("%(n)s 场") % {"n": count(own.count())},
            f"{activities}?union__id__exact={union.pk}",
        )
    ]
    if latest is not None:
        held = held_in(actor=actor, union=union, period=Period.of(latest.year))
        rows.append(
            (
                _("%(year)s年举办（含下级）") % {"year": latest.year},
                _("%(n)s 场") % {"n": count(held.count())},
                "",
            )
        )
    return Panel(title=_("活动"), rows=rows, order=40)
