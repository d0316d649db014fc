"""Workers' applications for aid from the portal: submit (with documents), withdraw, and the
cadre's decision (accepting proposes a disbursement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, numbers
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.locks import lock, lock_again
from gonghui.core.money import parse_money
from gonghui.core.scope import Actor, require_write, user_of
from gonghui.membership.models import Gender

from ..errors import AssistanceError as E
from ..models import AidApplication, ApplicationStatus, PaymentMethod, Programme, ProgrammeKind
from ..selectors import programmes_accepting_on
from .common import _now
from .disbursements import disbursement_propose
from .documents import _store_document, check_upload
from .eligibility import _check_eligible, _member_in_year
from .programmes import programme_covers


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    programme: Programme,
    amount_requested: Any,
    statement: str,
    medical_details: str = "",
    documents: Sequence[tuple[str, UploadedFile]] = (),
    child_name: str = "",
    child_school: str = "",
    child_grade: str = "",
) -> AidApplication:
    """A signed-in worker applies for aid under a programme open to applications today
    (ticked and within its application window), with documents; the union that keeps the
    worker's record handles it. Education aid (助学) records the child's name, school and
    grade, all three required; other programmes record no child."""
    person = getattr(actor, "person", None)
    if person is None:
        raise DomainError(E.NO_PERSON, _("您的账号尚未关联人员档案，请先认领档案。"))
    programme = lock_again(programme)  # its rules as they are now, held to the commit
    if not programme.portal_open or not programme_covers(programme, person.union):
        raise DomainError(E.NOT_OPEN, _("该项目不接受您的网上申请。"), field="programme")
    today = timezone.localdate()
    if not Programme.objects.filter(programmes_accepting_on(today), pk=programme.pk).exists():
        raise DomainError(E.NOT_OPEN, _("该项目当前不在网上申请时间内。"), field="programme")
    if not statement or not statement.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写申请理由。"), field="statement")
    value = parse_money(amount_requested, field="amount_requested")
    if programme.max_amount is not None and value > programme.max_amount:
        raise DomainError(
            E.OVER_CAP,
            _("申请金额超过本项目上限 %s 元。") % numbers.yuan(programme.max_amount),
            field="amount_requested",
        )
    if programme.women_only and person.gender != Gender.FEMALE:
        raise DomainError(E.NOT_ELIGIBLE, _("本项目仅限女职工。"))
    if programme.requires_member and not _member_in_year(person, programme.year):
        raise DomainError(E.NOT_ELIGIBLE, _("本项目仅限工会会员申请。"))
    # The rest of the programme's rules (hardship file, head of household) are checked now,
    # not only when a cadre takes the application up.
    try:
        _check_eligible(programme, person, None)
    except DomainError as err:
        raise DomainError(err.code, err.message) from None
    child = _child_fields(programme, child_name, child_school, child_grade)
    for index, (_kind, upload) in enumerate(documents, start=1):
        check_upload(upload, field=f"file{index}")  # every file checked before any is stored
    if AidApplication.objects.filter(
        person=person, programme=programme, status="submitted"
    ).exists():
        raise DomainError(E.DUPLICATE, _("您已有一份该项目的申请正在审核。"))
    application = AidApplication(
        person=person,
        union=person.union,
        programme=programme,
        amount_requested=value,
        statement=statement.strip(),
        medical_details=medical_details.strip(),
        submitted_at=_now(),
        **child,
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as err:
        raise DomainError(E.DUPLICATE, _("您已有一份该项目的申请正在审核。")) from err
    for kind, upload in documents:
        _store_document(
            actor=actor, union=person.union, kind=kind, upload=upload, application=application
        )
    audit.record(
        actor=actor,
        obj=application,
        action="aid_application.submit",
        message=_("网上申请“%(p)s”%(a)s 元，材料 %(n)s 份")
        % {"p": programme.name, "a": value, "n": len(documents)},
    )
    return application


def _child_fields(programme: Programme, name: str, school: str, grade: str) -> dict[str, str]:
    """The child's details an education-aid application must carry, checked one by one so the
    worker is told which is missing; other programmes keep none."""
    if programme.kind != ProgrammeKind.EDUCATION:
        return {}
    child = {
        "child_name": (name or "").strip(),
        "child_school": (school or "").strip(),
        "child_grade": (grade or "").strip(),
    }
    missing = {
        "child_name": _("助学申请请填写子女姓名。"),
        "child_school": _("助学申请请填写子女就读的学校。"),
        "child_grade": _("助学申请请填写子女就读的年级，例如“高一”或“大二”。"),
    }
    for field, message in missing.items():
        if not child[field]:
            raise DomainError(E.REASON_REQUIRED, message, field=field)
    return child


@transaction.atomic
def application_withdraw(*, actor: Actor, application: AidApplication) -> AidApplication:
    """The applicant withdraws an application not yet decided."""
    locked = lock(application)
    user = user_of(actor)
    if user is None or user.person_id is None or locked.person_id != user.person_id:
        raise DomainError(CoreError.NOT_FOUND, _("找不到该申请。"))
    if locked.status != ApplicationStatus.SUBMITTED:
        raise DomainError(E.BAD_STATE, _("该申请已处理，不能撤回。"))
    locked.status = ApplicationStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    audit.record(actor=actor, obj=locked, action="aid_application.withdraw", message=_("撤回申请"))
    return locked


@transaction.atomic
def application_decide(
    *,
    actor: Actor,
    application: AidApplication,
    accept: bool,
    reason: str,
    amount: Any = None,
    method: str = PaymentMethod.BANK,
    payee_account: str = "",
) -> AidApplication:
    """The handling union's cadre decides, always with a reason. Accepting proposes a
    disbursement of ``amount`` (default: the amount requested), which then needs another
    cadre's approval and the payment like any other."""
    require_write(actor, application.union)
    locked = lock(application)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise DomainError(E.BAD_STATE, _("该申请已处理。"))
    text = (reason or "").strip()
    if not text:
        raise DomainError(E.REASON_REQUIRED, _("请填写审核意见。"), field="reason")
    if accept:
        disbursement_propose(
            actor=actor,
            programme=locked.programme,
            person=locked.person,
            union=locked.union,
            amount=locked.amount_requested if amount in (None, "") else amount,
            reason=_("网上申请受理：%s") % text,
            method=method,
            payee_account=payee_account,
            medical_details=locked.medical_details,
            application=locked,
        )
    locked.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.REJECTED
    locked.decided_by = user_of(actor)
    locked.decided_at = _now()
    locked.decision_reason = text[:300]
    locked.full_clean(validate_constraints=False)
    locked.save()
    audit.record(
        actor=actor,
        obj=locked,
        action="aid_application.decide",
        message=(_("受理申请：%s") if accept else _("不予批准：%s")) % text,
    )
    return locked
