"""The organisation domain's importers: lists of enterprises and of unions.

Short lists — a street's enterprises, a district's grassroots unions — so every row goes through
the domain services (validated and audited one by one) inside the import's transaction. Rows
match records by the unified social credit code (enterprises) or the union code (unions).
The preview rehearses that same write and rolls it back (``core.importing.writing``), so a row
it calls valid is one the services accept: preview and apply cannot disagree.
The engine (``gonghui.core.importing``) does the upload, preview, apply, undo and the report.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import abstractmethod
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import ProtectedError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.errors import DomainError
from gonghui.core.identifiers import normalize_mobile, normalize_uscc
from gonghui.core.importing.engine import Importer, Plan, Progress, Update
from gonghui.core.importing.spreadsheet import (
    Column,
    Row,
    Table,
    ValueProblem,
    limited,
    parse_bool,
    parse_date,
    text,
)
from gonghui.core.importing.writing import RowWriter, rehearse
from gonghui.core.models import ImportBatch
from gonghui.core.scope import Actor, require_write, user_scope

from . import services
from .models import Enterprise, Industry, JointKind, Union, UnionKind

ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("name", "企业名称", ("单位名称", "企业全称", "名称"), True),
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码"), True),
    Column("industry", "行业", ("所属行业", "行业类别")),
    Column("above_scale", "是否规上企业", ("规上企业", "是否规模以上企业")),
    Column("workforce", "职工人数", ("职工数", "从业人数", "员工人数")),
    Column("address", "地址", ("企业地址", "注册地址", "经营地址")),
    Column("contact_phone", "联系电话", ("电话", "手机", "联系手机")),
)
UNION_COLUMNS: tuple[Column, ...] = (
    Column("name", "工会名称", ("名称", "组织名称"), True),
    Column("code", "组织代码", ("工会代码", "代码"), True),
    Column("kind", "类型", ("工会类型", "组织类型"), True),
    Column("joint_kind", "联合工会类别", ("联合类别",)),
    Column("parent", "上级工会代码", ("上级代码", "上级工会"), True),
    Column("founded_on", "成立日期", ("成立时间", "建会日期", "建会时间")),
    Column("address", "地址", ()),
    Column("phone", "联系电话", ("电话",)),
)
ENTERPRISE_FIELDS = ("name", "industry", "above_scale", "workforce", "address", "contact_phone")
UNION_FIELDS = ("name", "joint_kind", "founded_on", "address", "phone")


# Common ways of writing a choice that are not its label.
_ALIASES = {
    "社区工联会": UnionKind.COMMUNITY,
    "社区工会联合会": UnionKind.COMMUNITY,
    "街道工会": UnionKind.STREET_FEDERATION,
    "基层工会": UnionKind.ENTERPRISE,
}


def _choice(choices: Any, what: Any) -> Any:
    """A parser accepting a choice's code or its exact label, in Chinese or English, whatever
    the language active when the file is checked; nothing is guessed from part of a word."""
    values = {c.value for c in choices}
    by_label: dict[str, str] = {k: v for k, v in _ALIASES.items() if v in values}
    for language in (settings.LANGUAGE_CODE, "en"):
        with translation.override(language):
            by_label.update({str(c.label): c.value for c in choices})

    def parse(value: Any) -> str:
        raw = text(value)
        if raw == "":
            return ""
        if raw in values:
            return raw
        if raw in by_label:
            return by_label[raw]
        raise ValueProblem(
            _("无法识别的%(what)s“%(v)s”，可填：%(options)s。")
            % {"what": what, "v": raw, "options": "、".join(str(c.label) for c in choices)}
        )

    return parse


def _code(value: Any) -> str:
    raw = text(value)
    if raw and not re.fullmatch(r"[A-Za-z0-9-]{2,32}", raw):
        raise ValueProblem(_("组织代码应为 2 至 32 位字母、数字或短横线。"))
    return raw


def _count(value: Any) -> int:
    raw = text(value).replace(",", "")
    if raw == "":
        return 0
    if not raw.isdigit():
        raise ValueProblem(_("“%s”不是人数。") % raw)
    return int(raw)


def _uscc(value: Any) -> str:
    return normalize_uscc(text(value)) if text(value) else ""


def _phone(value: Any) -> str:
    return normalize_mobile(text(value)) if text(value) else ""


ENTERPRISE_PARSERS = {
    "name": limited(200),
    "uscc": _uscc,
    "industry": _choice(Industry, _("行业")),
    "above_scale": parse_bool,
    "workforce": _count,
    "address": limited(200),
    "contact_phone": _phone,
}
UNION_PARSERS = {
    "name": limited(100),
    "code": _code,
    "kind": _choice(UnionKind, _("工会类型")),
    "joint_kind": _choice(JointKind, _("联合工会类别")),
    "parent": _code,
    "founded_on": parse_date,
    "address": limited(200),
    "phone": limited(32),
}


class _ListImporter(Importer):
    """A short list of records written through the organisation services, row by row."""

    model: Any
    match_key: str  # the column that matches a row to a record on file
    fields: tuple[str, ...]  # what an import may change on a record on file
    related: tuple[str, ...] = ()  # read with each record on file

    @abstractmethod
    def path_of(self, record: Any) -> str:
        """The tree path that decides who may see ``record``."""

    @abstractmethod
    def union_of(self, record: Any) -> Any:
        """The union ``record`` belongs to."""

    def existing(self, keys: list[Any]) -> dict[Any, Any]:
        found = self.model.objects.filter(**{f"{self.match_key}__in": keys})
        return {getattr(r, self.match_key): r for r in found.select_related(*self.related)}

    def check_row(self, row: Row, table: Table, scope: Any, in_file: set[Any]) -> bool:
        """Rules of a row beyond its cells (before it is matched); False when it is invalid."""
        return True

    def check_match(self, row: Row, table: Table, current: Any) -> bool:
        """Rules of a row that matches a record on file; False when it is invalid."""
        return True

    @abstractmethod
    def create(
        self, actor: Actor, union: Union, rows: list[Row], writer: RowWriter
    ) -> Iterator[Any]:
        """Create the records of ``rows`` through the services; yield those made."""

    @abstractmethod
    def update(self, actor: Actor, record: Any, changes: dict[str, Any]) -> None:
        """Write ``changes`` to ``record`` through the services."""

    def check_undo(self, log: dict[str, Any]) -> None:
        return None

    # --- the engine's interface -------------------------------------------------------------

    def plan(self, *, actor: Actor, union: Union, table: Table) -> Plan:
        plan = self._sort(actor, table)
        return rehearse(
            plan,
            lambda writer: self._write(actor, union, plan, writer),
            columns=self.columns,
        )

    def write(
        self, *, actor: Actor, batch: ImportBatch, plan: Plan, progress: Progress
    ) -> dict[str, Any]:
        """Write through the services; return what undo needs. A row the services refuse
        (it passed the preview, so the records changed meanwhile) stops the whole import, one
        transaction, with a message naming the row and the column."""
        writer = RowWriter(plan.table, strict=True, columns=self.columns)
        return self._write(actor, batch.union, plan, writer)

    def undo(self, *, actor: Actor, batch: ImportBatch) -> None:
        """Take back what ``write`` did. Refused (DomainError) when a record is outside the
        actor's scope, was changed after the import, or is depended on (members, coverage,
        employees, unions below it)."""
        log = batch.undo_log
        model = self.model
        ids = [e["id"] for e in log.get("updated", [])] + list(log.get("created", []))
        for obj in model.objects.filter(pk__in=ids).select_related(*self.related):
            require_write(actor, self.union_of(obj))
        expected = log.get("expected", {})
        for obj in model.objects.filter(pk__in=ids):
            wanted = expected.get(str(obj.pk), {})
            if _plain({f: getattr(obj, f) for f in wanted}) != wanted:
                raise DomainError(
                    "import_cannot_undo", _("不能撤销：“%s”在导入后又被修改过。") % obj
                )
        self.check_undo(log)
        for entry in log.get("updated", []):
            before = dict(entry["before"])
            if before.get("founded_on"):
                before["founded_on"] = dt.date.fromisoformat(before["founded_on"])
            model.objects.filter(pk=entry["id"]).update(**before)
            audit.record(
                actor=actor,
                obj=model.objects.get(pk=entry["id"]),
                action=f"{model._meta.model_name}.import_undo",
                message=_("撤销导入：恢复导入前的信息"),
            )
        try:
            for pk in reversed(log.get("created", [])):
                model.objects.get(pk=pk).delete()
        except ProtectedError as err:
            raise DomainError(
                "import_cannot_undo",
                _("不能撤销：导入的记录已被其他记录引用（会员、覆盖、下级工会等）。"),
            ) from err

    # --- shared by the preview and the write --------------------------------------------------

    def _sort(self, actor: Actor, table: Table) -> Plan:
        """New, updates (with the changes), unchanged and invalid, by the importer's rules."""
        plan = Plan(table=table)
        scope = user_scope(actor)
        key = self.match_key
        rows = table.rows
        existing = self.existing([r.values.get(key) for r in rows if not r.errors])
        in_file = {r.values.get(key) for r in rows if not r.errors}
        seen: dict[str, int] = {}
        for row in rows:
            if row.errors:
                plan.invalid.append(row)
                continue
            k = row.values[key]
            if k in seen:
                table.error(row, key, _("与第 %d 行重复。") % seen[k], header=key)
                plan.invalid.append(row)
                continue
            seen[k] = row.number
            if not self.check_row(row, table, scope, in_file):
                plan.invalid.append(row)
                continue
            current = existing.get(k)
            if current is None:
                plan.new.append(row)
                continue
            if not scope.covers(self.path_of(current), mode="write"):
                table.error(row, key, _("该记录属于其他工会，不在您的管辖范围内。"), header=key)
                plan.invalid.append(row)
                continue
            if not self.check_match(row, table, current):
                plan.invalid.append(row)
                continue
            changes = {
                f: row.values[f]
                for f in self.fields
                if f in row.values
                and row.values[f] not in ("", None)
                and getattr(current, f) != row.values[f]
            }
            if changes:
                plan.updates.append(Update(row, current, changes))
            else:
                plan.unchanged.append(row)
        return plan

    def _write(self, actor: Actor, union: Union, plan: Plan, writer: RowWriter) -> dict[str, Any]:
        created: list[int] = []
        updated: list[dict[str, Any]] = []
        expected: dict[str, dict[str, Any]] = {}  # what the import left: undo checks it is still so
        for made in self.create(actor, union, plan.new, writer):
            created.append(made.pk)
            expected[str(made.pk)] = {f: getattr(made, f) for f in self.fields}
        for update in plan.updates:
            current, changes = update.record, update.changes
            before = {f: getattr(current, f) for f in changes}
            with writer.row(update.row) as outcome:
                self.update(actor, current, changes)
            if outcome.refused:
                continue
            updated.append({"id": current.pk, "before": before})
            expected[str(current.pk)] = dict(changes)
        return {
            "created": created,
            "updated": [_jsonable(u) for u in updated],
            "expected": {pk: _plain(values) for pk, values in expected.items()},
        }


