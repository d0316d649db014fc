"""Every write of hardship files, aid, disbursements and the Spring Breeze campaign.

Money rules (docs/assistance.md, docs/decisions/0009):

* amounts are ``Decimal`` yuan, > 0, at most two decimal places, within the programme's cap;
* a disbursement is approved by someone other than its proposer; approval commits the
  amount to the programme's budget and payment adds it to "paid", both by ``F()`` updates
  while the programme row and then the disbursement row are locked (always in that order,
  so concurrent approvals and payments serialize and never deadlock);
* a paid disbursement never changes; a correction is a reversal record (once only);
* a person (and a family) has at most one live disbursement per programme and period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, pii
from gonghui.core.editing import apply_edit, refuse_unknown_fields
from gonghui.core.errors import CoreError, DomainError
from gonghui.core.locks import lock_again
from gonghui.core.models import PiiAccessLog
from gonghui.core.scope import can_reveal, require_write, user_scope
from gonghui.membership.models import Gender, Person

from .errors import AssistanceError as E
from .models import (
    CAUSES,
    LIVE_STATES,
    UNIT_DONOR_KINDS,
    AidApplication,
    AidDocument,
    ApplicationStatus,
    Campaign,
    CondolenceVisit,
    Disbursement,
    DisbursementReversal,
    DisbursementState,
    DocumentKind,
    Donation,
    DonorCommendation,
    DonorKind,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    LeaveReason,
    PaymentMethod,
    Programme,
    ProgrammeKind,
    RecipientKind,
    Relation,
    ReviewOutcome,
)

S = DisbursementState
CENT = Decimal("0.01")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The first bytes of each allowed type: the name's extension alone proves nothing.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
_CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_CONTENT_TYPES[".png"] = "image/png"
_PERIOD = re.compile(r"^[0-9]{4}(-.{1,11})?$")
_ACCOUNT = re.compile(r"^[0-9]{12,30}$")


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(day: dt.date, field: str) -> None:
    if day > _today():
        raise DomainError(E.BAD_DATES, _("日期 %s 在未来，请核对。") % day, field=field)


def money(value: Any, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """``value`` as Decimal yuan with two places; refuses floats' noise, signs and fractions
    of a fen with a message that names the field."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(
            E.BAD_AMOUNT, _("金额“%s”不是有效的数字。") % value, field=field
        ) from None
    if not amount.is_finite():
        raise DomainError(E.BAD_AMOUNT, _("金额不是有效的数字。"), field=field)
    if abs(amount) >= Decimal("1e12"):  # before quantize, which fails on huge values
        raise DomainError(E.BAD_AMOUNT, _("金额过大，请核对。"), field=field)
    if amount != amount.quantize(CENT):
        raise DomainError(E.BAD_AMOUNT, _("金额最多保留两位小数（到分）。"), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(E.BAD_AMOUNT, _("金额必须大于 0 元。"), field=field)
    if amount >= Decimal("1e12"):
        raise DomainError(E.BAD_AMOUNT, _("金额过大，请核对。"), field=field)
    return amount.quantize(CENT)


def _in_subtree(path: str, of: Any) -> bool:
    return path.startswith(of.path)


def _union_open(union: Any, *, field: str = "union") -> Any:
    """``union`` read again under its row lock, refused if dissolved: a dissolved union takes
    on no new work, and a dissolution under way is waited for and seen (``lock_again``)."""
    locked = lock_again(union)
    if locked.dissolved_on is not None:
        raise DomainError(
            E.UNION_DISSOLVED,
            _("“%(u)s”已于 %(on)s 撤销，不能办理新的业务。")
            % {"u": locked.name, "on": locked.dissolved_on},
            field=field,
        )
    return locked


def _reason(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(E.REASON_REQUIRED, _("请填写理由。"), field=field)
    return text[:200]


# --- documents ------------------------------------------------------------------------------
def check_upload(upload: UploadedFile, *, field: str = "file") -> tuple[str, str]:
    """Refuse anything but a pdf, jpg or png of at most 10 MB whose content matches its name.
    Returns (suffix, content type)."""
    name = upload.name or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in _SIGNATURES:
        raise DomainError(
            E.BAD_FILE,
            _("文件“%s”的类型不允许：只能上传 PDF、JPG 或 PNG 文件。") % name,
            field=field,
        )
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            E.BAD_FILE,
            _("文件“%(name)s”太大（%(mb).1f MB）：单个文件不能超过 10 MB。")
            % {"name": name, "mb": (upload.size or 0) / 1024 / 1024},
            field=field,
        )
    if upload.size == 0:
        raise DomainError(E.BAD_FILE, _("文件“%s”是空文件。") % name, field=field)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        raise DomainError(
            E.BAD_FILE,
            _("文件“%s”的内容与扩展名不符，请上传真实的 PDF、JPG 或 PNG 文件。") % name,
            field=field,
        )
    return suffix, _CONTENT_TYPES[suffix]


def _store_document(
    *, actor: Any, union: Any, kind: str, upload: UploadedFile, **owner: Any
) -> AidDocument:
    _suffix, content_type = check_upload(upload)
    if kind not in DocumentKind.values:
        raise DomainError(E.BAD_FILE, _("请选择材料类型。"), field="kind")
    doc = AidDocument(
        union=union,
        kind=kind,
        original_name=(upload.name or "")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
        **owner,
    )
    doc.file.save(upload.name or "upload", upload, save=False)
    try:
        doc.full_clean(exclude=["file"])
        with transaction.atomic():
            doc.save()
    except Exception:
        doc.file.delete(save=False)  # nothing half-written: no file without its row
        raise
    return doc


@transaction.atomic
def hardship_document_add(
    *, actor: Any, file: HardshipFile, kind: str, upload: UploadedFile
) -> AidDocument:
    """Attach a supporting document (pdf/jpg/png, ≤ 10 MB) to a hardship file."""
    require_write(actor, file.union)
    doc = _store_document(
        actor=actor, union=file.union, kind=kind, upload=upload, hardship_file=file
    )
    audit.record(
        actor=actor,
        obj=file,
        action="hardship.document_add",
        message=_("上传证明材料：%s") % doc.get_kind_display(),
    )
    return doc


def document_open(*, actor: Any, document: AidDocument, reason: str = "") -> Any:
    """Open a document for ``actor``: only a cadre of the handling union's subtree with the
    reveal permission may; each view is written to the personal-data access log."""
    scope = user_scope(actor)
    path = document.union.path
    if not scope.covers(path):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该材料，或不在您的管辖范围内。"))
    if not can_reveal(actor, path):
        raise DomainError(CoreError.PII_FORBIDDEN, _("您没有查看帮扶证明材料的权限。"))
    with transaction.atomic():
        PiiAccessLog.objects.create(
            actor=actor,
            person=document.owner_person(),
            field="aid_document",
            reason=(reason.strip() or str(_("查看帮扶证明材料：%s") % document))[:200],
            union_path=path,
        )
    return document.file.open("rb")


def medical_details_reveal(*, actor: Any, obj: Disbursement | AidApplication) -> str:
    """The medical details of a disbursement or application, for a cadre allowed to see
    them; each reveal is logged."""
    path = obj.union.path
    if not user_scope(actor).covers(path):
        raise DomainError(CoreError.NOT_FOUND, _("找不到该记录，或不在您的管辖范围内。"))
    if not can_reveal(actor, path):
        raise DomainError(CoreError.PII_FORBIDDEN, _("您没有查看病情等敏感信息的权限。"))
    with transaction.atomic():
        PiiAccessLog.objects.create(
            actor=actor,
            person=obj.person,
            field="medical_details",
            reason=str(_("查看病情信息：%s") % obj)[:200],
            union_path=path,
        )
    return obj.medical_details


# --- hardship files -------------------------------------------------------------------------
def _causes(causes: Iterable[str]) -> dict[str, bool]:
    chosen = set(causes)
    names = {name for name, _label in CAUSES}
    unknown = chosen - names
    if unknown:
        raise DomainError(E.BAD_HOUSEHOLD, _("致困原因不正确。"), field="causes")
    if not chosen:
        raise DomainError(E.BAD_HOUSEHOLD, _("请至少选择一项致困原因。"), field="causes")
    return {name: name in chosen for name in names}


def _check_income(income: Decimal, threshold: Decimal) -> None:
    if income > threshold:
        raise DomainError(
            E.NOT_ELIGIBLE,
            _("家庭月人均收入 %(i)s 元高于当地困难标准 %(t)s 元，不符合建档条件。")
            % {"i": income, "t": threshold},
            field="income_per_head",
        )


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def hardship_file_create(
    *,
    actor: Any,
    union: Any,
    head: Person,
    filed_on: dt.date,
    household_size: int,
    income_per_head: Any,
    threshold: Any,
    causes: Iterable[str],
    situation: str = "",
    address: str = "",
) -> HardshipFile:
    """File a hardship family whose head is kept in ``union``'s subtree. The household's
    monthly income per head must be at or below the local threshold; a head has at most one
    open file (the database holds it too). The first review falls due a year later."""
    require_write(actor, union)
    if not _in_subtree(head.union.path, union):
        raise DomainError(
            E.NOT_ELIGIBLE, _("户主“%s”不在本工会管辖范围内。") % head.name, field="head"
        )
    _not_future(filed_on, "filed_on")
    income = money(income_per_head, field="income_per_head", allow_zero=True)
    limit = money(threshold, field="threshold")
    _check_income(income, limit)
    if household_size is None or household_size < 1:
        raise DomainError(E.BAD_HOUSEHOLD, _("家庭人口至少为 1 人。"), field="household_size")
    union = _union_open(union)
    Person.objects.select_for_update().get(pk=head.pk)  # serialize two filings of one head
    if HardshipFile.objects.filter(head=head, left_on__isnull=True).exists():
        raise DomainError(
            E.ALREADY_ON_FILE, _("“%s”家庭已在档，请勿重复建档。") % head.name, field="head"
        )
    file = HardshipFile(
        union=union,
        head=head,
        filed_on=filed_on,
        household_size=household_size,
        income_per_head=income,
        threshold=limit,
        situation=situation.strip(),
        address=address.strip(),
        review_due_on=one_year_after(filed_on),
        created_by=actor,
        **_causes(causes),
    )
    file.full_clean()
    file.save()
    audit.record(
        actor=actor,
        obj=file,
        action="hardship.create",
        message=_("建立困难职工档案：%(name)s 家庭，%(n)s 人，月人均收入 %(i)s 元")
        % {"name": head.name, "n": household_size, "i": income},
    )
    return file


HARDSHIP_EDITABLE = {"household_size", "situation", "address", *(n for n, _l in CAUSES)}


@transaction.atomic
def hardship_file_update(*, actor: Any, file: HardshipFile, **fields: Any) -> HardshipFile:
    """Correct a file's description (household size, causes, situation, address). Income
    changes go through a review, which keeps their history."""
    require_write(actor, file.union)
    refuse_unknown_fields(fields, HARDSHIP_EDITABLE)
    return apply_edit(
        actor=actor, obj=file, fields=fields, action="hardship.update", message=_("修改困难档案")
    )


@transaction.atomic
def hardship_member_add(
    *,
    actor: Any,
    file: HardshipFile,
    name: str,
    relation: str,
    birth_year: int | None = None,
    situation: str = "",
) -> HouseholdMember:
    """Add a household member (other than the head) to a hardship file."""
    require_write(actor, file.union)
    if not name or not name.strip():
        raise DomainError(E.BAD_HOUSEHOLD, _("请填写家庭成员姓名。"), field="name")
    if relation not in Relation.values:
        raise DomainError(E.BAD_HOUSEHOLD, _("请选择与户主的关系。"), field="relation")
    if birth_year is not None and not (1900 <= birth_year <= _today().year):
        raise DomainError(E.BAD_HOUSEHOLD, _("出生年份不正确。"), field="birth_year")
    member = HouseholdMember(
        file=file,
        name=name.strip(),
        relation=relation,
        birth_year=birth_year,
        situation=situation.strip(),
    )
    member.full_clean()
    member.save()
    audit.record(
        actor=actor,
        obj=file,
        action="hardship.member_add",
        message=_("登记家庭成员：%s") % member,
    )
    return member


@transaction.atomic
def hardship_review(
    *,
    actor: Any,
    file: HardshipFile,
    reviewed_on: dt.date,
    income_per_head: Any,
    threshold: Any,
    keep: bool,
    note: str = "",
    leave_reason: str = LeaveReason.INCOME_RAISED,
) -> HardshipReview:
    """Record the yearly review of a file on file. Keeping it moves the next review a year
    on; an income above the threshold cannot be kept on file; leaving ends the file on the
    review day with ``leave_reason``."""
    require_write(actor, file.union)
    locked = HardshipFile.objects.select_for_update().get(pk=file.pk)
    if locked.left_on is not None:
        raise DomainError(E.NOT_ON_FILE, _("该家庭已退出档案，不能复核。"))
    _not_future(reviewed_on, "reviewed_on")
    if reviewed_on < locked.filed_on or (
        locked.last_reviewed_on and reviewed_on < locked.last_reviewed_on
    ):
        raise DomainError(
            E.BAD_DATES, _("复核日期不能早于建档日期或上次复核日期。"), field="reviewed_on"
        )
    income = money(income_per_head, field="income_per_head", allow_zero=True)
    limit = money(threshold, field="threshold")
    if keep:
        _check_income(income, limit)
    elif leave_reason not in LeaveReason.values:
        raise DomainError(E.REASON_REQUIRED, _("请选择退出原因。"), field="leave_reason")
    review = HardshipReview(
        file=locked,
        reviewed_on=reviewed_on,
        income_per_head=income,
        threshold=limit,
        outcome=ReviewOutcome.KEEP if keep else ReviewOutcome.LEAVE,
        note=note.strip()[:200],
        reviewed_by=actor,
    )
    review.full_clean()
    review.save()
    locked.last_reviewed_on = reviewed_on
    locked.income_per_head = income
    locked.threshold = limit
    locked.review_due_on = one_year_after(reviewed_on)
    if not keep:
        locked.left_on = reviewed_on
        locked.left_reason = leave_reason
        locked.left_note = note.strip()[:200]
    locked.full_clean()
    locked.save()
    audit.record(
        actor=actor,
        obj=locked,
        action="hardship.review",
        message=(
            _("%(on)s 年度复核：月人均收入 %(i)s 元，%(out)s")
            % {"on": reviewed_on, "i": income, "out": review.get_outcome_display()}
        ),
    )
    return review


@transaction.atomic
def hardship_file_leave(
    *, actor: Any, file: HardshipFile, on: dt.date, reason: str, note: str = ""
) -> HardshipFile:
    """A family leaves the file on ``on`` for ``reason`` (dynamic management)."""
    require_write(actor, file.union)
    locked = HardshipFile.objects.select_for_update().get(pk=file.pk)
    if locked.left_on is not None:
        raise DomainError(E.NOT_ON_FILE, _("该家庭已退出档案。"))
    if reason not in LeaveReason.values:
        raise DomainError(E.REASON_REQUIRED, _("请选择退出原因。"), field="reason")
    _not_future(on, "on")
    if on < locked.filed_on:
        raise DomainError(E.BAD_DATES, _("退出日期不能早于建档日期。"), field="on")
    locked.left_on = on
    locked.left_reason = reason
    locked.left_note = note.strip()[:200]
    locked.full_clean()
    locked.save(update_fields=["left_on", "left_reason", "left_note"])
    audit.record(
        actor=actor,
        obj=locked,
        action="hardship.leave",
        message=_("%(on)s 退出档案：%(why)s") % {"on": on, "why": LeaveReason(reason).label},
        changes={"退出日期": (None, on)},
    )
    return locked


# --- programmes -----------------------------------------------------------------------------
PROGRAMME_FIELDS = {
    "name",
    "eligibility",
    "requires_member",
    "requires_hardship_file",
    "women_only",
    "max_amount",
    "budget",
    "funder",
    "portal_open",
}


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    union: Any,
    name: str,
    kind: str,
    year: int,
    budget: Any,
    recipient_kind: str = RecipientKind.PERSON,
    max_amount: Any = None,
    **fields: Any,
) -> Programme:
    """Open an aid programme of ``union`` for ``year`` with its budget and rules."""
    require_write(actor, union)
    refuse_unknown_fields(fields, PROGRAMME_FIELDS)
    if kind not in ProgrammeKind.values:
        raise DomainError(E.NOT_ELIGIBLE, _("请选择项目类别。"), field="kind")
    if not name or not name.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写项目名称。"), field="name")
    union = _union_open(union)
    programme = Programme(
        union=union,
        name=name.strip(),
        kind=kind,
        year=year,
        recipient_kind=recipient_kind,
        budget=money(budget, field="budget", allow_zero=True),
        max_amount=None if max_amount in (None, "") else money(max_amount, field="max_amount"),
        **fields,
    )
    programme.full_clean()
    programme.save()
    audit.record(
        actor=actor,
        obj=programme,
        action="programme.create",
        message=_("设立帮扶项目，预算 %s 元") % programme.budget,
    )
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, **fields: Any) -> Programme:
    """Change a programme's rules or budget; the budget never drops below what is committed
    (the row is locked, so no approval slips in between)."""
    require_write(actor, programme.union)
    refuse_unknown_fields(fields, PROGRAMME_FIELDS)
    if "budget" in fields:
        fields["budget"] = money(fields["budget"], field="budget", allow_zero=True)
        committed = Programme.objects.select_for_update().get(pk=programme.pk).committed
        if fields["budget"] < committed:
            raise DomainError(
                E.OVER_BUDGET,
                _("预算不能低于已批准的金额 %s 元。") % committed,
                field="budget",
            )
    if fields.get("max_amount") not in (None, ""):
        fields["max_amount"] = money(fields["max_amount"], field="max_amount")
    elif "max_amount" in fields:
        fields["max_amount"] = None
    return apply_edit(
        actor=actor,
        obj=programme,
        fields=fields,
        action="programme.update",
        message=_("修改帮扶项目"),
    )


