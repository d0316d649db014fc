"""Every write to people and their membership history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, pii
from gonghui.core.editing import apply_edit, refuse_unknown_fields
from gonghui.core.errors import DomainError
from gonghui.core.identifiers import (
    IdentifierError,
    mask_ric,
    normalize_mobile,
    normalize_ric,
    ric_birth_date,
    ric_gender,
)
from gonghui.core.locks import lock, lock_again
from gonghui.core.reveal import reveal
from gonghui.core.scope import Actor, require_write

from .errors import MembershipError as E
from .models import EndReason, Membership, Person, RetainedReason, StartReason

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def _today() -> dt.date:
    return timezone.localdate()


def _ric_fields(raw: str) -> dict[str, Any]:
    try:
        ric = normalize_ric(raw, today=_today())
    except IdentifierError as err:
        raise DomainError(E.INVALID_RIC, err.message, field="ric") from err
    return {
        "ric_encrypted": pii.encrypt(ric),
        "ric_hash": pii.lookup_hash(ric),
        "ric_masked": mask_ric(ric),
        "gender": ric_gender(ric),
        "birth_date": ric_birth_date(ric),
    }


def _mobile(raw: str) -> str:
    if not raw or not raw.strip():
        return ""
    try:
        return normalize_mobile(raw)
    except IdentifierError as err:
        raise DomainError(E.INVALID_MOBILE, err.message, field="mobile") from err


def _check_day(on: dt.date, field: str = "on") -> None:
    if on > _today():
        raise DomainError(E.FUTURE_DATE, _("日期 %s 在未来，请核对。") % on, field=field)


PERSON_DETAILS = set(Person.DETAILS)
PERSON_EDITABLE = {"name", "mobile", "employer", *Person.DETAILS, "hukou", "migrant", "skill_grade"}


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    union: Union,
    name: str,
    ric: str,
    mobile: str = "",
    employer: Any = None,
    hukou: str = "",
    migrant: bool = False,
    skill_grade: str = "",
    **details: str,
) -> Person:
    """Register a person in ``union``'s records. The ID number is validated, encrypted and
    hashed; a second record with the same ID number is refused. ``details`` are the roster's
    descriptive fields (workplace, job_title, ethnicity, education, political_status)."""
    refuse_unknown_fields(details, PERSON_DETAILS)
    require_write(actor, union)
    if not name or not name.strip():
        raise DomainError(E.NAME_REQUIRED, _("姓名不能为空。"), field="name")
    fields = _ric_fields(ric)
    if Person.objects.filter(ric_hash=fields["ric_hash"]).exists():
        raise DomainError(
            E.DUPLICATE_PERSON,
            _("身份证号 %s 已有人员档案，请勿重复建档。") % fields["ric_masked"],
            field="ric",
        )
    person = Person(
        union=union,
        name=name.strip(),
        mobile=_mobile(mobile),
        employer=employer,
        hukou=hukou.strip(),
        migrant=migrant,
        skill_grade=skill_grade,
        **{k: v.strip() for k, v in details.items()},
        **fields,
    )
    person.full_clean(exclude=["ric_hash"])
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as err:  # a concurrent registration of the same number
        raise DomainError(
            E.DUPLICATE_PERSON, _("身份证号已有人员档案，请勿重复建档。"), field="ric"
        ) from err
    audit.record(actor=actor, obj=person, action="person.create", message=_("建立人员档案"))
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, ric: str | None = None, **fields: Any) -> Person:
    """Change a person's details; a corrected ID number is re-validated and re-hashed."""
    require_write(actor, person.union)
    refuse_unknown_fields(fields, PERSON_EDITABLE)
    if "mobile" in fields:
        fields["mobile"] = _mobile(fields["mobile"])
    if ric:
        ric_fields = _ric_fields(ric)
        if Person.objects.filter(ric_hash=ric_fields["ric_hash"]).exclude(pk=person.pk).exists():
            raise DomainError(E.DUPLICATE_PERSON, _("该身份证号已有人员档案。"), field="ric")
        fields.update(ric_fields)
    return apply_edit(
        actor=actor,
        obj=person,
        fields=fields,
        action="person.update",
        message=_("修改人员信息"),
        clean_exclude=["ric_hash"],
    )


def person_reveal_ric(*, actor: Actor, person: Person, reason: str) -> str:
    """The full ID number, for a role allowed to see it, with a reason; every reveal is
    logged (``core.reveal``)."""
    return reveal(
        actor=actor,
        record=person,
        person_id=person.pk,
        field="ric",
        what=_("身份证号"),
        reason=reason,
        value=lambda: pii.decrypt(person.ric_encrypted),
    )


