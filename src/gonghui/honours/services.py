"""Every write to honours: award and revoke."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.locks import lock
from gonghui.core.scope import Actor, require_write
from gonghui.membership.models import Person
from gonghui.organisation.models import Enterprise, Union

from .errors import HonourError as E
from .models import PERSON_KINDS, UNION_KINDS, UNIT_KINDS, YEAR_MAX, YEAR_MIN, Honour, HonourKind

RECIPIENT_FIELDS = {"person", "recipient_union", "enterprise"}


def _recipient(
    person: Person | None, recipient_union: Union | None, enterprise: Enterprise | None
) -> tuple[str, Any, str]:
    """The one recipient given: (field name, object, the union path it belongs to)."""
    given = [
        (name, obj)
        for name, obj in (
            ("person", person),
            ("recipient_union", recipient_union),
            ("enterprise", enterprise),
        )
        if obj is not None
    ]
    if not given:
        raise DomainError(
            E.RECIPIENT_REQUIRED,
            _("请填写获得者：“获得者（个人）”“获得者（工会）”“获得者（企业）”中的一项。"),
            field="person",
        )
    if len(given) > 1:
        raise DomainError(
            E.RECIPIENT_AMBIGUOUS,
            _("一项荣誉只有一个获得者：个人、工会、企业只能填写一项。"),
            field=given[1][0],
        )
    name, obj = given[0]
    path = obj.path if isinstance(obj, Union) else obj.union.path
    return name, obj, path


def _check_kind(kind: str, field: str) -> None:
    label = HonourKind(kind).label
    if kind in PERSON_KINDS and field != "person":
        raise DomainError(
            E.RECIPIENT_KIND,
            _("“%s”须授予个人，请在“获得者（个人）”中选择人员。") % label,
            field="person",
        )
    if kind in UNIT_KINDS and field == "person":
        raise DomainError(
            E.RECIPIENT_KIND,
            _("“%s”须授予集体，请选择获得者工会或企业，不填个人。") % label,
            field="person",
        )
    if kind in UNION_KINDS and field != "recipient_union":
        raise DomainError(
            E.RECIPIENT_KIND,
            _("“%s”须授予工会，请在“获得者（工会）”中选择。") % label,
            field="recipient_union",
        )


@transaction.atomic
def honour_award(
    *,
    actor: Actor,
    union: Union,
    kind: str,
    level: str,
    year: int,
    person: Person | None = None,
    recipient_union: Union | None = None,
    enterprise: Enterprise | None = None,
    awarded_on: dt.date | None = None,
    title: str = "",
) -> Honour:
    """Record that exactly one recipient (a person, a union or an enterprise) was awarded an
    honour of ``kind`` and ``level`` in ``year``, kept by ``union``.

    The recipient must be inside ``union``'s subtree, a person-kind goes to a person and a
    unit-kind to a unit, ``awarded_on`` (if given) falls in ``year``, and the same recipient
    never holds the same kind, level and year twice (also a database constraint).
    """
    require_write(actor, union)
    field, recipient, path = _recipient(person, recipient_union, enterprise)
    _check_kind(kind, field)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(
            E.BAD_YEAR, _("年度 %(y)s 不在 1950 至 2100 之间。") % {"y": year}, field="year"
        )
    if awarded_on is not None and awarded_on.year != year:
        raise DomainError(
            E.BAD_DATES,
            _("授予日期 %(on)s 不在 %(y)s 年度内。") % {"on": awarded_on, "y": year},
            field="awarded_on",
        )
    if not path.startswith(union.path):
        raise DomainError(
            E.RECIPIENT_OUT_OF_SCOPE,
            _("获得者“%(who)s”不在保管工会“%(union)s”的管辖范围内。")
            % {"who": recipient, "union": union.name},
            field=field,
        )
    honour = Honour(
        union=union,
        kind=kind,
        level=level,
        year=year,
        awarded_on=awarded_on,
        title=title.strip(),
        person=person,
        recipient_union=recipient_union,
        enterprise=enterprise,
    )
    if (
        kind != HonourKind.OTHER
        and Honour.objects.filter(kind=kind, level=level, year=year, **{field: recipient}).exists()
    ):
        raise DomainError(
            E.DUPLICATE,
            _("获得者“%(who)s”已获得%(y)s年度%(level)s“%(kind)s”，不能重复登记。")
            % {
                "who": recipient,
                "y": year,
                "level": honour.get_level_display(),
                "kind": honour.get_kind_display(),
            },
            field=field,
        )
    # Each constraint of Meta was checked above with a message naming its field, and the
    # database enforces them and the foreign keys (given here as loaded objects); Django's
    # generic validation would repeat them at eleven queries per honour.
    honour.full_clean(exclude=RECIPIENT_FIELDS | {"union"}, validate_constraints=False)
    honour.save()
    audit.record(
        actor=actor,
        obj=honour,
        action="honour.award",
        message=_("登记荣誉：%s") % honour,
        changes={
            str(k): (None, v) for k, v in audit.snapshot(honour).items() if v not in ("", None)
        },
    )
    return honour


@transaction.atomic
def honour_revoke(*, actor: Actor, honour: Honour, on: dt.date, reason: str) -> Honour:
    """Revoke an honour from ``on``: it stays on file, and no longer counts from that day."""
    require_write(actor, honour.union)
    honour = lock(honour)
    if honour.revoked_on is not None:
        raise DomainError(E.ALREADY_REVOKED, _("该荣誉已于 %s 撤销。") % honour.revoked_on)
    reason = reason.strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("请填写撤销原因。"), field="reason")
    earliest = honour.awarded_on or dt.date(honour.year, 1, 1)
    if on < earliest:
        raise DomainError(E.BAD_DATES, _("撤销日期不能早于授予日期（%s）。") % earliest, field="on")
    if on > timezone.localdate():
        raise DomainError(E.BAD_DATES, _("撤销日期 %s 在未来，请核对。") % on, field="on")
    honour.revoked_on, honour.revoked_reason = on, reason
    honour.full_clean()
    honour.save(update_fields=["revoked_on", "revoked_reason"])
    audit.record(
        actor=actor,
        obj=honour,
        action="honour.revoke",
        message=_("撤销荣誉，原因：%s") % reason,
        changes={"撤销日期": (None, on), "撤销原因": ("", reason)},
    )
    return honour