def programme_covers(programme: Programme, union: Any) -> bool:
    """A programme of union U serves U's subtree."""
    return union.path.startswith(programme.union.path)


# --- disbursements --------------------------------------------------------------------------
def _period(programme: Programme, period: str | None) -> str:
    value = (period or str(programme.year)).strip()
    if not _PERIOD.match(value) or int(value[:4]) != programme.year:
        raise DomainError(
            E.BAD_PERIOD,
            _("期次须以项目年度 %(y)s 开头，例如 %(y)s 或 %(y)s-春节。") % {"y": programme.year},
            field="period",
        )
    return value


def _member_in_year(person: Person, year: int) -> bool:
    return person.memberships.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(year, 1, 1)),
        started_on__lte=dt.date(year, 12, 31),
    ).exists()


def _file_in_year(qs: Any, year: int) -> Any:
    return qs.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=dt.date(year, 1, 1)),
        filed_on__lte=dt.date(year, 12, 31),
    )


def _check_eligible(
    programme: Programme, person: Person, family: HardshipFile | None
) -> HardshipFile | None:
    year = programme.year
    if programme.women_only and person.gender != Gender.FEMALE:
        raise DomainError(E.NOT_ELIGIBLE, _("本项目仅限女职工。"), field="person")
    if programme.requires_member and not _member_in_year(person, year):
        raise DomainError(
            E.NOT_ELIGIBLE,
            _("“%s”在项目年度不是工会会员，不符合申领条件。") % person.name,
            field="person",
        )
    if family is None and (
        programme.requires_hardship_file or programme.recipient_kind == RecipientKind.HOUSEHOLD
    ):
        family = _file_in_year(HardshipFile.objects.filter(head=person), year).first()
    if family is not None:
        if family.head_id != person.pk and programme.recipient_kind == RecipientKind.HOUSEHOLD:
            raise DomainError(E.NOT_ELIGIBLE, _("按户发放时受助人须为户主。"), field="person")
        if not _file_in_year(HardshipFile.objects.filter(pk=family.pk), year).exists():
            raise DomainError(
                E.NOT_ON_FILE, _("该家庭在项目年度不在困难职工档案中。"), field="family"
            )
    if programme.requires_hardship_file and family is None:
        raise DomainError(
            E.NOT_ELIGIBLE,
            _("本项目限建档困难职工家庭，“%s”家庭不在档。") % person.name,
            field="person",
        )
    return family