def _lock_person(person: Person) -> Person:
    # No join here: PostgreSQL re-checks a locked row after a concurrent update against the
    # joined rows it first read, so a person whose union just changed would vanish.
    return lock(person)


def _lock_union_active(union: Union, on: dt.date) -> Any:
    """Lock the union row (so a concurrent dissolution waits) and check it can take a member
    on ``on``: founded by then and not dissolved (an open stretch in a dissolved union would
    outlive it)."""

    union = lock(union)
    if union.dissolved_on is not None:
        raise DomainError(
            E.UNION_INACTIVE,
            _("“%(u)s”已于 %(on)s 撤销，不能接收会员。")
            % {"u": union.name, "on": union.dissolved_on},
            field="union",
        )
    if not union.is_active_on(on):
        raise DomainError(
            E.UNION_INACTIVE,
            _("“%(u)s”在 %(on)s 未成立或已撤销。") % {"u": union.name, "on": on},
            field="union",
        )
    return union


@transaction.atomic
def membership_join(
    *, actor: Actor, person: Person, union: Union, on: dt.date, note: str = ""
) -> Membership:
    """``person`` joins ``union`` on ``on`` as a new member. Refused while the person has an
    open membership anywhere (that is a transfer) or if the join would overlap an earlier
    stretch."""
    require_write(actor, union)
    require_write(actor, person.union)
    _check_day(on)
    union = _lock_union_active(union, on)
    person = _lock_person(person)
    current = person.memberships.filter(ended_on__isnull=True).select_related("union").first()
    if current is not None:
        raise DomainError(
            E.ALREADY_MEMBER,
            _("%(name)s 已是“%(u)s”会员，如需变更请办理转会。")
            % {"name": person.name, "u": current.union.name},
        )
    if person.memberships.filter(ended_on__gt=on).exists():
        raise DomainError(E.BAD_DATES, _("入会日期早于该人员上一段会籍的终止日期。"), field="on")
    membership = Membership(
        person=person, union=union, started_on=on, start_reason=StartReason.JOINED, note=note
    )
    membership.full_clean()
    membership.save()
    _follow(person, union)
    audit.record(
        actor=actor,
        obj=membership,
        action="membership.join",
        message=_("%(on)s 加入“%(u)s”") % {"on": on, "u": union.name},
    )
    return membership


def _follow(person: Person, union: Union) -> None:
    """The person's record is kept by the union the person belongs to."""
    if person.union_id != union.pk:
        Person.objects.filter(pk=person.pk).update(union=union)
        person.union = union


@transaction.atomic
def membership_transfer(
    *, actor: Actor, membership: Membership, to_union: Any, on: dt.date, note: str = ""
) -> Membership:
    """Move a member to ``to_union`` on ``on``: the open stretch ends that day and a new one,
    linked to it, starts. A transfer is not a new member. The actor needs write scope on
    the union the member leaves (a receiving union cannot pull members out of another)."""
    require_write(actor, membership.union)
    require_write(actor, to_union)
    _check_day(on)
    to_union = _lock_union_active(to_union, on)
    person = _lock_person(membership.person)
    current = lock(membership)
    if current.ended_on is not None:
        raise DomainError(E.NOT_OPEN, _("该会籍已终止，不能转出。"))
    if current.union_id == to_union.pk:
        raise DomainError(E.SAME_UNION, _("转入工会与当前工会相同。"), field="to_union")
    if on < current.started_on:
        raise DomainError(E.BAD_DATES, _("转会日期不能早于本段会籍的起始日期。"), field="on")
    current.ended_on = on
    current.end_reason = EndReason.TRANSFERRED_OUT
    current.save(update_fields=["ended_on", "end_reason"])
    new = Membership(
        person=person,
        union=to_union,
        started_on=on,
        start_reason=StartReason.TRANSFERRED_IN,
        previous=current,
        retained_reason=current.retained_reason,
        retained_on=current.retained_on,
        note=note,
    )
    new.full_clean()
    new.save()
    _follow(person, to_union)
    message = _("%(on)s 由“%(a)s”转入“%(b)s”") % {
        "on": on,
        "a": current.union.name,
        "b": to_union.name,
    }
    audit.record(actor=actor, obj=current, action="membership.transfer_out", message=message)
    audit.record(actor=actor, obj=new, action="membership.transfer_in", message=message)
    return new