class EnterpriseListImporter(_ListImporter):
    """Enterprises in the area of the union imported into, matched by credit code."""

    key = "enterprises"
    label = _("企业名录")
    help_text = _("企业名录登记为所选工会属地的企业")
    columns = ENTERPRISE_COLUMNS
    order = 20
    model = Enterprise
    match_key = "uscc"
    fields = ENTERPRISE_FIELDS
    related = ("union",)

    def parsers(self) -> dict[str, Any]:
        return ENTERPRISE_PARSERS

    def path_of(self, record: Any) -> str:
        return record.union.path

    def union_of(self, record: Any) -> Any:
        return record.union

    def create(
        self, actor: Actor, union: Union, rows: list[Row], writer: RowWriter
    ) -> Iterator[Any]:
        for row in rows:
            values = {k: v for k, v in row.values.items() if k in ENTERPRISE_FIELDS or k == "uscc"}
            values.setdefault("industry", Industry.C)  # a list without the column
            with writer.row(row) as outcome:
                made = services.enterprise_create(actor=actor, union=union, **values)
            if not outcome.refused:
                yield made

    def update(self, actor: Actor, record: Any, changes: dict[str, Any]) -> None:
        services.enterprise_update(actor=actor, enterprise=record, **changes)

    def check_undo(self, log: dict[str, Any]) -> None:
        if Enterprise.objects.filter(
            pk__in=log.get("created", []), employees__isnull=False
        ).exists():
            raise DomainError("import_cannot_undo", _("不能撤销：已有人员的工作单位是导入的企业。"))

    def example_rows(self, union: Union | None = None) -> list[dict[str, Any]]:
        return [
            {
                "name": "示例科技有限公司",
                "uscc": "91330104MA2000001M",
                "industry": "信息传输、软件和信息技术服务业",
                "above_scale": "是",
                "workforce": "230",
                "address": "示例路1号",
                "contact_phone": "13812345678",
            },
            {
                "name": "示例面馆",
                "uscc": "91330104MA2000002Q",
                "industry": "住宿和餐饮业",
                "above_scale": "否",
                "workforce": "8",
            },
        ]