def _account(raw: str) -> tuple[str, str]:
    digits = re.sub(r"[\s-]", "", raw or "")
    if not digits:
        return "", ""
    if not _ACCOUNT.match(digits):
        raise DomainError(E.BAD_AMOUNT, _("银行账号应为 12 至 30 位数字。"), field="payee_account")
    return pii.encrypt(digits), f"{digits[:4]}****{digits[-4:]}"


@transaction.atomic
def disbursement_propose(
    *,
    actor: Any,
    programme: Programme,
    person: Person,
    amount: Any,
    reason: str,
    period: str | None = None,
    union: Any = None,
    family: HardshipFile | None = None,
    visit: CondolenceVisit | None = None,
    method: str = PaymentMethod.BANK,
    payee_account: str = "",
    medical_details: str = "",
    application: AidApplication | None = None,
    at: dt.datetime | None = None,
) -> Disbursement:
    """Propose a payment to ``person`` (for a household programme: the head of the family)
    under ``programme`` and ``period`` (default: the programme's year), handled by ``union``
    (default: the union that keeps the person). Refused if the person is outside the actor's
    write scope or the programme's, not eligible, above the cap, or already has a live
    disbursement for that programme and period (the database holds it too)."""
    union = union or person.union
    require_write(actor, union)
    # The handling union and the programme's rules as they are now, held to the commit (the
    # caller's copies may predate a dissolution or a change of the rules).
    union = _union_open(union)
    programme = lock_again(programme)
    if not _in_subtree(person.union.path, union):
        raise DomainError(
            E.NOT_ELIGIBLE, _("受助人“%s”不在经办工会管辖范围内。") % person.name, field="person"
        )
    if not programme_covers(programme, union):
        raise DomainError(
            E.OUT_OF_PROGRAMME,
            _("“%(p)s”是%(u)s的项目，不覆盖经办工会。")
            % {"p": programme.name, "u": programme.union.name},
            field="programme",
        )
    value = money(amount)
    if programme.max_amount is not None and value > programme.max_amount:
        raise DomainError(
            E.OVER_CAP,
            _("金额 %(a)s 元超过本项目单笔上限 %(c)s 元。")
            % {"a": value, "c": programme.max_amount},
            field="amount",
        )
    period = _period(programme, period)
    family = _check_eligible(programme, person, family)
    if (
        family is not None
        and not _in_subtree(family.union.path, union)
        and not _in_subtree(union.path, family.union)
    ):
        raise DomainError(E.NOT_ON_FILE, _("该困难家庭不在经办工会管辖范围内。"), field="family")
    if method not in PaymentMethod.values:
        raise DomainError(E.BAD_AMOUNT, _("请选择发放方式。"), field="method")
    encrypted, masked = _account(payee_account)
    duplicate = Disbursement.objects.filter(
        programme=programme, period=period, state__in=LIVE_STATES
    ).filter(Q(person=person) | (Q(family=family) if family is not None else Q(pk__in=[])))
    if duplicate.exists():
        raise DomainError(
            E.DUPLICATE,
            _("“%(n)s”在“%(p)s”%(period)s期次已有发放记录，不能重复发放。")
            % {"n": person.name, "p": programme.name, "period": period},
            field="person",
        )
    disbursement = Disbursement(
        union=union,
        programme=programme,
        period=period,
        person=person,
        family=family,
        visit=visit,
        application=application,
        amount=value,
        method=method,
        payee_account_encrypted=encrypted,
        payee_account_masked=masked,
        reason=_reason(reason),
        medical_details=medical_details.strip(),
        proposed_by=actor,
        proposed_at=at or _now(),
    )
    try:
        disbursement.full_clean(validate_constraints=False)
        with transaction.atomic():
            disbursement.save()
    except IntegrityError as err:  # a concurrent proposal for the same person or family
        raise DomainError(
            E.DUPLICATE, _("该人员或家庭在本项目本期次已有发放记录，不能重复发放。"), field="person"
        ) from err
    audit.record(
        actor=actor,
        obj=disbursement,
        action="disbursement.propose",
        message=_("提出发放 %(a)s 元（%(p)s，%(period)s）：%(r)s")
        % {"a": value, "p": programme.name, "period": period, "r": disbursement.reason},
    )
    return disbursement


