"""At the door and after: check-in (by hand or by card), no-shows, consultations at service days."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock, lock_matching
from gonghui.core.scope import Actor, require_write

from ..errors import ActivityError as E
from ..models import (
    ACTIVE_STATUSES,
    Activity,
    ActivityKind,
    Consultation,
    ConsultationTopic,
    Registration,
)

if TYPE_CHECKING:
    pass


from ._common import S, _lock, _now, _today

# --- attendance ------------------------------------------------------------------------------


@transaction.atomic
def checkin(*, actor: Actor, registration: Registration) -> Registration:
    """Record that a registered person came (at the door, from the list or a scanned card)."""
    activity = registration.activity
    require_write(actor, activity.union)
    reg = lock(registration)
    if _today() < activity.starts_on:
        raise DomainError(E.TOO_EARLY, _("活动尚未开始，不能签到。"))
    if reg.status == S.ATTENDED:
        raise DomainError(
            E.ALREADY_CHECKED_IN,
            _("%(who)s 已于 %(t)s 签到。")
            % {"who": reg.person.name, "t": timezone.localtime(reg.attended_at).strftime("%H:%M")},
        )
    if reg.status not in (S.REGISTERED, S.NO_SHOW):
        raise DomainError(
            E.NOT_REGISTERED,
            _("%(who)s 的报名状态为“%(s)s”，没有名额。")
            % {"who": reg.person.name, "s": reg.get_status_display()},
        )
    reg.status, reg.attended_at, reg.checked_in_by_id = S.ATTENDED, _now(), actor.pk
    reg.save(update_fields=["status", "attended_at", "checked_in_by"])
    audit.record(actor=actor, obj=reg, action="registration.checkin", message=_("签到"))
    return reg


def checkin_by_card(*, actor: Actor, activity: Activity, token: str) -> list[Registration]:
    """Check in everyone the scanned membership card holds a place for in ``activity`` (a
    parent's card checks in each registered child)."""
    from gonghui.membership.cards import person_id_from_token

    require_write(actor, activity.union)
    person_id = person_id_from_token(token.strip())
    if person_id is None:
        raise DomainError(E.BAD_CARD, _("无法识别该二维码，请让职工重新打开电子会员证。"))
    regs = list(
        activity.registrations.filter(person_id=person_id, status__in=ACTIVE_STATUSES)
        .select_related("person", "activity__union")
        .order_by("pk")
    )
    if not regs:
        raise DomainError(E.NOT_REGISTERED, _("该职工没有报名本活动。"))
    pending = [r for r in regs if r.status != S.ATTENDED]
    if not pending:
        return [checkin(actor=actor, registration=regs[0])]  # raises "already checked in"
    return [checkin(actor=actor, registration=r) for r in pending]


@transaction.atomic
def record_no_shows(*, actor: Actor, activity: Activity) -> int:
    """After the activity, everyone registered who did not check in is recorded as a no-show."""
    require_write(actor, activity.union)
    locked = _lock(activity)
    if _today() <= locked.ends_on:
        raise DomainError(E.TOO_EARLY, _("活动结束后才能登记未到场人员。"))
    n = locked.registrations.filter(status=S.REGISTERED).update(status=S.NO_SHOW)
    audit.record(
        actor=actor, obj=locked, action="activity.no_shows", message=_("登记未到场 %s 人") % n
    )
    return n


# --- consultations at service days -----------------------------------------------------------


@transaction.atomic
def consultation_record(
    *, actor: Actor, activity: Activity, topic: str, count: int
) -> Consultation:
    """Set the number of consultations on ``topic`` received at a service day (one row per
    topic; recording again replaces the number, and the change is in the history)."""
    require_write(actor, activity.union)
    if activity.kind != ActivityKind.SERVICE_DAY:
        raise DomainError(E.NOT_A_SERVICE_DAY, _("只有工会流动服务日登记咨询人次。"))
    if topic not in ConsultationTopic.values:
        raise DomainError(E.BAD_STATE, _("请选择咨询类别。"), field="topic")
    if count is None or count <= 0:
        raise DomainError(E.BAD_STATE, _("咨询人次须为正整数。"), field="count")
    found = lock_matching(Consultation.objects.filter(activity=activity, topic=topic))
    row = found[0] if found else None
    before = row.count if row else None
    if row is None:
        row = Consultation(activity=activity, topic=topic, count=count)
        row.full_clean()
    row.count = count
    row.save()
    audit.record(
        actor=actor,
        obj=row,
        action="consultation.record",
        message=_("登记咨询 %(topic)s %(n)s 人次")
        % {"topic": ConsultationTopic(topic).label, "n": count},
        changes={"咨询人次": (before, count)} if before is not None else None,
    )
    return row
