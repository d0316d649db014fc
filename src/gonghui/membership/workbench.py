"""What the membership domain puts on the workbench."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Card, Todo
from gonghui.core.scope import Actor

from .selectors import applications_pending, member_counts_by_union, person_list


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