def _lock(disbursement: Disbursement) -> tuple[Programme, Disbursement]:
    """Lock the programme row, then the disbursement row: always in this order."""
    programme = Programme.objects.select_for_update().get(pk=disbursement.programme_id)
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    locked.programme = programme
    return programme, locked


def _state_error(d: Disbursement, doing: Any) -> DomainError:
    return DomainError(
        E.BAD_STATE,
        _("该发放当前状态为“%(s)s”，不能%(doing)s。")
        % {"s": d.get_state_display(), "doing": doing},
    )


@transaction.atomic
def disbursement_approve(
    *, actor: Any, disbursement: Disbursement, at: dt.datetime | None = None
) -> Disbursement:
    """Approve a proposed disbursement: someone other than the proposer, and only while the
    programme's remaining budget covers it. The amount is committed to the programme under
    a lock on its row, so concurrent approvals never over-commit the budget and the same
    disbursement is approved once."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state != S.PROPOSED:
        raise _state_error(d, _("审批"))
    if d.proposed_by_id == getattr(actor, "pk", None):
        raise DomainError(E.SAME_PERSON, _("审批人不能是提出人本人，请由其他干部审批。"))
    if programme.committed + d.amount > programme.budget:
        raise DomainError(
            E.OVER_BUDGET,
            _("项目预算不足：预算 %(b)s 元，已批准 %(c)s 元，剩余 %(r)s 元，本笔 %(a)s 元。")
            % {
                "b": programme.budget,
                "c": programme.committed,
                "r": programme.remaining,
                "a": d.amount,
            },
        )
    Programme.objects.filter(pk=programme.pk).update(committed=F("committed") + d.amount)
    d.state = S.APPROVED
    d.approved_by = actor
    d.approved_at = at or _now()
    d.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.approve",
        message=_("审批同意发放 %s 元") % d.amount,
        changes={"状态": (str(S.PROPOSED.label), str(S.APPROVED.label))},
    )
    return d


@transaction.atomic
def disbursement_pay(
    *,
    actor: Any,
    disbursement: Disbursement,
    paid_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Disbursement:
    """Record that an approved disbursement was paid on ``paid_on`` (default today). Under
    the same locks as approval, so two cadres paying at once pay it once."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state != S.APPROVED:
        raise _state_error(d, _("登记发放"))
    day = paid_on or _today()
    _not_future(day, "paid_on")
    Programme.objects.filter(pk=programme.pk).update(paid=F("paid") + d.amount)
    d.state = S.PAID
    d.paid_by = actor
    d.paid_at = at or _now()
    d.paid_on = day
    d.save(update_fields=["state", "paid_by", "paid_at", "paid_on"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.pay",
        message=_("%(on)s 已发放 %(a)s 元") % {"on": day, "a": d.amount},
        changes={"状态": (str(S.APPROVED.label), str(S.PAID.label))},
    )
    return d


@transaction.atomic
def disbursement_reject(*, actor: Any, disbursement: Disbursement, reason: str) -> Disbursement:
    """Turn down a proposed disbursement, with the reason."""
    require_write(actor, disbursement.union)
    _programme, d = _lock(disbursement)
    if d.state != S.PROPOSED:
        raise _state_error(d, _("驳回"))
    d.state = S.REJECTED
    d.closed_by, d.closed_at, d.close_reason = actor, _now(), _reason(reason)
    d.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.reject",
        message=_("不予批准：%s") % d.close_reason,
        changes={"状态": (str(S.PROPOSED.label), str(S.REJECTED.label))},
    )
    return d


