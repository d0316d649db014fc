"""The import engine: every spreadsheet import, whatever it brings in, goes the same way.

A domain describes what it imports with an :class:`Importer` and registers it from its
``AppConfig.ready()`` (``register_importer(RosterImporter())``), as it registers its figures.
The engine does the rest, the same for every importer:

- upload (:func:`import_create`): the file is kept, and an :class:`ImportBatch` records who
  uploaded what (name, size, SHA-256), when, into which union, as which kind;
- check (:func:`import_check`): a preview that writes nothing. The importer reads the file
  into rows and sorts them against the records as they are into new, updated, unchanged and
  invalid; the batch keeps the counts, and the invalid rows go to an error report (.xlsx:
  the rows as they were, in their original columns, plus 错误说明) to correct and re-upload;
- apply (:func:`import_apply`): in ONE transaction the file is checked again against the
  records as they are now, then all valid rows are written, or nothing when the user asked
  for all-or-nothing and a row is invalid;
- undo (:func:`import_undo`): everything the batch wrote is taken back, while nothing
  later depends on it (:func:`undo_blockers` says what does);
- long files are checked and applied by the background worker (:func:`import_request`,
  ``tasks.py``), with progress in the cache for the page that refreshes itself;
- the uploaded file and its report are removed after the retention period (``retention.py``).

Importing the same file twice changes nothing the second time: an importer matches rows to
records by a natural key and calls a row equal to what is on record "unchanged".
"""

from __future__ import annotations

import hashlib
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.export import Column as ExportColumn
from gonghui.core.export import xlsx_bytes
from gonghui.core.locks import lock
from gonghui.core.models import IMPORT_KIND_MAX_LENGTH, ImportBatch, ImportMode, ImportStatus
from gonghui.core.scope import require_write

from .spreadsheet import Column, Row, Table, read_list, text

Progress = Callable[[str, int, int], None]  # (stage, done, total)
ReadProgress = Callable[[int, int], None]  # (rows done, rows in all)


class ImportErrorCode:
    """Codes of the import's DomainErrors."""

    WRONG_STATE = "import_wrong_state"
    HAS_INVALID = "import_has_invalid"
    UNION_DISSOLVED = "import_union_dissolved"
    CANNOT_UNDO = "import_cannot_undo"
    FILE_REMOVED = "import_file_removed"
    ROW_REFUSED = "import_row_refused"


# --- what an importer gives the engine ------------------------------------------------------


class RowChange(Protocol):
    """An update of a plan: the row it comes from, and whatever the importer needs to write."""

    row: Row


@dataclass
class Update:
    """A row that changes a record on file: the record and the fields it changes (the new
    values). Importers may use their own class instead; it only needs ``row``."""

    row: Row
    record: Any
    changes: dict[str, Any]


@dataclass
class Plan:
    """What writing a file would do: its rows sorted against the records as they are."""

    table: Table
    new: list[Row] = field(default_factory=list)
    updates: list[Any] = field(default_factory=list)  # RowChange
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


