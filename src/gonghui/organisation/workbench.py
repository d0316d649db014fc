"""What the organisation domain puts on the workbench."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Card
from gonghui.core.scope import Actor

from .selectors import enterprise_list, union_list


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
