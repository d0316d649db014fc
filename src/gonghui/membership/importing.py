"""Roster import: upload, check (a preview that writes nothing), apply, undo.

Every row is checked before anything is written. Applying writes all valid rows in one
transaction, or nothing when the user asked for all-or-nothing and a row is invalid.
Importing the same file twice changes nothing the second time: rows are matched to people by
the keyed hash of their ID number, and a row equal to what is on record is "unchanged".
An import can be undone as a whole while nothing later depends on what it wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit, pii
from gonghui.core.bulk import chunk_size, in_values, insert_rows
from gonghui.core.errors import DomainError
from gonghui.core.export import Column, xlsx_bytes
from gonghui.core.identifiers import mask_ric
from gonghui.core.importing.spreadsheet import Row, RowError, Table, text
from gonghui.core.models import ImportBatch, ImportKind, ImportMode, ImportStatus
from gonghui.core.scope import require_write, user_scope

from .models import ImportChange, Membership, Person, StartReason
from .roster import BY_KEY, read_roster, ric_born, ric_sex

Progress = Callable[[str, int, int], None]

# Person fields a roster row may set, besides the identity (name is one of them).
PERSON_FIELDS = ("name", "mobile", *Person.DETAILS, "hukou", "migrant", "skill_grade")


class ImportErrorCode:
    """Codes of the import's DomainErrors."""

    WRONG_STATE = "import_wrong_state"
    HAS_INVALID = "import_has_invalid"
    UNION_DISSOLVED = "import_union_dissolved"
    CANNOT_UNDO = "import_cannot_undo"
    FILE_REMOVED = "import_file_removed"


def _storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _report_path(batch: ImportBatch) -> Path:
    return _storage_dir() / f"roster-{batch.pk}-errors.xlsx"


def batch_files(batch: ImportBatch) -> list[Path]:
    """Every file kept for ``batch``: the upload and its error report (also one left on disk
    by an earlier check when the last check found no invalid row)."""
    paths = [Path(p) for p in (batch.stored_file, batch.report_file) if p]
    if _report_path(batch) not in paths:
        paths.append(_report_path(batch))
    return paths


def _check_file_kept(batch: ImportBatch) -> None:
    if batch.files_removed_at is not None:
        raise DomainError(
            ImportErrorCode.FILE_REMOVED,
            _("上传的文件已于 %(on)s 按保留期限删除，不能再校验或写入。如需导入，请重新上传文件。")
            % {"on": timezone.localtime(batch.files_removed_at).date()},
        )


def progress_key(batch_id: int) -> str:
    return f"roster-import-progress-{batch_id}"


def read_progress(batch_id: int) -> dict[str, Any] | None:
    return cache.get(progress_key(batch_id))


def _progress_for(batch: ImportBatch) -> Progress:
    def report(stage: str, done: int, total: int) -> None:
        cache.set(progress_key(batch.pk), {"stage": stage, "done": done, "total": total}, 3600)

    return report


# --- upload ------------------------------------------------------------------------------


@transaction.atomic
def roster_import_create(
    *,
    actor: Any,
    union: Any,
    path: Path | str,
    filename: str,
    kind: str = ImportKind.ROSTER,
) -> ImportBatch:
    """Keep an uploaded file for ``union`` and open an import batch for it: a members'
    roster, or (``kind``) a list of enterprises in the union's area or of unions."""
    require_write(actor, union)
    _check_union_open(union)
    source = Path(path)
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    if kind not in ImportKind.values:
        raise DomainError(ImportErrorCode.WRONG_STATE, _("请选择导入内容。"), field="kind")
    batch = ImportBatch.objects.create(
        union=union,
        actor=actor,
        kind=kind,
        file_name=Path(filename).name[:255],
        file_sha256=digest.hexdigest(),
        file_size=source.stat().st_size,
    )
    suffix = Path(filename).suffix.lower()[:8]
    stored = _storage_dir() / f"roster-{batch.pk}{suffix}"
    shutil.copyfile(source, stored)
    stored.chmod(0o600)
    batch.stored_file = str(stored)
    batch.save(update_fields=["stored_file"])
    audit.record(
        actor=actor,
        obj=batch,
        action="roster_import.upload",
        message=_("上传“%(file)s”（%(kind)s）")
        % {"file": batch.file_name, "kind": batch.get_kind_display()},
    )
    return batch


