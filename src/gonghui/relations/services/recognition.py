"""Every write to demonstration sites, CSR building (participation and ratings) and
tripartite meetings."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.scope import Actor, require_write
from gonghui.organisation.models import Enterprise, Union

from ..errors import RelationsError as E
from ..models import (
    CSR_REVIEW_YEARS,
    CsrParticipation,
    CsrRating,
    DemoSite,
    TripartiteMeeting,
)
from .contracts import _not_future


def _local_union(actor: Actor, enterprise: Enterprise, union: Union | None) -> Union:
    union = union or enterprise.union
    require_write(actor, union)
    if not enterprise.union.path.startswith(union.path):
        raise DomainError(
            E.ENTERPRISE_OUT_OF_SCOPE,
            _("企业“%(e)s”不在“%(u)s”的管辖范围内。") % {"e": enterprise, "u": union},
            field="enterprise",
        )
    return union


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def demo_site_designate(
    *,
    actor: Actor,
    enterprise: Enterprise,
    level: str,
    designated_on: dt.date,
    union: Union | None = None,
) -> DemoSite:
    """Designate ``enterprise`` a harmony demonstration site at ``level``."""
    union = _local_union(actor, enterprise, union)
    _not_future(designated_on, "designated_on")
    if DemoSite.objects.filter(enterprise=enterprise, level=level, withdrawn_on__isnull=True):
        raise DomainError(E.DUPLICATE, _("该企业已是该级别的和谐示范点。"), field="enterprise")
    site = DemoSite.objects.create(
        union=union, enterprise=enterprise, level=level, designated_on=designated_on
    )
    audit.record(
        actor=actor,
        obj=site,
        action="demo_site.designate",
        message=_("认定%s") % site,
        changes={"认定日期": (None, designated_on)},
    )
    return site


@transaction.atomic
def demo_site_withdraw(*, actor: Actor, site: DemoSite, on: dt.date, reason: str) -> DemoSite:
    """Withdraw a designation from ``on`` (it stays on file)."""
    require_write(actor, site.union)
    site = lock(site)
    if site.withdrawn_on is not None:
        raise DomainError(E.BAD_STATE, _("该示范点已于 %s 撤销。") % site.withdrawn_on)
    reason = reason.strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("请填写撤销原因。"), field="reason")
    if on <= site.designated_on:
        raise DomainError(E.BAD_DATES, _("撤销日期必须晚于认定日期。"), field="on")
    site.withdrawn_on, site.withdrawal_reason = on, reason
    site.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    audit.record(
        actor=actor,
        obj=site,
        action="demo_site.withdraw",
        message=_("撤销示范点：%s") % reason,
        changes={"撤销日期": (None, on)},
    )
    return site


@transaction.atomic
def csr_join(
    *,
    actor: Actor,
    enterprise: Enterprise,
    joined_on: dt.date,
    sme: bool | None = None,
    union: Union | None = None,
) -> CsrParticipation:
    """Enrol ``enterprise`` in CSR building (an SME unless it is above the statistical
    size threshold, by default)."""
    union = _local_union(actor, enterprise, union)
    _not_future(joined_on, "joined_on")
    if CsrParticipation.objects.filter(enterprise=enterprise, left_on__isnull=True).exists():
        raise DomainError(E.DUPLICATE, _("该企业已在参与企业社会责任建设。"), field="enterprise")
    made = CsrParticipation.objects.create(
        union=union,
        enterprise=enterprise,
        joined_on=joined_on,
        sme=(not enterprise.above_scale) if sme is None else sme,
    )
    audit.record(
        actor=actor,
        obj=made,
        action="csr.join",
        message=_("参与企业社会责任建设"),
        changes={"参与日期": (None, joined_on)},
    )
    return made


@transaction.atomic
def csr_rate(
    *,
    actor: Actor,
    enterprise: Enterprise,
    level: str,
    rated_on: dt.date,
    reviews: CsrRating | None = None,
    round: int | None = None,
    union: Union | None = None,
) -> CsrRating:
    """Rate ``enterprise`` A, B or C; with ``reviews``, the re-review of an earlier rating
    of the same enterprise (it keeps that rating's round). Re-review is due three years
    on."""
    union = _local_union(actor, enterprise, union)
    _not_future(rated_on, "rated_on")
    if reviews is not None:
        reviews = lock(reviews)
        if reviews.enterprise_id != enterprise.pk:
            raise DomainError(E.BAD_STATE, _("复核的评定须是同一企业的。"), field="reviews")
        if hasattr(reviews, "review"):
            raise DomainError(E.DUPLICATE, _("该评定已经复核。"), field="reviews")
        if rated_on <= reviews.rated_on:
            raise DomainError(E.BAD_DATES, _("复核日期须晚于原评定日期。"), field="rated_on")
        round = reviews.round
    rating = CsrRating.objects.create(
        union=union,
        enterprise=enterprise,
        level=level,
        round=round or 1,
        rated_on=rated_on,
        review_due_on=_years_later(rated_on, CSR_REVIEW_YEARS),
        reviews=reviews,
    )
    audit.record(
        actor=actor,
        obj=rating,
        action="csr.review" if reviews else "csr.rate",
        message=(_("复核企业社会责任评定：%s") if reviews else _("企业社会责任评定：%s"))
        % rating.get_level_display(),
        changes={"评定日期": (None, rated_on)},
    )
    return rating


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    union: Union,
    held_on: dt.date,
    title: str,
    bureau_participants: str,
    union_participants: str,
    employer_participants: str,
    topics: str,
    minutes: str = "",
) -> TripartiteMeeting:
    """Record a tripartite meeting held by ``union`` with its three parties, topics and
    minutes."""
    require_write(actor, union)
    _not_future(held_on, "held_on")
    meeting = TripartiteMeeting(
        union=union,
        held_on=held_on,
        title=title.strip(),
        bureau_participants=bureau_participants.strip(),
        union_participants=union_participants.strip(),
        employer_participants=employer_participants.strip(),
        topics=topics.strip(),
        minutes=minutes.strip(),
    )
    meeting.full_clean(exclude=["union"])
    meeting.save()
    audit.record(
        actor=actor,
        obj=meeting,
        action="tripartite.record",
        message=_("登记三方会议：%s") % meeting,
        changes={"会议日期": (None, held_on)},
    )
    return meeting