class Importer(ABC):
    """What a domain imports from a spreadsheet, and how.

    A subclass sets the class attributes and implements ``plan``, ``write``, ``undo`` and
    ``example_rows``; short lists whose columns each have a parser only give ``parsers()``
    and inherit ``read``. An instance is registered with :func:`register_importer`.
    """

    #: stable identifier, stored on each batch (``ImportBatch.kind``), at most 32 characters
    key: ClassVar[str]
    #: what the upload page calls it (Chinese, gettext_lazy)
    label: ClassVar[Any]
    #: one line for the upload page: what it imports and where to
    help_text: ClassVar[Any] = ""
    #: the columns, in the template's order (their headers, variants, required ones)
    columns: ClassVar[tuple[Column, ...]]
    #: position on the upload page; the first is preselected
    order: ClassVar[int] = 100

    def parsers(self) -> dict[str, Callable[[Any], Any]]:
        """Column key -> parser of a cell (raising ``ValueProblem``), for :meth:`read`."""
        raise NotImplementedError(f"{type(self).__name__} reads its files itself")

    def read(self, path: Path | str, *, filename: str, progress: ReadProgress | None) -> Table:
        """The rows of the file, each value parsed and each cell's problem recorded."""
        return read_list(path, filename=filename, columns=self.columns, parsers=self.parsers())

    @abstractmethod
    def plan(self, *, actor: Any, union: Any, table: Table) -> Plan:
        """Sort the rows into new, updates, unchanged and invalid against the records as they
        are, for ``union``, as ``actor`` may write them; write nothing. A row is valid only
        if writing it cannot be refused: validate with the same rules the writing applies."""

    @abstractmethod
    def write(
        self, *, actor: Any, batch: ImportBatch, plan: Plan, progress: Progress
    ) -> dict[str, Any] | None:
        """Write the plan's new and updated rows (inside the engine's transaction); return
        what :meth:`undo` needs (kept as ``batch.undo_log``), or None when the importer keeps
        its own undo records."""

    def undo_blockers(self, batch: ImportBatch) -> list[str]:
        """Why the batch cannot be undone (empty when it can); checked before :meth:`undo`."""
        return []

    @abstractmethod
    def undo(self, *, actor: Any, batch: ImportBatch) -> None:
        """Take back what :meth:`write` did (inside the engine's transaction); refuse with a
        DomainError when a record is out of scope or something depends on it."""

    @abstractmethod
    def example_rows(self, union: Any = None) -> list[dict[str, Any]]:
        """Valid sample rows (column key -> cell as a clerk would type it) for importing into
        ``union`` (None: any union, for the template). The template shows them, and the shared
        tests build files from them."""

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_importers: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    """Offer ``importer`` on the upload page and accept batches of its kind."""
    existing = _importers.get(importer.key)
    if existing is not None and type(existing) is not type(importer):
        raise KeyError(f"an importer is already registered as {importer.key!r}")
    if len(importer.key) > IMPORT_KIND_MAX_LENGTH:
        raise ValueError(f"importer key {importer.key!r} is too long")
    _importers[importer.key] = importer
    return importer


def importers() -> list[Importer]:
    """The registered importers, in the upload page's order."""
    return sorted(_importers.values(), key=lambda i: (i.order, i.key))


def importer_keys() -> set[str]:
    return set(_importers)


def importer_for(kind: str) -> Importer:
    try:
        return _importers[kind]
    except KeyError:
        raise DomainError(
            ImportErrorCode.WRONG_STATE, _("请选择导入内容。"), field="kind"
        ) from None


def kind_label(kind: str) -> str:
    """What the upload page calls ``kind`` (the key itself if no importer has it now)."""
    found = _importers.get(kind)
    return str(found.label) if found else kind


# --- stored files and progress ------------------------------------------------------------


def _storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


# The "roster-" prefix is historical (the roster was the first importer): every kind's files
# are named so, and the purge finds a report an earlier check left by this name.
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
    """How far the background check or apply of a batch is: stage, done, total."""
    progress: dict[str, Any] | None = cache.get(progress_key(batch_id))
    return progress


def _progress_for(batch: ImportBatch) -> Progress:
    def report(stage: str, done: int, total: int) -> None:
        cache.set(progress_key(batch.pk), {"stage": stage, "done": done, "total": total}, 3600)

    return report


# --- upload ------------------------------------------------------------------------------


def _check_union_open(union: Any) -> None:
    if union.dissolved_on is not None:
        raise DomainError(
            ImportErrorCode.UNION_DISSOLVED,
            _("“%(u)s”已于 %(on)s 撤销，不能导入会员。")
            % {"u": union.name, "on": union.dissolved_on},
            field="union",
        )


