"""Every write to the union tree, enterprises, coverage and cadres."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.editing import apply_edit, refuse_unknown_fields
from gonghui.core.errors import DomainError
from gonghui.core.identifiers import IdentifierError, normalize_mobile, normalize_uscc
from gonghui.core.locks import advisory_xact_lock, lock, lock_again
from gonghui.core.scope import Actor, require_write, user_scope

from .errors import OrganisationError as E
from .models import (
    PATH_SEGMENT,
    Cadre,
    CadrePosition,
    Coverage,
    Enterprise,
    Industry,
    JointKind,
    Union,
    UnionKind,
)

if TYPE_CHECKING:
    from gonghui.membership.models import Person

TREE_LOCK = "organisation.union_tree"

# Which kinds of union may stand under which (the "小三级" tree and joint unions).
ALLOWED_PARENTS: dict[str, set[str]] = {
    UnionKind.FEDERATION: {UnionKind.FEDERATION},
    UnionKind.STREET_FEDERATION: {UnionKind.FEDERATION},
    UnionKind.COMMUNITY: {UnionKind.STREET_FEDERATION},
    UnionKind.ENTERPRISE: {
        UnionKind.FEDERATION,
        UnionKind.STREET_FEDERATION,
        UnionKind.COMMUNITY,
    },
    UnionKind.JOINT: {UnionKind.FEDERATION, UnionKind.STREET_FEDERATION, UnionKind.COMMUNITY},
}


_CODE_FORM = re.compile(r"[A-Za-z0-9-]{2,32}")


def _clean_code(raw: str, *, exclude_pk: int | None = None) -> str:
    # The database constraint's own message names the constraint, not the rule.
    code = raw.strip()
    if not _CODE_FORM.fullmatch(code):
        raise DomainError(
            E.INVALID, _("组织代码应为 2 至 32 位字母、数字或短横线，例如 JA-SJ-01。"), field="code"
        )
    if Union.objects.filter(code__iexact=code).exclude(pk=exclude_pk or 0).exists():
        raise DomainError(E.CODE_TAKEN, _("组织代码 %s 已被其他工会使用。") % code, field="code")
    return code


def _check_founding(founded_on: dt.date | None) -> None:
    if founded_on is not None and founded_on > timezone.localdate():
        raise DomainError(
            E.BAD_DATES, _("成立日期 %s 在未来，请核对。") % founded_on, field="founded_on"
        )


def _next_child_path(parent: Union | None) -> str:
    prefix = f"{parent.path}." if parent else ""
    siblings = Union.objects.filter(parent=parent).values_list("path", flat=True)
    last = max((int(p.rsplit(".", 1)[-1]) for p in siblings), default=0)
    if last + 1 >= 10**PATH_SEGMENT:
        raise DomainError(E.TREE_FULL, _("该上级工会下的组织数量已达上限。"))
    return f"{prefix}{last + 1:0{PATH_SEGMENT}d}"


@transaction.atomic
def union_create(
    *,
    actor: Actor,
    parent: Union | None,
    name: str,
    code: str,
    kind: str,
    joint_kind: str = "",
    founded_on: dt.date | None = None,
    address: str = "",
    phone: str = "",
) -> Union:
    """Create a union under ``parent`` and give it its place in the tree.

    Tree writes are serialized by one transaction-scoped lock, so two unions created at once
    under the same parent never get the same path, and the parent is checked under it, so a
    union is never created under a parent being dissolved. Only a superuser may create a root.
    """
    if parent is None:
        if not getattr(actor, "is_superuser", False) and user_scope(actor).write is not None:
            raise DomainError(E.PARENT_REQUIRED, _("请选择上级工会。"), field="parent")
    else:
        require_write(actor, parent)
        allowed = ALLOWED_PARENTS.get(kind, set())
        if parent.kind not in allowed:
            raise DomainError(
                E.BAD_KIND_UNDER_PARENT,
                _("“%(parent)s”（%(pkind)s）下不能建立%(kind)s。")
                % {
                    "parent": parent.name,
                    "pkind": parent.get_kind_display(),
                    "kind": UnionKind(kind).label,
                },
                field="kind",
            )
    _check_founding(founded_on)
    advisory_xact_lock(TREE_LOCK)
    if parent is not None:
        # Read under the tree lock, which a dissolution holds too: the caller's copy may
        # predate a dissolution committed since.
        parent = lock_again(parent)
        if parent.dissolved_on is not None:
            raise DomainError(
                E.PARENT_DISSOLVED, _("上级工会已撤销，不能在其下建立组织。"), field="parent"
            )
    union = Union(
        parent=parent,
        name=name.strip(),
        code=_clean_code(code),
        kind=kind,
        joint_kind=joint_kind if kind == UnionKind.JOINT else "",
        founded_on=founded_on,
        address=address,
        phone=phone,
        path=_next_child_path(parent),
        depth=(parent.depth + 1) if parent else 0,
    )
    union.full_clean()
    union.save()
    audit.record(
        actor=actor,
        obj=union,
        action="union.create",
        message=_("建立%(kind)s“%(name)s”")
        % {"kind": union.get_kind_display(), "name": union.name},
        changes={str(k): (None, v) for k, v in audit.snapshot(union).items()},
    )
    return union


UNION_EDITABLE = {"name", "code", "joint_kind", "founded_on", "address", "phone"}


@transaction.atomic
def union_update(*, actor: Actor, union: Union, **fields: Any) -> Union:
    """Change a union's descriptive fields (not its place in the tree)."""
    require_write(actor, union)
    refuse_unknown_fields(fields, UNION_EDITABLE)
    if "code" in fields:
        fields["code"] = _clean_code(fields["code"], exclude_pk=union.pk)
    if "founded_on" in fields:
        _check_founding(fields["founded_on"])
    return apply_edit(
        actor=actor, obj=union, fields=fields, action="union.update", message=_("修改工会信息")
    )