def _check_union_open(union: Any) -> None:
    if union.dissolved_on is not None:
        raise DomainError(
            ImportErrorCode.UNION_DISSOLVED,
            _("“%(u)s”已于 %(on)s 撤销，不能导入会员。")
            % {"u": union.name, "on": union.dissolved_on},
            field="union",
        )


# --- checking ----------------------------------------------------------------------------


@dataclass
class Known:
    """What the import needs to know of a person on record (read in bulk, not as models)."""

    pk: int
    union_id: int
    union_path: str
    employer_id: int | None
    fields: dict[str, Any]


@dataclass
class OpenMembership:
    pk: int
    union_id: int
    union_name: str
    started_on: dt.date
    first_join: bool  # started by joining (not a transfer): its date is the join date


@dataclass
class Update:
    row: Row
    person: Known
    person_changes: dict[str, Any]
    membership: OpenMembership | None  # the open membership in the union, if any
    join_on: dt.date | None  # a new membership to start
    started_on: dt.date | None  # a corrected join date of the open membership


@dataclass
class Plan:
    table: Table
    new: list[Row] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    invalid: list[Row] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.table.rows),
            "new": len(self.new),
            "updated": len(self.updates),
            "unchanged": len(self.unchanged),
            "invalid": len(self.invalid),
        }


def _invalid(table: Table, row: Row, key: str, message: Any) -> None:
    """Mark ``row`` invalid, naming the column as the file writes it, with the cell's value."""
    col = next((c for c, k in table.mapping.items() if k == key), None)
    header = table.headers[col] if col is not None else BY_KEY[key].header
    value = text(row.raw[col]) if col is not None and col < len(row.raw) else ""
    row.errors.append(RowError(row.number, header, value, str(message)))


def _chunks(items: list[Any], size: int) -> Any:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _known_people(hashes: list[str]) -> dict[str, Known]:
    """People on record with these ID hashes, whatever their union (scope is judged later)."""
    people: dict[str, Known] = {}
    columns = (
        "pk",
        "ric_hash",
        "union_id",
        "union__path",
        "employer_id",
        "employer__name",
        *PERSON_FIELDS,
    )
    for chunk in _chunks(hashes, chunk_size()):
        matching = Person.objects.filter(ric_hash__in=in_values(chunk, "text"))
        for values in matching.values_list(*columns):
            pk, digest, union_id, path, employer_id, employer_name, *rest = values
            fields = dict(zip(PERSON_FIELDS, rest, strict=True))
            # The export writes the employer's name where no workplace was typed in.
            fields["workplace"] = fields["workplace"] or employer_name or ""
            people[digest] = Known(pk, union_id, path, employer_id, fields)
    return people


def _memberships_of(person_ids: list[int]) -> tuple[dict[int, OpenMembership], dict[int, dt.date]]:
    open_ones: dict[int, OpenMembership] = {}
    last_end: dict[int, dt.date] = {}
    columns = (
        "pk",
        "person_id",
        "union_id",
        "union__name",
        "started_on",
        "ended_on",
        "start_reason",
        "previous_id",
    )
    for chunk in _chunks(person_ids, chunk_size()):
        stretches = Membership.objects.filter(person_id__in=in_values(chunk, "bigint"))
        for row in stretches.values_list(*columns):
            pk, person_id, union_id, name, started, ended, reason, previous = row
            if ended is None:
                first = reason == StartReason.JOINED and previous is None
                open_ones[person_id] = OpenMembership(pk, union_id, name, started, first)
            elif ended > last_end.get(person_id, dt.date.min):
                last_end[person_id] = ended
    return open_ones, last_end