@transaction.atomic
def membership_leave(
    *,
    actor: Actor,
    membership: Membership,
    on: dt.date,
    reason: str = EndReason.LEFT,
    note: str = "",
) -> Membership:
    """End a membership on ``on`` because the member left (or died)."""
    require_write(actor, membership.union)
    _check_day(on)
    if reason not in (EndReason.LEFT, EndReason.DECEASED):
        raise DomainError(E.BAD_REASON, _("终止原因不正确。"), field="reason")
    _lock_person(membership.person)
    current = lock(membership)
    if current.ended_on is not None:
        raise DomainError(E.NOT_OPEN, _("该会籍已终止。"))
    if on < current.started_on:
        raise DomainError(E.BAD_DATES, _("终止日期不能早于本段会籍的起始日期。"), field="on")
    current.ended_on = on
    current.end_reason = reason
    if note:
        current.note = note
    current.save(update_fields=["ended_on", "end_reason", "note"])
    audit.record(
        actor=actor,
        obj=current,
        action="membership.leave",
        message=_("%(on)s %(why)s") % {"on": on, "why": EndReason(reason).label},
        changes={"终止日期": (None, on)},
    )
    return current


@transaction.atomic
def membership_retain(
    *, actor: Actor, membership: Membership, reason: str, on: dt.date
) -> Membership:
    """Mark an open membership as retained (保留会籍) after retirement or unemployment."""
    require_write(actor, membership.union)
    _check_day(on)
    if reason not in RetainedReason.values:
        raise DomainError(E.REASON_REQUIRED, _("请选择保留会籍的原因。"), field="reason")
    current = lock(membership)
    if current.ended_on is not None:
        raise DomainError(E.NOT_OPEN, _("该会籍已终止。"))
    if on < current.started_on:
        raise DomainError(E.BAD_DATES, _("保留会籍日期不能早于本段会籍起始日期。"), field="on")
    current.retained_reason = reason
    current.retained_on = on
    current.full_clean()
    current.save(update_fields=["retained_reason", "retained_on"])
    audit.record(
        actor=actor,
        obj=current,
        action="membership.retain",
        message=_("%(on)s 因%(why)s保留会籍") % {"on": on, "why": RetainedReason(reason).label},
    )
    return current


# --- applications to join (入会申请) ---------------------------------------------------------


@transaction.atomic
def application_submit(*, actor: Actor, union: Union, statement: str = "") -> Any:
    """A signed-in worker applies to join ``union``. One pending application at a time; a
    current member transfers instead of applying."""
    from .models import MembershipApplication

    person = getattr(actor, "person", None)
    if person is None:
        raise DomainError(E.NOT_OPEN, _("您的账号尚未关联人员档案，请先认领档案。"))
    union = lock_again(union)  # a dissolution under way is waited for and seen
    if union.dissolved_on is not None or union.kind == "federation":
        raise DomainError(E.UNION_INACTIVE, _("不能申请加入该工会。"), field="union")
    if person.memberships.filter(ended_on__isnull=True).exists():
        raise DomainError(E.ALREADY_MEMBER, _("您已是工会会员；如需变更请联系工会办理转会。"))
    if person.applications.filter(status="pending").exists():
        raise DomainError(E.ALREADY_MEMBER, _("您已有一份待审核的入会申请。"))
    application = MembershipApplication(person=person, union=union, statement=statement.strip())
    application.full_clean()
    application.save()
    audit.record(
        actor=actor,
        obj=application,
        action="application.submit",
        message=_("申请加入“%s”") % union.name,
    )
    return application


@transaction.atomic
def application_decide(
    *, actor: Actor, application: Any, approve: bool, reason: str = "", on: dt.date | None = None
) -> Any:
    """The union's cadre approves (the membership starts, joined on ``on``, default today) or
    rejects (a reason is required) a pending application."""
    from .models import ApplicationStatus

    require_write(actor, application.union)
    application = lock(application)
    if application.status != ApplicationStatus.PENDING:
        raise DomainError(E.NOT_OPEN, _("该申请已处理。"))
    if not approve and not reason.strip():
        raise DomainError(E.REASON_REQUIRED, _("不批准时请填写理由。"), field="reason")
    if approve:
        application.membership = membership_join(
            actor=actor, person=application.person, union=application.union, on=on or _today()
        )
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.reason = reason.strip()
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    audit.record(
        actor=actor,
        obj=application,
        action="application.decide",
        message=(_("批准入会") if approve else _("不批准入会：%s") % application.reason),
    )
    return application
