"""The labour-relations pages of the back office beyond the lists: contracts expiring (with
"start renewal"), the deadlines due and overdue, the three rates with their drill-down, and
one page per enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from gonghui.core.backoffice import panels_for
from gonghui.core.errors import DomainError
from gonghui.core.export import xlsx_bytes, xlsx_response
from gonghui.core.numbers import count, percent
from gonghui.core.scope import can_write_anything
from gonghui.organisation.selectors import (
    coverage_list,
    enterprise_get,
    union_get,
    union_list,
    union_roots,
)

from . import rates, selectors, services


def _union(request: HttpRequest) -> Any:
    raw = request.GET.get("union") or request.POST.get("union")
    if raw:
        try:
            return union_get(actor=request.user, id=int(raw))
        except (DomainError, ValueError):
            raise Http404(_("找不到该工会组织，或不在您的管辖范围内。")) from None
    root = union_roots(actor=request.user).first()
    if root is None:
        raise Http404(_("您的账号没有可统计的工会组织。"))
    return root


def _day(request: HttpRequest, name: str = "on") -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()


def _page(request: HttpRequest, **context: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **context}


def _unions(request: HttpRequest, union: Any) -> Any:
    return union_list(actor=request.user).filter(depth__lte=union.depth + 1)[:500]


# --- contracts expiring -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def expiring_view(request: HttpRequest) -> HttpResponse:
    """Contracts of the union's subtree expiring in the next 60 days; "start renewal" sends
    the renewal offer and opens it."""
    if request.method == "POST":
        return _start_renewal(request)
    union = _union(request)
    today = _day(request)
    contracts = selectors.contracts_expiring(actor=request.user, today=today, union=union)
    rows = list(contracts.prefetch_related("coverages__enterprise", "renewal_offers")[:500])
    context = _page(
        request,
        title=_("60日内到期的集体合同"),
        subtitle=union.name,
        union=union,
        unions=_unions(request, union),
        today=today,
        rows=rows,
        can_write=can_write_anything(request.user),
    )
    return TemplateResponse(request, "relations/expiring.html", context)


def _start_renewal(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("next") or reverse("admin:relations_expiring")
    if not back.startswith("/"):
        back = reverse("admin:relations_expiring")
    try:
        contract = selectors.contract_get(actor=request.user, id=int(request.POST["contract"]))
        offered_on = dt.date.fromisoformat(request.POST.get("offered_on", ""))
    except (DomainError, KeyError, ValueError):
        messages.error(request, str(_("请选择要续签的合同并填写要约日期。")))
        return HttpResponseRedirect(back)
    try:
        offer = services.contract_start_renewal(
            actor=request.user, contract=contract, offered_on=offered_on
        )
    except DomainError as err:
        messages.error(request, str(err.message))
        return HttpResponseRedirect(back)
    messages.success(
        request,
        str(_("已向%(party)s发出续签要约，书面回应期限为 %(due)s。"))
        % {"party": offer.employer_party, "due": offer.answer_due_on},
    )
    return HttpResponseRedirect(reverse("admin:relations_bargainingoffer_change", args=[offer.pk]))


# --- deadlines ------------------------------------------------------------------------------


def deadlines_view(request: HttpRequest) -> HttpResponse:
    """What is due and overdue on the statutory path, in the union's subtree."""
    union = _union(request)
    today = timezone.localdate()
    actor = request.user
    contracts_url = reverse("admin:relations_collectivecontract_changelist")
    offers_url = reverse("admin:relations_bargainingoffer_changelist")
    sections = [
        (
            _("逾期未报送审查的合同"),
            selectors.filings_overdue(actor=actor, today=today, union=union),
            "filing_due_on",
            f"{contracts_url}?deadline=filing_overdue",
        ),
        (
            _("待报送审查的合同"),
            selectors.filings_due(actor=actor, union=union).filter(filing_due_on__gte=today),
            "filing_due_on",
            f"{contracts_url}?deadline=filing_due",
        ),
        (
            _("审查期满、待登记生效的合同"),
            selectors.reviews_lapsed(actor=actor, today=today, union=union),
            "objection_ends_on",
            f"{contracts_url}?deadline=review_lapsed",
        ),
        (
            _("待向职工公布的合同"),
            selectors.publications_due(actor=actor, union=union),
            "publish_due_on",
            f"{contracts_url}?deadline=publish_due",
        ),
        (
            _("逾期未书面回应的要约"),
            selectors.answers_overdue(actor=actor, today=today, union=union),
            "answer_due_on",
            f"{offers_url}?overdue=answer",
        ),
        (
            _("逾期未开始协商的要约"),
            selectors.talks_overdue(actor=actor, today=today, union=union),
            "talks_due_on",
            f"{offers_url}?overdue=talks",
        ),
    ]
    shown = [
        {
            "title": title,
            "count": qs.count(),
            "rows": [(obj, getattr(obj, field)) for obj in qs[:20]],
            "url": url,
        }
        for title, qs, field, url in sections
    ]
    context = _page(
        request,
        title=_("集体合同与要约期限"),
        subtitle=union.name,
        union=union,
        unions=_unions(request, union),
        today=today,
        sections=shown,
    )
    return TemplateResponse(request, "relations/deadlines.html", context)