def plan_import(*, actor: Any, union: Any, table: Table) -> Plan:
    """Sort checked rows into new, updated, unchanged and invalid against the records."""
    plan = Plan(table=table)
    candidates = [r for r in table.rows if not r.errors]
    plan.invalid = [r for r in table.rows if r.errors]
    hashes: dict[str, Row] = {}
    for r in candidates:
        r.values["ric_hash"] = digest = pii.lookup_hash(r.values["ric"])
        hashes[digest] = r
    existing = _known_people(list(hashes))
    open_memberships, last_end = _memberships_of([k.pk for k in existing.values()])
    scope = user_scope(actor)
    founded = union.founded_on
    for digest, row in hashes.items():
        joined = row.values.get("joined_on")
        if founded and joined and joined < founded:
            _invalid(
                table,
                row,
                "joined_on",
                _("入会时间早于“%(u)s”的成立日期 %(on)s。") % {"u": union.name, "on": founded},
            )
            plan.invalid.append(row)
            continue
        person = existing.get(digest)
        if person is None:
            plan.new.append(row)
            continue
        if not scope.covers(person.union_path, mode="write"):
            _invalid(
                table,
                row,
                "ric",
                _("该身份证号已在其他工会登记（不在您的管辖范围内），请联系对方办理转会。"),
            )
            plan.invalid.append(row)
            continue
        current = open_memberships.get(person.pk)
        joined = row.values.get("joined_on")
        if current is not None and current.union_id != union.pk:
            _invalid(
                table, row, "ric", _("该人员现为“%s”会员，请先办理转会。") % current.union_name
            )
            plan.invalid.append(row)
            continue
        # A blank cell means "not known here", never "erase what is on record".
        changes = {
            k: row.values[k]
            for k in PERSON_FIELDS
            if k in row.values
            and row.values[k] not in ("", None, False)
            and person.fields[k] != row.values[k]
        }
        join_on = started_on = None
        moves_start = current is None or (current.first_join and current.started_on != joined)
        ended = last_end.get(person.pk)
        if moves_start and ended and joined and joined < ended:
            # A new stretch, or a corrected start, may not reach back into an earlier one.
            _invalid(
                table, row, "joined_on", _("入会时间早于该人员上一段会籍的终止日期 %s。") % ended
            )
            plan.invalid.append(row)
            continue
        if current is None:
            join_on = joined
        elif moves_start:
            started_on = joined
        if changes or join_on or started_on:
            plan.updates.append(Update(row, person, changes, current, join_on, started_on))
        else:
            plan.unchanged.append(row)
    plan.invalid.sort(key=lambda r: r.number)
    return plan


def _report(batch: ImportBatch, plan: Plan) -> str:
    """An .xlsx with the invalid rows as they were (to correct and re-upload) and the list of
    problems; its path."""
    table = plan.table
    headers = [h or f"列{i + 1}" for i, h in enumerate(table.headers)]

    def cell(i: int) -> Callable[[Row], str]:
        return lambda r: text(r.raw[i]) if i < len(r.raw) else ""

    def problems(r: Row) -> str:
        return "；".join(f"{e.column}：{e.message}" for e in r.errors)

    columns: list[Column] = [(_("原行号"), lambda r: r.number)]
    columns += [(h, cell(i)) for i, h in enumerate(headers)]
    columns.append((_("错误说明"), problems))
    content = xlsx_bytes(str(_("待修正的行")), columns, plan.invalid)
    path = _report_path(batch)
    path.write_bytes(content)
    path.chmod(0o600)
    return str(path)


def _check(actor: Any, batch: ImportBatch, progress: Progress | None) -> Plan:
    def parsing(done: int, total: int) -> None:
        if progress:
            progress(str(_("校验")), done, total)

    if progress:
        progress(str(_("读取文件")), 0, 0)
    if batch.kind != ImportKind.ROSTER:
        return _check_list(actor, batch)
    table = read_roster(
        batch.stored_file, filename=batch.file_name, today=timezone.localdate(), progress=parsing
    )
    if progress:
        progress(str(_("比对已有记录")), len(table.rows), len(table.rows))
    return plan_import(actor=actor, union=batch.union, table=table)


def _check_list(actor: Any, batch: ImportBatch) -> Plan:
    """Enterprise and union lists: read and sort with the organisation domain's rules."""
    from gonghui.organisation import importing as lists

    rows, headers, mapping = lists.read_list(
        batch.kind, batch.stored_file, filename=batch.file_name
    )
    sorted_rows = lists.plan_list(
        batch.kind, actor=actor, union=batch.union, rows=rows, headers=headers, mapping=mapping
    )
    return Plan(
        table=Table(0, headers, mapping, [], rows, 0),
        new=sorted_rows["new"],
        updates=sorted_rows["updates"],
        unchanged=sorted_rows["unchanged"],
        invalid=sorted_rows["invalid"],
    )