@transaction.atomic
def disbursement_cancel(*, actor: Any, disbursement: Disbursement, reason: str) -> Disbursement:
    """Withdraw a disbursement not yet paid; an approved one gives its amount back to the
    programme's budget."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state not in (S.PROPOSED, S.APPROVED):
        raise _state_error(d, _("取消"))
    before = d.state
    if before == S.APPROVED:
        Programme.objects.filter(pk=programme.pk).update(committed=F("committed") - d.amount)
    d.state = S.CANCELLED
    d.closed_by, d.closed_at, d.close_reason = actor, _now(), _reason(reason)
    d.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.cancel",
        message=_("取消发放：%s") % d.close_reason,
        changes={"状态": (str(S(before).label), str(S.CANCELLED.label))},
    )
    return d


@transaction.atomic
def disbursement_reverse(
    *, actor: Any, disbursement: Disbursement, reason: str, on: dt.date | None = None
) -> DisbursementReversal:
    """Correct a paid disbursement by a reversal of the same amount (once only). The paid
    record keeps its facts and becomes "reversed"; the programme's committed and paid go
    down by the amount; a corrected payment may then be proposed."""
    require_write(actor, disbursement.union)
    programme, d = _lock(disbursement)
    if d.state != S.PAID:
        raise _state_error(d, _("冲正"))
    day = on or _today()
    _not_future(day, "on")
    if d.paid_on and day < d.paid_on:
        raise DomainError(E.BAD_DATES, _("冲正日期不能早于发放日期。"), field="on")
    Programme.objects.filter(pk=programme.pk).update(
        committed=F("committed") - d.amount, paid=F("paid") - d.amount
    )
    reversal = DisbursementReversal(
        disbursement=d,
        union=d.union,
        amount=d.amount,
        reason=_reason(reason),
        reversed_on=day,
        reversed_by=actor,
        reversed_at=_now(),
    )
    reversal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as err:  # pragma: no cover - the row lock makes this unreachable
        raise _state_error(d, _("冲正")) from err
    d.state = S.REVERSED
    d.save(update_fields=["state"])
    audit.record(
        actor=actor,
        obj=d,
        action="disbursement.reverse",
        message=_("冲正 %(a)s 元：%(r)s") % {"a": d.amount, "r": reversal.reason},
        changes={"状态": (str(S.PAID.label), str(S.REVERSED.label))},
    )
    return reversal


def disbursement_run_many(
    *, actor: Any, disbursements: Sequence[Disbursement], verb: str, **kwargs: Any
) -> tuple[int, list[str]]:
    """Approve or pay several disbursements, each in its own transaction (one refusal does
    not undo the others). Returns the number done and a message per refusal."""
    service = {"approve": disbursement_approve, "pay": disbursement_pay}[verb]
    done, errors = 0, []
    for d in sorted(disbursements, key=lambda x: (x.programme_id, x.pk)):
        try:
            service(actor=actor, disbursement=d, **kwargs)
        except DomainError as err:
            errors.append(f"{d.person.name}：{err.message}")
        else:
            done += 1
    return done, errors


def payee_account_reveal(*, actor: Any, disbursement: Disbursement, reason: str) -> str:
    """The full payee bank account, for the bank payment list; each reveal is logged."""
    path = disbursement.union.path
    if not can_reveal(actor, path):
        raise DomainError(CoreError.PII_FORBIDDEN, _("您没有查看完整银行账号的权限。"))
    if not disbursement.payee_account_encrypted:
        return ""
    PiiAccessLog.objects.create(
        actor=actor,
        person_id=disbursement.person_id,
        field="bank_account",
        reason=reason[:200],
        union_path=path,
    )
    return pii.decrypt(disbursement.payee_account_encrypted)


# --- festival visits --------------------------------------------------------------------------
@transaction.atomic
def visit_record(
    *,
    actor: Any,
    programme: Programme,
    union: Any,
    enterprise: Any,
    visited_on: dt.date,
    visitors: str,
    note: str = "",
) -> CondolenceVisit:
    """Record a festival condolence visit of ``union`` to an enterprise in its subtree."""
    require_write(actor, union)
    if programme.kind != ProgrammeKind.FESTIVAL:
        raise DomainError(
            E.OUT_OF_PROGRAMME, _("走访只能登记在节日慰问项目下。"), field="programme"
        )
    if not programme_covers(programme, union):
        raise DomainError(E.OUT_OF_PROGRAMME, _("该慰问项目不覆盖本工会。"), field="programme")
    if not _in_subtree(enterprise.union.path, union) and not _in_subtree(
        union.path, enterprise.union
    ):
        raise DomainError(E.NOT_ELIGIBLE, _("该企业不在本工会管辖范围内。"), field="enterprise")
    _not_future(visited_on, "visited_on")
    if not visitors or not visitors.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写走访人员。"), field="visitors")
    union = _union_open(union)
    visit = CondolenceVisit(
        programme=programme,
        union=union,
        enterprise=enterprise,
        visited_on=visited_on,
        visitors=visitors.strip(),
        note=note.strip(),
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    audit.record(
        actor=actor, obj=visit, action="visit.record", message=_("登记节前走访：%s") % enterprise
    )
    return visit


# --- applications from the portal ---------------------------------------------------------------
@transaction.atomic
def application_submit(
    *,
    actor: Any,
    programme: Programme,
    amount_requested: Any,
    statement: str,
    medical_details: str = "",
    documents: Sequence[tuple[str, UploadedFile]] = (),
) -> AidApplication:
    """A signed-in worker applies for aid under a programme open to applications, with
    documents; the union that keeps the worker's record handles it."""
    person = getattr(actor, "person", None)
    if person is None:
        raise DomainError(E.NO_PERSON, _("您的账号尚未关联人员档案，请先认领档案。"))
    programme = lock_again(programme)  # its rules as they are now, held to the commit
    if not programme.portal_open or not programme_covers(programme, person.union):
        raise DomainError(E.NOT_OPEN, _("该项目不接受您的网上申请。"), field="programme")
    if not statement or not statement.strip():
        raise DomainError(E.REASON_REQUIRED, _("请填写申请理由。"), field="statement")
    value = money(amount_requested, field="amount_requested")
    if programme.max_amount is not None and value > programme.max_amount:
        raise DomainError(
            E.OVER_CAP,
            _("申请金额超过本项目上限 %s 元。") % programme.max_amount,
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


@transaction.atomic
def application_withdraw(*, actor: Any, application: AidApplication) -> AidApplication:
    """The applicant withdraws an application not yet decided."""
    locked = AidApplication.objects.select_for_update().get(pk=application.pk)
    if getattr(actor, "person", None) is None or locked.person_id != actor.person.pk:
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
    actor: Any,
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
    locked = AidApplication.objects.select_for_update().get(pk=application.pk)
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
    locked.decided_by = actor
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


# --- the Spring Breeze Action -------------------------------------------------------------------
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
        target=None if target in (None, "") else money(target, field="target"),
    )
    campaign.full_clean()
    campaign.save()
    audit.record(actor=actor, obj=campaign, action="campaign.create", message=_("发起春风行动"))
    return campaign


def _take_receipt_numbers(campaign: Campaign, n: int) -> list[str]:
    """Reserve ``n`` receipt numbers under a lock on the campaign row (gapless, unique)."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
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
    value = money(amount)
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
    locked = Donation.objects.select_for_update().get(pk=donation.pk)
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
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
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
