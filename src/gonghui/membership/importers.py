"""The members' roster importer: people and their memberships, from a union's roster.

Rows are matched to people by the keyed hash of their ID number, so importing the same file
twice changes nothing the second time, and a row equal to what is on record is "unchanged".
A blank cell means "not known here", never "erase what is on record". New people and their
memberships are written in bulk (100,000 rows in one transaction); what the import changed
on people already on record is kept as :class:`ImportChange` rows, so the import can be
undone while nothing later depends on it. The engine (``gonghui.core.importing``) does the
upload, the preview, the all-or-nothing choice, the background work and the error report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import pii
from gonghui.core.bulk import analyze_on_commit, chunk_size, in_values, insert_rows
from gonghui.core.errors import DomainError
from gonghui.core.identifiers import mask_ric
from gonghui.core.importing.engine import (
    Importer,
    ImportErrorCode,
    Plan,
    Progress,
    ReadProgress,
)
from gonghui.core.importing.spreadsheet import Row, Table
from gonghui.core.models import AuditEntry, ImportBatch, ImportStatus
from gonghui.core.scope import Actor, user_scope

from .models import ImportChange, Membership, Person, StartReason
from .roster import BY_KEY, COLUMNS, read_roster, ric_born, ric_sex

if TYPE_CHECKING:
    from gonghui.organisation.models import Union

# Person fields a roster row may set, besides the identity (name is one of them).
PERSON_FIELDS = ("name", "mobile", *Person.DETAILS, "hukou", "migrant", "skill_grade")


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
    """A row on a person already on record (the engine needs only ``row``)."""

    row: Row
    person: Known
    person_changes: dict[str, Any]
    membership: OpenMembership | None  # the open membership in the union, if any
    join_on: dt.date | None  # a new membership to start
    started_on: dt.date | None  # a corrected join date of the open membership


def _invalid(table: Table, row: Row, key: str, message: Any) -> None:
    """Mark ``row`` invalid, naming the column as the file writes it, with the cell's value."""
    table.error(row, key, message, header=BY_KEY[key].header)


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


def plan_import(*, actor: Actor, union: Union, table: Table) -> Plan:
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


# --- applying ------------------------------------------------------------------------------


def _employers(actor: Actor, names: set[str]) -> dict[str, int]:
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


def _write(actor: Actor, batch: ImportBatch, plan: Plan, progress: Progress) -> None:
    """New people and memberships in bulk; changes to people on record one by one, each
    remembered (``ImportChange``) for undo."""
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
    # The planner must know what a big roster added before the next report reads it.
    analyze_on_commit({Person: len(plan.new) + len(plan.updates), Membership: len(joins)})


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# --- undo --------------------------------------------------------------------------------------


def _undo_blockers(batch: ImportBatch) -> list[str]:
    """What depends on an applied roster batch, so that it cannot be undone."""
    reasons = []
    created = batch.created_memberships.all()
    if created.filter(ended_on__isnull=False).exists():
        reasons.append(str(_("本批导入的部分会籍已办理转会或退会。")))
    later = Membership.objects.filter(person__import_batch=batch).exclude(import_batch=batch)
    if later.exists():
        reasons.append(str(_("本批新增的部分人员已有其他会籍记录。")))
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


def _undo(batch: ImportBatch) -> None:
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


# --- the importer ------------------------------------------------------------------------------


class RosterImporter(Importer):
    """A union's members: people (matched by ID number) and their memberships of the union."""

    key = "roster"
    label = _("会员花名册")
    help_text = _("会员花名册导入到所选工会")
    columns = COLUMNS
    order = 10

    def read(self, path: Path | str, *, filename: str, progress: ReadProgress | None) -> Table:
        return read_roster(path, filename=filename, today=timezone.localdate(), progress=progress)

    def plan(self, *, actor: Actor, union: Union, table: Table) -> Plan:
        return plan_import(actor=actor, union=union, table=table)

    def write(
        self, *, actor: Actor, batch: ImportBatch, plan: Plan, progress: Progress
    ) -> dict[str, Any] | None:
        _write(actor, batch, plan, progress)
        return None  # undo reads the batch's people, memberships and ImportChange rows

    def undo_blockers(self, batch: ImportBatch) -> list[str]:
        return _undo_blockers(batch)

    def undo(self, *, actor: Actor, batch: ImportBatch) -> None:
        """The people and memberships the batch created are removed, the fields it changed
        get their old values."""
        try:
            with transaction.atomic():
                _undo(batch)
        except (IntegrityError, ProtectedError) as err:
            raise DomainError(
                ImportErrorCode.CANNOT_UNDO,
                _("不能撤销：本批数据已被其他记录引用（如个人信息查看记录、任职、会籍变动）。"),
            ) from err

    def example_rows(self, union: Union | None = None) -> list[dict[str, Any]]:
        # ID numbers of a Beijing district with valid check characters; people born on
        # ordinary days, joined in the past.
        return [
            {
                "name": "张三",
                "gender": "男",
                "ric": "11010119860305001X",
                "birth_date": "1986-03-05",
                "ethnicity": "汉族",
                "political_status": "群众",
                "education": "大专",
                "mobile": "13812345678",
                "workplace": "示例科技有限公司",
                "job_title": "技术员",
                "joined_on": "2015-03-01",
                "hukou": "浙江省杭州市",
                "migrant": "否",
                "skill_grade": "中级工",
                "note": "",
            },
            {
                "name": "李四",
                "gender": "女",
                "ric": "110101199001020029",
                "mobile": "139 1234 5678",
                "joined_on": "2016年4月2日",
                "migrant": "是",
                "skill_grade": "",
            },
            {"name": "王五", "ric": "110101197512310037", "joined_on": "2010年5月"},
        ]