def roster_import_check(
    *, actor: Any, batch: ImportBatch, progress: Progress | None = None
) -> Plan:
    """Check every row and say what applying would do; write no people or memberships.

    A whole-file problem (not a spreadsheet, no header, …) marks the batch failed with the
    Chinese message. The counts and the error report are kept on the batch.
    """
    require_write(actor, batch.union)
    batch.refresh_from_db()
    if batch.status not in (
        ImportStatus.UPLOADED,
        ImportStatus.CHECKING,
        ImportStatus.CHECKED,
        ImportStatus.FAILED,
    ):
        raise DomainError(
            ImportErrorCode.WRONG_STATE,
            _("该批次状态为“%s”，不能再校验。") % batch.get_status_display(),
        )
    try:
        _check_file_kept(batch)
    except DomainError as err:
        # A check queued before the file was removed must not leave the batch "checking".
        ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.FAILED, message=str(err.message)
        )
        raise
    progress = progress or _progress_for(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING)
    try:
        plan = _check(actor, batch, progress)
    except DomainError as err:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, message=str(err.message)
        )
        batch.refresh_from_db()
        raise
    batch.report_file = _report(batch, plan) if plan.invalid else ""
    for k, v in plan.counts.items():
        setattr(batch, k, v)
    batch.status = ImportStatus.CHECKED
    batch.message = ""
    batch.save()
    progress(str(_("完成")), 1, 1)
    return plan


# --- applying ------------------------------------------------------------------------------


def _employers(actor: Any, names: set[str]) -> dict[str, int]:
    from gonghui.organisation.selectors import enterprise_list

    if not names:
        return {}
    rows = enterprise_list(actor=actor).filter(name__in=names).values_list("name", "pk")
    return dict(rows)


NEW_PERSON_FIELDS = (
    "union_id",
    "name",
    "ric_encrypted",
    "ric_hash",
    "ric_masked",
    "gender",
    "birth_date",
    "mobile",
    "employer_id",
    "hukou",
    "migrant",
    "skill_grade",
    "workplace",
    "job_title",
    "ethnicity",
    "education",
    "political_status",
    "import_batch_id",
    "created_at",
)
NEW_MEMBERSHIP_FIELDS = (
    "person_id",
    "union_id",
    "started_on",
    "start_reason",
    "end_reason",
    "retained_reason",
    "note",
    "import_batch_id",
)