# --- the three rates -------------------------------------------------------------------------


def _rate_columns(key: str) -> list[tuple[Any, Any]]:
    if key == rates.FULFILMENT:
        return [
            (_("合同名称"), lambda c: c.title),
            (_("签约工会"), lambda c: c.union.name),
            (_("期满日期"), lambda c: c.expires_on),
            (_("提前终止日期"), lambda c: c.terminated_on),
            (_("履约检查日期"), lambda c: c.checked_on),
            (_("履约情况"), lambda c: c.get_fulfilment_display()),
        ]
    columns: list[tuple[Any, Any]] = [
        (_("企业名称"), lambda e: e.name),
        (_("统一社会信用代码"), lambda e: e.uscc),
        (_("属地工会"), lambda e: e.union.name),
        (_("职工人数"), lambda e: e.workforce),
    ]
    if key == rates.COVERAGE:
        columns.append((_("覆盖职工人数"), lambda e: getattr(e, "workers_covered", None)))
    return columns


def rates_view(request: HttpRequest) -> HttpResponse:
    """The three rates of the union's subtree on a day, each with its 口径, and the records
    counted and not counted by the chosen one."""
    union = _union(request)
    on = _day(request)
    key = request.GET.get("rate", rates.ESTABLISHMENT)
    if key not in rates.RATES:
        raise Http404
    shown = request.GET.get("list", "counted")
    all_rates = [
        (k, rates.DEFINITIONS[k], rates.rate(k, actor=request.user, union=union, on=on))
        for k in rates.RATES
    ]
    chosen = next(r for k, _d, r in all_rates if k == key)
    records = chosen.counted if shown == "counted" else chosen.not_counted
    columns = _rate_columns(key)
    definition = rates.DEFINITIONS[key]
    if request.GET.get("format") == "xlsx":
        label = _("计入") if shown == "counted" else _("未计入")
        content = xlsx_bytes(definition.zh, columns, records.order_by("pk").iterator(2000))
        return xlsx_response(f"{union.name}{on}{definition.zh}-{label}", content)
    page = Paginator(records.order_by("pk"), 100).get_page(request.GET.get("page"))
    context = _page(
        request,
        title=_("集体合同“三率”"),
        subtitle=f"{union.name} · {on}",
        union=union,
        unions=_unions(request, union),
        on=on,
        cards=[
            {
                "key": k,
                "name": d.zh,
                "definition": d.definition_zh,
                "value": percent(r.value, places=2),
                "numerator": count(r.numerator),
                "denominator": count(r.denominator),
                "records": d.records_zh,
            }
            for k, d, r in all_rates
        ],
        key=key,
        shown=shown,
        definition=definition,
        headers=[label for label, _g in columns],
        table=[(obj, [get(obj) for _l, get in columns]) for obj in page.object_list],
        page=page,
        fulfilment=key == rates.FULFILMENT,
    )
    return TemplateResponse(request, "relations/rates.html", context)


# --- one enterprise --------------------------------------------------------------------------


def enterprise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the platform knows of one enterprise that the reader may see: who covers
    it and since when, its contracts, offers, assessments, ratings and sites, and the panels
    other domains register for an enterprise."""
    try:
        enterprise = enterprise_get(actor=request.user, id=pk)
    except DomainError:
        raise Http404(_("找不到该企业，或不在您的管辖范围内。")) from None
    known = selectors.enterprise_relations(actor=request.user, enterprise=enterprise)
    context = _page(
        request,
        title=enterprise.name,
        subtitle=_("企业劳动关系档案"),
        enterprise=enterprise,
        coverages=coverage_list(actor=request.user).filter(enterprise=enterprise),
        known=known,
        today=timezone.localdate(),
        panels=panels_for(request, enterprise),
    )
    return TemplateResponse(request, "relations/enterprise.html", context)