class UnionListImporter(_ListImporter):
    """Unions under parents named by their code (on record, or elsewhere in the file)."""

    key = "unions"
    label = _("工会组织")
    help_text = _("工会组织按“上级工会代码”建立")
    columns = UNION_COLUMNS
    order = 30
    model = Union
    match_key = "code"
    fields = UNION_FIELDS
    related = ("parent",)

    def parsers(self) -> dict[str, Any]:
        return UNION_PARSERS

    def path_of(self, record: Any) -> str:
        return record.path

    def union_of(self, record: Any) -> Any:
        return record

    def check_row(self, row: Row, table: Table, scope: Any, in_file: set[Any]) -> bool:
        if row.values.get("joint_kind") and row.values["kind"] != UnionKind.JOINT:
            # The service would drop it silently, and the next import of the same file would
            # then disagree with the record it wrote.
            table.error(
                row,
                "joint_kind",
                _("只有联合工会才填写“联合工会类别”，该行的工会类型不是联合工会。"),
                header="joint_kind",
            )
            return False
        parent = row.values["parent"]
        on_record = Union.objects.filter(code=parent).first()
        if parent not in in_file and on_record is None:
            table.error(row, "parent", _("找不到上级工会“%s”。") % parent, header="parent")
            return False
        if on_record is not None and not scope.covers(on_record.path, mode="write"):
            table.error(
                row, "parent", _("上级工会“%s”不在您的管辖范围内。") % parent, header="parent"
            )
            return False
        return True

    def check_match(self, row: Row, table: Table, current: Any) -> bool:
        if (
            current.kind != row.values["kind"]
            or (current.parent.code if current.parent else "") != row.values["parent"]
        ):
            table.error(row, "parent", _("不能通过导入修改已有工会的类型或上级。"), header="parent")
            return False
        return True

    def create(
        self, actor: Actor, union: Union, rows: list[Row], writer: RowWriter
    ) -> Iterator[Any]:
        pending = list(rows)
        while pending:  # parents before children, whatever the file's order
            progressed = False
            for row in list(pending):
                parent = Union.objects.filter(code=row.values["parent"]).first()
                if parent is None:
                    continue
                pending.remove(row)
                progressed = True
                v = row.values
                with writer.row(row) as outcome:
                    made = services.union_create(
                        actor=actor,
                        parent=parent,
                        name=v["name"],
                        code=v["code"],
                        kind=v["kind"],
                        joint_kind=v.get("joint_kind", ""),
                        founded_on=v.get("founded_on"),
                        address=v.get("address", ""),
                        phone=v.get("phone", ""),
                    )
                if not outcome.refused:
                    yield made
            if not progressed:
                # Their parents are rows that could not be written, or they name each other.
                for row in pending:
                    writer.refuse(
                        row,
                        "parent",
                        _("上级工会“%s”无法建立（该行无效，或上级关系成环）。")
                        % row.values["parent"],
                    )
                return

    def update(self, actor: Actor, record: Any, changes: dict[str, Any]) -> None:
        services.union_update(actor=actor, union=record, **changes)

    def example_rows(self, union: Union | None = None) -> list[dict[str, Any]]:
        parent = union.code if union is not None else "JA-SJ-01"
        return [
            {
                "name": "示例科技有限公司工会",
                "code": "EX-EN-01",
                "kind": "企业工会",
                "parent": parent,
                "founded_on": "2015-03-01",
                "address": "示例路1号",
                "phone": "13812345678",
            },
            {
                "name": "示例餐饮行业联合工会",
                "code": "EX-JT-01",
                "kind": "联合工会",
                "joint_kind": "行业联合工会",
                "parent": parent,
                "founded_on": "2015年5月1日",
            },
        ]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _jsonable(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": entry["id"],
        "before": {
            k: v.isoformat() if isinstance(v, dt.date) else v for k, v in entry["before"].items()
        },
    }