def _write(actor: Any, batch: ImportBatch, plan: Plan, progress: Progress) -> None:
    union_id = batch.union_id
    now = timezone.now()
    employers = _employers(
        actor,
        {r.values.get("workplace", "") for r in plan.new}
        | {u.row.values.get("workplace", "") for u in plan.updates},
    )
    progress(str(_("写入人员")), 0, len(plan.new))

    def person_rows() -> Iterator[tuple[Any, ...]]:
        for row in plan.new:
            v = row.values
            ric = v["ric"]
            yield (
                union_id,
                v["name"],
                pii.encrypt(ric),
                v["ric_hash"],
                mask_ric(ric),
                ric_sex(ric),
                ric_born(ric),
                v.get("mobile", ""),
                employers.get(v.get("workplace", "")),
                v.get("hukou", ""),
                bool(v.get("migrant", False)),
                v.get("skill_grade", ""),
                v.get("workplace", ""),
                v.get("job_title", ""),
                v.get("ethnicity", ""),
                v.get("education", ""),
                v.get("political_status", ""),
                batch.pk,
                now,
            )

    person_ids = insert_rows(Person, NEW_PERSON_FIELDS, person_rows(), len(plan.new))
    progress(str(_("写入会籍")), len(plan.new), len(plan.new))
    joins = [(pk, row) for pk, row in zip(person_ids, plan.new, strict=True)]
    joins += [(u.person.pk, u.row) for u in plan.updates if u.join_on]

    def membership_rows() -> Iterator[tuple[Any, ...]]:
        for pk, row in joins:
            yield (
                pk,
                union_id,
                row.values["joined_on"],
                StartReason.JOINED,
                "",
                "",
                row.values.get("note", ""),
                batch.pk,
            )

    insert_rows(Membership, NEW_MEMBERSHIP_FIELDS, membership_rows(), len(joins))
    changes = []
    for update in plan.updates:
        person = update.person
        before: dict[str, Any] = {k: _json(person.fields[k]) for k in update.person_changes}
        fields = dict(update.person_changes)
        if "workplace" in fields and fields["workplace"] in employers:
            fields["employer_id"] = employers[fields["workplace"]]
            before["employer_id"] = person.employer_id
        if update.join_on and person.union_id != union_id:
            before["union_id"] = person.union_id
            fields["union_id"] = union_id
        if fields:
            Person.objects.filter(pk=person.pk).update(**fields)
        if update.started_on and update.membership is not None:
            before["membership.started_on"] = update.membership.started_on.isoformat()
            Membership.objects.filter(pk=update.membership.pk).update(started_on=update.started_on)
        after = {k: _json(v) for k, v in fields.items()}
        if update.started_on:
            after["membership.started_on"] = update.started_on.isoformat()
        changes.append(
            ImportChange(
                batch=batch,
                person_id=person.pk,
                membership_id=update.membership.pk
                if update.started_on and update.membership
                else None,
                before=before,
                after=after,
            )
        )
    ImportChange.objects.bulk_create(changes, batch_size=2000)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def roster_import_apply(
    *, actor: Any, batch: ImportBatch, mode: str, progress: Progress | None = None
) -> ImportBatch:
    """Write the checked rows: everything valid, or (all-or-nothing) nothing if a row is
    invalid. The file is checked again against the records as they are now. One transaction;
    one audit entry for the batch, and the batch remembers what it wrote, for undo."""
    require_write(actor, batch.union)
    if mode not in ImportMode.values:
        raise DomainError(ImportErrorCode.WRONG_STATE, _("请选择写入方式。"), field="mode")
    progress = progress or _progress_for(batch)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in (
            ImportStatus.UPLOADED,
            ImportStatus.CHECKED,
            ImportStatus.APPLYING,
        ):
            raise DomainError(
                ImportErrorCode.WRONG_STATE,
                _("该批次状态为“%s”，不能写入。") % batch.get_status_display(),
            )
        _check_file_kept(batch)
        # Lock the union as membership_join does, so a dissolution cannot interleave.
        from gonghui.organisation.models import Union

        _check_union_open(Union.objects.select_for_update().get(pk=batch.union_id))
        plan = _check(actor, batch, progress)
        if plan.invalid and mode == ImportMode.ALL_OR_NOTHING:
            raise DomainError(
                ImportErrorCode.HAS_INVALID,
                _(
                    "有 %d 行无效，按“全部行有效才写入”未写入任何数据。"
                    "请修正后重新上传，或选择“只写入有效行”。"
                )
                % len(plan.invalid),
            )
        if batch.kind == ImportKind.ROSTER:
            _write(actor, batch, plan, progress)
        else:
            from gonghui.organisation import importing as lists

            batch.undo_log = lists.write_list(
                batch.kind,
                actor=actor,
                union=batch.union,
                plan={"new": plan.new, "updates": plan.updates},
            )
        for k, v in plan.counts.items():
            setattr(batch, k, v)
        batch.report_file = _report(batch, plan) if plan.invalid else ""
        batch.mode = mode
        batch.status = ImportStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.save()
        audit.record(
            actor=actor,
            obj=batch,
            action="roster_import.apply",
            message=_(
                "导入%(kind)s“%(file)s”到“%(union)s”：新增 %(new)d 条，更新 %(updated)d 条，"
                "未变 %(unchanged)d 条，无效 %(invalid)d 行"
            )
            % {
                "kind": batch.get_kind_display(),
                "file": batch.file_name,
                "union": batch.union.name,
                "new": batch.new,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                "invalid": batch.invalid,
            },
        )
    progress(str(_("完成")), 1, 1)
    return batch


@transaction.atomic
def roster_import_request(
    *, actor: Any, batch: ImportBatch, mode: str | None = None
) -> ImportBatch:
    """Queue the check (``mode=None``) or the apply of a batch for the background worker."""
    from . import tasks

    require_write(actor, batch.union)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_file_kept(batch)
    if mode is None:
        if batch.status not in (ImportStatus.UPLOADED, ImportStatus.FAILED):
            raise DomainError(ImportErrorCode.WRONG_STATE, _("该批次已校验。"))
        batch.status = ImportStatus.CHECKING
        batch.save(update_fields=["status"])
        transaction.on_commit(lambda: tasks.check_roster.enqueue(batch.pk, actor.pk))
        return batch
    if mode not in ImportMode.values:
        raise DomainError(ImportErrorCode.WRONG_STATE, _("请选择写入方式。"), field="mode")
    if batch.status != ImportStatus.CHECKED:
        raise DomainError(
            ImportErrorCode.WRONG_STATE,
            _("该批次状态为“%s”，不能写入。") % batch.get_status_display(),
        )
    if mode == ImportMode.ALL_OR_NOTHING and batch.invalid:
        raise DomainError(
            ImportErrorCode.HAS_INVALID,
            _("有 %d 行无效：请修正后重新上传，或选择“只写入有效行”。") % batch.invalid,
            field="mode",
        )
    batch.status = ImportStatus.APPLYING
    batch.mode = mode
    batch.message = ""
    batch.save(update_fields=["status", "mode", "message"])
    transaction.on_commit(lambda: tasks.apply_roster.enqueue(batch.pk, actor.pk, mode))
    return batch


