"""What the honours domain shows on other records' pages: an enterprise's honours."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.core.backoffice import Panel

from .selectors import honour_list


def enterprise_panel(request: Any, enterprise: Any) -> Panel | None:
    """The honours awarded to the enterprise, as the reader may see them (none: no panel)."""
    honours = list(honour_list(actor=request.user).filter(enterprise=enterprise)[:10])
    if not honours:
        return None
    return Panel(
        title=_("荣誉"),
        rows=[
            (
                str(h.year),
                f"{h.get_level_display()}{h.get_kind_display()}"
                + ("" if h.revoked_on is None else _("（已撤销）")),
                reverse("admin:honours_honour_change", args=[h.pk]),
            )
            for h in honours
        ],
        more_url=reverse("admin:honours_honour_changelist")
        + f"?enterprise__id__exact={enterprise.pk}",
        more_label=_("查看全部荣誉"),
        order=40,
    )