@transaction.atomic
def union_dissolve(*, actor: Actor, union: Union, on: dt.date, reason: str) -> Union:
    """Dissolve a union. Its members must have been transferred or have left, and the unions
    below it must have been dissolved first; open coverages end on the same day."""
    require_write(actor, union)
    advisory_xact_lock(TREE_LOCK)
    union = lock(union)
    if union.dissolved_on is not None:
        raise DomainError(E.ALREADY_DISSOLVED, _("该工会已于%s撤销。") % union.dissolved_on)
    if union.founded_on and on < union.founded_on:
        raise DomainError(E.BAD_DATES, _("撤销日期不能早于成立日期。"), field="on")
    if union.children.filter(dissolved_on__isnull=True).exists():
        raise DomainError(E.HAS_ACTIVE_CHILDREN, _("请先撤销或划转其下属工会组织。"))
    if union.memberships.filter(ended_on__isnull=True).exists():
        raise DomainError(E.HAS_OPEN_MEMBERS, _("该工会仍有会员，请先办理转会或退会。"))
    for coverage in union.coverages.filter(ended_on__isnull=True):
        # A coverage that began that very day still lasted one day.
        last = max(on, coverage.started_on + dt.timedelta(days=1))
        coverage_end(actor=actor, coverage=coverage, on=last)
    union.dissolved_on = on
    union.dissolution_reason = reason
    union.full_clean()
    union.save()
    audit.record(
        actor=actor,
        obj=union,
        action="union.dissolve",
        message=_("撤销工会组织，原因：%s") % reason,
        changes={"撤销日期": (None, on)},
    )
    return union


def _clean_uscc(raw: str) -> str:
    try:
        return normalize_uscc(raw)
    except IdentifierError as err:
        raise DomainError(E.INVALID, err.message, field="uscc") from err


