"""What the labour-relations domain puts on the workbench (to-dos, a chart) and on an
enterprise's page (a panel)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import charts
from gonghui.core.backoffice import Chart, Panel, Todo
from gonghui.core.scope import Actor

from . import selectors
from .models import ContractStatus

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def todos(actor: Actor) -> Iterator[Todo]:
    today = timezone.localdate()
    contracts = reverse("admin:relations_collectivecontract_changelist")
    yield Todo(
        _("逾期未书面回应的要约"),
        selectors.answers_overdue(actor=actor, today=today).count(),
        reverse("admin:relations_bargainingoffer_changelist") + "?overdue=answer",
        area="relations",
        urgent=True,
    )
    yield Todo(
        _("待报送审查的集体合同"),
        selectors.filings_due(actor=actor).count(),
        f"{contracts}?deadline=filing_due",
        area="relations",
        urgent=selectors.filings_overdue(actor=actor, today=today).exists(),
    )
    yield Todo(
        _("60日内到期的集体合同"),
        selectors.contracts_expiring(actor=actor, today=today).count(),
        reverse("admin:relations_expiring"),
        area="relations",
    )
    yield Todo(
        _("尚未完成实地采集的和谐指数测评"),
        selectors.assessments_not_collected(actor=actor, today=today).count(),
        reverse("admin:relations_assessment_changelist") + "?pending=not_collected",
        area="relations",
    )


def enterprise_panel(request: Any, enterprise: Any) -> Panel | None:
    """A summary of the enterprise's labour relations on its record page, linking to the
    enterprise's full page (which shows the details itself)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "relations_enterprise":
        return None
    known = selectors.enterprise_relations(actor=request.user, enterprise=enterprise)
    today = timezone.localdate()
    in_force = [c for c in known.contracts if c.contract.is_in_force_on(today)]
    rows = [
        (
            str(c.contract.get_kind_display()),
            _("%(title)s，有效至 %(until)s")
            % {"title": c.contract.title, "until": c.in_force_until},
            c.contract.get_absolute_url(),
        )
        for c in in_force
    ]
    if not in_force:
        rows.append((_("集体合同"), _("当前没有生效的集体合同"), ""))
    rows.append((_("集体协商要约"), _("%s 份") % len(known.offers), ""))
    scored = [a for a in known.assessments if a.index is not None]
    if scored:
        latest = max(scored, key=lambda a: a.indicator_set.year)
        rows.append((_("和谐指数"), f"{latest.index}（{latest.indicator_set.year}）", ""))
    sites = [s for s in known.demo_sites if s.withdrawn_on is None]
    if sites:
        rows.append((_("和谐示范点"), "、".join(s.get_level_display() for s in sites), ""))
    if known.csr_ratings:
        rating = known.csr_ratings[0]
        rows.append((_("企业社会责任评定"), rating.get_level_display(), ""))
    return Panel(
        title=_("劳动关系"),
        rows=rows,
        more_url=reverse("admin:relations_enterprise", args=[enterprise.pk]),
        more_label=_("查看企业劳动关系档案"),
        order=30,
    )


def contract_charts(actor: Actor, union: Union, year: int) -> Iterator[Chart]:
    """Contracts of each status per street (the union's children) at the end of ``year``."""
    children = list(union.children.order_by("path"))
    if not children:
        return
    labels = [u.name for u in children]
    by_status: dict[str, Sequence[Any]] = {}
    contracts = selectors.contract_list(actor=actor, union=union).filter(signed_on__year__lte=year)
    counts = {}
    for child in children:
        rows = (
            contracts.filter(union__path__startswith=child.path)
            .values("status")
            .annotate(n=Count("pk"))
        )
        counts[child.pk] = {r["status"]: r["n"] for r in rows}
    for status in ContractStatus:
        values = [counts[c.pk].get(status.value, 0) for c in children]
        if any(values):
            by_status[str(status.label)] = values
    yield Chart(
        key="relations.contracts_by_status",
        title=_("集体合同状态分布"),
        svg=charts.bar(_("集体合同状态分布"), labels, by_status, stacked=True),
        area="relations",
    )
