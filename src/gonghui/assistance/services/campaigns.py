"""The Spring Breeze Action: campaigns, donations with gapless receipt numbers, voiding, and
the commendation of the largest unit donors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.money import parse_money
from gonghui.core.scope import require_write
from gonghui.membership.models import Person

from ..errors import AssistanceError as E
from ..models import UNIT_DONOR_KINDS, Campaign, Donation, DonorCommendation, DonorKind
from .common import _in_subtree, _not_future, _now, _reason, _union_open


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    union: Any,
    year: int,
    name: str,
    receipt_prefix: str,
    target: Any = None,
) -> Campaign:
    """Open a year's Spring Breeze Action for ``union``."""
    require_write(actor, union)
    if not re.match(r"^[A-Z0-9]{2,12}$", receipt_prefix or ""):
        raise DomainError(
            E.BAD_DONOR, _("收据编号前缀为 2 至 12 位大写字母或数字。"), field="receipt_prefix"
        )
    union = _union_open(union)
    campaign = Campaign(
        union=union,
        year=year,
        name=(name or "").strip(),
        receipt_prefix=receipt_prefix,
        target=None if target in (None, "") else parse_money(target, field="target"),
    )
    campaign.full_clean()
    campaign.save()
    audit.record(actor=actor, obj=campaign, action="campaign.create", message=_("发起春风行动"))
    return campaign


def _take_receipt_numbers(campaign: Campaign, n: int) -> list[str]:
    """Reserve ``n`` receipt numbers under a lock on the campaign row (gapless, unique)."""
    locked = lock(campaign)
    first = locked.next_receipt_no
    Campaign.objects.filter(pk=locked.pk).update(next_receipt_no=F("next_receipt_no") + n)
    return [f"{locked.receipt_prefix}-{first + i:06d}" for i in range(n)]


@transaction.atomic
def donation_record(
    *,
    actor: Any,
    campaign: Campaign,
    union: Any,
    donor_kind: str,
    donor_name: str,
    amount: Any,
    donated_on: dt.date,
    donor_enterprise: Any = None,
    donor_union: Any = None,
    donor_person: Person | None = None,
) -> Donation:
    """Record a donation collected by ``union`` (in the campaign union's subtree) and give
    it the campaign's next receipt number."""
    require_write(actor, union)
    if not _in_subtree(union.path, campaign.union):
        raise DomainError(E.OUT_OF_PROGRAMME, _("收款工会不在该活动范围内。"), field="union")
    if donor_kind not in DonorKind.values:
        raise DomainError(E.BAD_DONOR, _("请选择捐款方类型。"), field="donor_kind")
    name = (donor_name or "").strip()
    if not name:
        name = (
            str(donor_enterprise or donor_union or donor_person or "")
            if (donor_enterprise or donor_union or donor_person)
            else ""
        )
    if not name:
        raise DomainError(E.BAD_DONOR, _("请填写捐款单位或个人名称。"), field="donor_name")
    if donor_kind == DonorKind.PERSON and (donor_enterprise or donor_union):
        raise DomainError(E.BAD_DONOR, _("个人捐款不能关联企业或工会。"), field="donor_kind")
    value = parse_money(amount)
    _not_future(donated_on, "donated_on")
    if donated_on.year != campaign.year:
        raise DomainError(
            E.BAD_DATES, _("捐款日期须在活动年度 %s 年内。") % campaign.year, field="donated_on"
        )
    union = _union_open(union)
    (receipt,) = _take_receipt_numbers(campaign, 1)
    donation = Donation(
        campaign=campaign,
        union=union,
        donor_kind=donor_kind,
        donor_name=name[:200],
        donor_enterprise=donor_enterprise,
        donor_union=donor_union,
        donor_person=donor_person,
        amount=value,
        donated_on=donated_on,
        receipt_no=receipt,
        recorded_by=actor,
        recorded_at=_now(),
    )
    donation.full_clean()
    donation.save()
    audit.record(
        actor=actor,
        obj=donation,
        action="donation.record",
        message=_("登记捐款 %(a)s 元，收据 %(r)s") % {"a": value, "r": receipt},
    )
    return donation


@transaction.atomic
def donation_void(*, actor: Any, donation: Donation, reason: str) -> Donation:
    """Void a mistaken donation record (its receipt number stays used)."""
    require_write(actor, donation.union)
    locked = lock(donation)
    if locked.voided_at is not None:
        raise DomainError(E.BAD_STATE, _("该捐款记录已作废。"))
    locked.voided_by, locked.voided_at, locked.void_reason = actor, _now(), _reason(reason)
    locked.save(update_fields=["voided_by", "voided_at", "void_reason"])
    audit.record(
        actor=actor,
        obj=locked,
        action="donation.void",
        message=_("作废捐款记录：%s") % locked.void_reason,
    )
    return locked


def donor_unit_totals(campaign: Campaign) -> list[dict[str, Any]]:
    """Unit donors of a campaign with their totals, largest first (voided ones left out)."""
    rows = (
        Donation.objects.filter(
            campaign=campaign, voided_at__isnull=True, donor_kind__in=UNIT_DONOR_KINDS
        )
        .values("donor_kind", "donor_name")
        .annotate(total=Sum("amount"))
        .order_by("-total", "donor_name")
    )
    return [dict(r) for r in rows]


@transaction.atomic
def campaign_commend_top_donors(
    *, actor: Any, campaign: Campaign, n: int, on: dt.date
) -> list[DonorCommendation]:
    """Commend the ``n`` unit donors with the largest totals (捐款先进单位), once per campaign."""
    require_write(actor, campaign.union)
    locked = lock(campaign)
    if locked.commendations.exists():
        raise DomainError(E.ALREADY_COMMENDED, _("本次活动已表彰过捐款先进单位。"))
    if n < 1:
        raise DomainError(E.BAD_DONOR, _("表彰数量至少为 1。"), field="n")
    _not_future(on, "on")
    rows = donor_unit_totals(locked)[:n]
    if not rows:
        raise DomainError(E.BAD_DONOR, _("本次活动还没有单位捐款。"))
    made = [
        DonorCommendation(
            campaign=locked,
            union=locked.union,
            donor_kind=row["donor_kind"],
            donor_name=row["donor_name"],
            total=row["total"],
            rank=i + 1,
            commended_on=on,
            commended_by=actor,
        )
        for i, row in enumerate(rows)
    ]
    DonorCommendation.objects.bulk_create(made)
    audit.record(
        actor=actor,
        obj=locked,
        action="campaign.commend",
        message=_("表彰捐款先进单位 %s 家") % len(made),
    )
    return made
