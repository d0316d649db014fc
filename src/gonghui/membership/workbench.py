"""What the membership domain puts on the workbench and on a union's page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Card, Panel, Todo
from gonghui.core.numbers import count
from gonghui.core.scope import Actor

from .selectors import (
    applications_pending,
    member_counts_by_union,
    members_on,
    membership_list,
    person_list,
)

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def cards(actor: Actor) -> Iterator[Card]:
    today = timezone.localdate()
    yield Card(
        _("现有会员"),
        sum(member_counts_by_union(actor=actor, on=today).values()),
        reverse("admin:membership_membership_changelist"),
        order=20,
    )
    yield Card(
        _("人员档案"),
        person_list(actor=actor).count(),
        reverse("admin:membership_person_changelist"),
        order=30,
    )


def todos(actor: Actor) -> Iterator[Todo]:
    yield Todo(
        _("待审核的入会申请"),
        applications_pending(actor=actor).count(),
        reverse("admin:membership_membershipapplication_changelist") + "?status__exact=pending",
        area="membership",
    )


def union_panel(request: HttpRequest, union: Union) -> Panel:
    """On a union's page: its members today (its own, with a link to exactly them, and its
    whole subtree's) and the applications to join it that wait for a decision."""
    actor = request.user
    today = timezone.localdate()
    own = membership_list(actor=actor).filter(union=union, ended_on__isnull=True)
    subtree = members_on(actor=actor, union=union, on=today)
    pending = applications_pending(actor=actor).filter(union=union)
    memberships = reverse("admin:membership_membership_changelist")
    return Panel(
        title=_("会员"),
        rows=[
            # The member list filters a union with its sub-unions (current members by
            # default), so the link belongs to the subtree's count.
            (_("本级在册会员"), _("%(n)s 人") % {"n": count(own.count())}, ""),
            (
                _("含下级工会会员"),
                _("%(n)s 人") % {"n": count(subtree.count())},
                f"{memberships}?union__id__exact={union.pk}",
            ),
            (
                _("待审核的入会申请"),
                _("%(n)s 份") % {"n": count(pending.count())},
                reverse("admin:membership_membershipapplication_changelist")
                + f"?union__id__exact={union.pk}&status__exact=pending",
            ),
        ],
        order=20,
    )
