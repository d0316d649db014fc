"""What the organisation domain puts on the workbench and on a union's page."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Card, Panel
from gonghui.core.numbers import count
from gonghui.core.scope import Actor

from .models import Union
from .selectors import cadre_list, coverage_list, enterprise_list, union_list

#: cadres named one by one on a union's page (the link lists them all)
SHOWN = 5


def cards(actor: Actor) -> Iterator[Card]:
    yield Card(
        _("存续工会组织"),
        union_list(actor=actor).filter(dissolved_on__isnull=True).count(),
        reverse("admin:organisation_union_changelist"),
        order=10,
    )
    yield Card(
        _("登记企业"),
        enterprise_list(actor=actor).count(),
        reverse("admin:organisation_enterprise_changelist"),
        order=40,
    )


def union_panel(request: HttpRequest, union: Union) -> Panel:
    """On a union's page: its sub-unions, its cadres in post and the enterprises it covers,
    each counted in the reader's scope with a link to the list of exactly those records."""
    actor = request.user
    today = timezone.localdate()
    children = union_list(actor=actor).filter(parent=union, dissolved_on__isnull=True)
    cadres = cadre_list(actor=actor).filter(union=union, ended_on__isnull=True)
    covered = coverage_list(actor=actor).filter(union=union, ended_on__isnull=True)
    rows = [
        (
            _("下级工会"),
            _("%(n)s 个") % {"n": count(children.count())},
            reverse("admin:organisation_union_changelist")
            + f"?parent__id__exact={union.pk}&state=active",
        ),
        (
            _("在任工会干部"),
            _("%(n)s 人") % {"n": count(cadres.count())},
            reverse("admin:organisation_cadre_changelist")
            + f"?union__id__exact={union.pk}&ended_on__isempty=1",
        ),
    ]
    for cadre in cadres.order_by("position", "appointed_on")[:SHOWN]:
        rows.append((str(cadre.get_position_display()), cadre.person.name, ""))
    rows.append(
        (
            _("覆盖企业"),
            _("%(n)s 家") % {"n": count(covered.count())},
            reverse("admin:organisation_coverage_changelist")
            + f"?union__id__exact={union.pk}&ended_on__isempty=1",
        )
    )
    rows.append(
        (
            _("组织树"),
            _("查看本工会及下级组织（%(on)s）") % {"on": today.isoformat()},
            reverse("admin:union_tree") + f"?root={union.pk}",
        )
    )
    return Panel(title=_("组织与干部"), rows=rows, order=10)