def _clean_phone(raw: str) -> str:
    if not raw:
        return ""
    try:
        return normalize_mobile(raw)
    except IdentifierError as err:
        raise DomainError(E.INVALID, err.message, field="contact_phone") from err


@transaction.atomic
def enterprise_create(
    *,
    actor: Actor,
    union: Union,
    name: str,
    uscc: str,
    industry: str = Industry.C,
    above_scale: bool = False,
    workforce: int = 0,
    address: str = "",
    contact_phone: str = "",
) -> Enterprise:
    """Register an enterprise in the area of ``union``; its credit code is validated and
    must be new to the platform."""
    require_write(actor, union)
    code = _clean_uscc(uscc)
    if Enterprise.objects.filter(uscc=code).exists():
        raise DomainError(
            E.USCC_TAKEN, _("统一社会信用代码 %s 已登记，请勿重复录入。") % code, field="uscc"
        )
    enterprise = Enterprise(
        union=union,
        name=name.strip(),
        uscc=code,
        industry=industry,
        above_scale=above_scale,
        workforce=workforce,
        address=address,
        contact_phone=_clean_phone(contact_phone),
    )
    enterprise.full_clean()
    enterprise.save()
    audit.record(actor=actor, obj=enterprise, action="enterprise.create", message=_("登记企业"))
    return enterprise


ENTERPRISE_EDITABLE = {
    "name",
    "uscc",
    "union",
    "industry",
    "above_scale",
    "workforce",
    "address",
    "contact_phone",
}


@transaction.atomic
def enterprise_update(*, actor: Actor, enterprise: Enterprise, **fields: Any) -> Enterprise:
    """Change an enterprise's details; moving it to another area needs write scope on both."""
    require_write(actor, enterprise.union)
    refuse_unknown_fields(fields, ENTERPRISE_EDITABLE)
    if "union" in fields:
        require_write(actor, fields["union"])
    if "uscc" in fields:
        fields["uscc"] = _clean_uscc(fields["uscc"])
        if Enterprise.objects.filter(uscc=fields["uscc"]).exclude(pk=enterprise.pk).exists():
            raise DomainError(E.USCC_TAKEN, _("统一社会信用代码已被其他企业使用。"), field="uscc")
    if "contact_phone" in fields:
        fields["contact_phone"] = _clean_phone(fields["contact_phone"])
    return apply_edit(
        actor=actor,
        obj=enterprise,
        fields=fields,
        action="enterprise.update",
        message=_("修改企业信息"),
    )


@transaction.atomic
def coverage_start(*, actor: Actor, union: Union, enterprise: Enterprise, on: dt.date) -> Coverage:
    """Make ``union`` cover ``enterprise`` from ``on``; an earlier open coverage of the
    enterprise ends that day. Only enterprise and joint unions cover enterprises, and an
    enterprise union covers one enterprise at a time."""
    require_write(actor, union)
    require_write(actor, enterprise.union)
    if union.kind not in (UnionKind.ENTERPRISE, UnionKind.JOINT):
        raise DomainError(E.COVERAGE_KIND, _("只有企业工会和联合工会可以覆盖企业。"), field="union")
    union = lock_again(union)  # a dissolution under way is waited for and seen
    if union.dissolved_on is not None:
        raise DomainError(E.COVERAGE_KIND, _("该工会已撤销。"), field="union")
    enterprise = lock(enterprise)
    if (
        union.kind == UnionKind.ENTERPRISE
        and union.coverages.filter(ended_on__isnull=True).exclude(enterprise=enterprise).exists()
    ):
        raise DomainError(
            E.COVERAGE_KIND,
            _("企业工会只能覆盖一家企业；覆盖多家企业请建立联合工会。"),
            field="enterprise",
        )
    if (
        enterprise.coverages.filter(ended_on__gt=on).exists()
        or enterprise.coverages.filter(ended_on__isnull=True, started_on__gte=on).exists()
    ):
        raise DomainError(
            E.COVERAGE_OVERLAP,
            _("该企业在 %s 之后已有覆盖记录，日期不能重叠。") % on,
            field="started_on",
        )
    for old in enterprise.coverages.filter(ended_on__isnull=True):
        coverage_end(actor=actor, coverage=old, on=on, check_scope=False)
    coverage = Coverage(union=union, enterprise=enterprise, started_on=on)
    coverage.full_clean()
    coverage.save()
    audit.record(
        actor=actor,
        obj=coverage,
        action="coverage.start",
        message=_("自 %(on)s 起覆盖企业“%(ent)s”") % {"on": on, "ent": enterprise.name},
    )
    return coverage