@transaction.atomic
def import_create(
    *, actor: Any, union: Any, path: Path | str, filename: str, kind: str
) -> ImportBatch:
    """Keep an uploaded file for ``union`` and open an import batch of ``kind`` (the key of
    a registered importer) for it."""
    require_write(actor, union)
    _check_union_open(union)
    importer = importer_for(kind)
    source = Path(path)
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    batch = ImportBatch.objects.create(
        union=union,
        actor=actor,
        kind=importer.key,
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
    # The audit actions keep their first names ("roster_import.*") whatever the kind: they
    # are stored codes that the trail and its filters already hold.
    audit.record(
        actor=actor,
        obj=batch,
        action="roster_import.upload",
        message=_("上传“%(file)s”（%(kind)s）") % {"file": batch.file_name, "kind": importer.label},
    )
    return batch


# --- checking ----------------------------------------------------------------------------


def _report(batch: ImportBatch, plan: Plan) -> str:
    """An .xlsx with the invalid rows as they were (to correct and re-upload) and the list of
    problems; its path."""
    table = plan.table
    headers = [h or f"列{i + 1}" for i, h in enumerate(table.headers)]

    def cell(i: int) -> Callable[[Row], str]:
        return lambda r: text(r.raw[i]) if i < len(r.raw) else ""

    def problems(r: Row) -> str:
        return "；".join(f"{e.column}：{e.message}" if e.column else e.message for e in r.errors)

    columns: list[ExportColumn] = [(_("原行号"), lambda r: r.number)]
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

    importer = importer_for(batch.kind)
    if progress:
        progress(str(_("读取文件")), 0, 0)
    table = importer.read(batch.stored_file, filename=batch.file_name, progress=parsing)
    if progress:
        progress(str(_("比对已有记录")), len(table.rows), len(table.rows))
    plan = importer.plan(actor=actor, union=batch.union, table=table)
    plan.invalid.sort(key=lambda r: r.number)
    return plan


def import_check(*, actor: Any, batch: ImportBatch, progress: Progress | None = None) -> Plan:
    """Check every row and say what applying would do; write no records.

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


def import_apply(
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
        batch = lock(batch)
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
        # Lock the union as the domains' writes do, so a dissolution cannot interleave.
        union = lock(batch.union)
        _check_union_open(union)
        batch.union = union
        importer = importer_for(batch.kind)
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
        undo_log = importer.write(actor=actor, batch=batch, plan=plan, progress=progress)
        if undo_log is not None:
            batch.undo_log = undo_log
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
                "kind": importer.label,
                "file": batch.file_name,
                "union": union.name,
                "new": batch.new,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                "invalid": batch.invalid,
            },
        )
    progress(str(_("完成")), 1, 1)
    return batch


@transaction.atomic
def import_request(*, actor: Any, batch: ImportBatch, mode: str | None = None) -> ImportBatch:
    """Queue the check (``mode=None``) or the apply of a batch for the background worker."""
    from . import tasks

    require_write(actor, batch.union)
    batch = lock(batch)
    _check_file_kept(batch)
    if mode is None:
        if batch.status not in (ImportStatus.UPLOADED, ImportStatus.FAILED):
            raise DomainError(ImportErrorCode.WRONG_STATE, _("该批次已校验。"))
        batch.status = ImportStatus.CHECKING
        batch.save(update_fields=["status"])
        transaction.on_commit(lambda: tasks.check_import.enqueue(batch.pk, actor.pk))
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
    transaction.on_commit(lambda: tasks.apply_import.enqueue(batch.pk, actor.pk, mode))
    return batch


# --- undo --------------------------------------------------------------------------------------


def undo_blockers(batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone (empty when it can)."""
    if batch.status != ImportStatus.APPLIED:
        return [str(_("只有已导入的批次可以撤销。"))]
    return importer_for(batch.kind).undo_blockers(batch)


@transaction.atomic
def import_undo(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Take back everything an import wrote, while nothing later depends on it: the records
    it created are removed, the fields it changed get their old values."""
    require_write(actor, batch.union)
    batch = lock(batch)
    reasons = undo_blockers(batch)
    if reasons:
        raise DomainError(ImportErrorCode.CANNOT_UNDO, _("不能撤销：") + "；".join(reasons))
    try:
        with transaction.atomic():
            importer_for(batch.kind).undo(actor=actor, batch=batch)
    except (IntegrityError, ProtectedError) as err:
        raise DomainError(
            ImportErrorCode.CANNOT_UNDO, _("不能撤销：本批数据已被其他记录引用。")
        ) from err
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


def example_table(importer: Importer, rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """The header and ``rows`` (column key -> cell) as a sheet's rows, in the columns' order."""
    return [importer.headers(), *([row.get(c.key, "") for c in importer.columns] for row in rows)]