# --- undo --------------------------------------------------------------------------------------


def undo_blockers(batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone (empty when it can)."""
    if batch.status != ImportStatus.APPLIED:
        return [str(_("只有已导入的批次可以撤销。"))]
    if batch.kind != ImportKind.ROSTER:
        return []  # what depends on the created records is found when undoing
    reasons = []
    created = batch.created_memberships.all()
    if created.filter(ended_on__isnull=False).exists():
        reasons.append(str(_("本批导入的部分会籍已办理转会或退会。")))
    later = Membership.objects.filter(person__import_batch=batch).exclude(import_batch=batch)
    if later.exists():
        reasons.append(str(_("本批新增的部分人员已有其他会籍记录。")))
    from django.contrib.contenttypes.models import ContentType

    from gonghui.core.models import AuditEntry

    people = list(batch.created_persons.values_list("pk", flat=True))
    people += list(batch.changes.values_list("person_id", flat=True))
    stretches = list(Membership.objects.filter(person_id__in=people).values_list("pk", flat=True))
    touched = False
    for model, ids in ((Person, people), (Membership, stretches)):
        kind = ContentType.objects.get_for_model(model)
        for chunk in _chunks([str(i) for i in ids], chunk_size()):
            touched = (
                touched
                or AuditEntry.objects.filter(
                    content_type=kind,
                    object_id__in=in_values(chunk, "text"),
                    at__gt=batch.applied_at,
                ).exists()
            )
    if touched:
        reasons.append(str(_("本批涉及的人员或会籍在导入后又被修改过（修改信息、转会、退会等）。")))
    # Later imports that changed people this batch updated or created (and are not undone).
    later_batches = ImportChange.objects.filter(
        batch__applied_at__gt=batch.applied_at, batch__status=ImportStatus.APPLIED
    ).exclude(batch=batch)
    if (
        later_batches.filter(person_id__in=batch.changes.values("person_id")).exists()
        or later_batches.filter(person__import_batch=batch).exists()
        or Person.objects.filter(import_batch=batch, posts__isnull=False).exists()
    ):
        reasons.append(str(_("之后的导入或任职记录依赖本批数据。")))
    return reasons


@transaction.atomic
def roster_import_undo(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Take back everything an import wrote, while nothing later depends on it: the people
    and memberships it created are removed, the fields it changed get their old values."""
    require_write(actor, batch.union)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.kind != ImportKind.ROSTER:
        from gonghui.organisation import importing as lists

        if batch.status != ImportStatus.APPLIED:
            raise DomainError(ImportErrorCode.CANNOT_UNDO, _("只有已导入的批次可以撤销。"))
        lists.undo_list(batch.kind, actor=actor, log=batch.undo_log)
        return _mark_undone(actor, batch)
    reasons = undo_blockers(batch)
    if reasons:
        raise DomainError(ImportErrorCode.CANNOT_UNDO, _("不能撤销：") + "；".join(reasons))
    try:
        with transaction.atomic():
            return _undo_roster(actor, batch)
    except (IntegrityError, ProtectedError) as err:
        raise DomainError(
            ImportErrorCode.CANNOT_UNDO,
            _("不能撤销：本批数据已被其他记录引用（如个人信息查看记录、任职、会籍变动）。"),
        ) from err


def _undo_roster(actor: Any, batch: ImportBatch) -> ImportBatch:
    for change in batch.changes.select_related("membership"):
        before = dict(change.before)
        started = before.pop("membership.started_on", None)
        if before:
            Person.objects.filter(pk=change.person_id).update(**before)
        if started and change.membership_id:
            Membership.objects.filter(pk=change.membership_id).update(
                started_on=dt.date.fromisoformat(started)
            )
    Membership.objects.filter(import_batch=batch).delete()
    Person.objects.filter(import_batch=batch).delete()
    return _mark_undone(actor, batch)


def _mark_undone(actor: Any, batch: ImportBatch) -> ImportBatch:
    batch.status = ImportStatus.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at"])
    audit.record(
        actor=actor,
        obj=batch,
        action="roster_import.undo",
        message=_("撤销导入“%s”") % batch.file_name,
    )
    return batch