@transaction.atomic
def coverage_end(
    *, actor: Actor, coverage: Coverage, on: dt.date, check_scope: bool = True
) -> Coverage:
    """End a coverage on ``on`` (the first day it no longer applies)."""
    if check_scope:
        require_write(actor, coverage.union)
    coverage = lock(coverage)
    if coverage.ended_on is not None:
        raise DomainError(E.BAD_DATES, _("该覆盖已于 %s 终止。") % coverage.ended_on)
    if on <= coverage.started_on:
        raise DomainError(E.BAD_DATES, _("终止日期必须晚于起始日期。"), field="ended_on")
    coverage.ended_on = on
    coverage.full_clean()
    coverage.save(update_fields=["ended_on"])
    audit.record(
        actor=actor,
        obj=coverage,
        action="coverage.end",
        message=_("自 %s 起不再覆盖") % on,
        changes={"终止日期": (None, on)},
    )
    return coverage


@transaction.atomic
def cadre_appoint(
    *,
    actor: Actor,
    union: Union,
    person: Person,
    position: str,
    appointed_on: dt.date,
    full_time: bool = False,
    recruited_by_exam: bool = False,
) -> Cadre:
    """Appoint ``person`` to a post in ``union``. A person holds a given post in a union
    once at a time."""
    require_write(actor, union)
    if Cadre.objects.filter(
        union=union, person=person, position=position, ended_on__isnull=True
    ).exists():
        raise DomainError(
            E.POST_ALREADY_HELD,
            _("%(name)s 已在该工会担任%(pos)s。")
            % {"name": person.name, "pos": CadrePosition(position).label},
            field="position",
        )
    cadre = Cadre(
        union=union,
        person=person,
        position=position,
        appointed_on=appointed_on,
        full_time=full_time,
        recruited_by_exam=recruited_by_exam,
    )
    cadre.full_clean()
    cadre.save()
    audit.record(
        actor=actor,
        obj=cadre,
        action="cadre.appoint",
        message=_("任命%(name)s为%(pos)s%(ft)s")
        % {
            "name": person.name,
            "pos": cadre.get_position_display(),
            "ft": _("（专职）") if full_time and position != CadrePosition.FULL_TIME_WORKER else "",
        },
    )
    return cadre


@transaction.atomic
def cadre_end(*, actor: Actor, cadre: Cadre, on: dt.date) -> Cadre:
    """End a post on ``on``."""
    require_write(actor, cadre.union)
    cadre = lock(cadre)
    if cadre.ended_on is not None:
        raise DomainError(E.BAD_DATES, _("该职务已于 %s 离任。") % cadre.ended_on)
    if on < cadre.appointed_on:
        raise DomainError(E.BAD_DATES, _("离任日期不能早于任职日期。"), field="ended_on")
    cadre.ended_on = on
    cadre.full_clean()
    cadre.save(update_fields=["ended_on"])
    audit.record(
        actor=actor,
        obj=cadre,
        action="cadre.end",
        message=_("离任"),
        changes={"离任日期": (None, on)},
    )
    return cadre


__all__ = [
    "ALLOWED_PARENTS",
    "JointKind",
    "cadre_appoint",
    "cadre_end",
    "coverage_end",
    "coverage_start",
    "enterprise_create",
    "enterprise_update",
    "union_create",
    "union_dissolve",
    "union_update",
]
