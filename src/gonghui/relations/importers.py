"""The labour-relations importer: a contract register (集体合同台账) from Excel.

One row per enterprise contract in effect: the enterprise (by its credit code), the signing
union (by its code, in the chosen union's subtree), the kind, the signing, filing, effective,
expiry and publication dates, the workers covered, and whether it renews the enterprise's
previous contract of the kind. A row matches a contract on file by enterprise, kind and
effective date; a matched row may correct the title and the workers covered. Every row is
written by ``services.contract_register`` (the same rules as the back office: the union covers
the enterprise, the dates are in order, no two contracts of a kind in force at once), which the
preview rehearses. Sector and area contracts, which cover many enterprises, are recorded in
the back office.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc

from gonghui.core.identifiers import normalize_uscc
from gonghui.core.importing.engine import Importer, Plan, Progress, Update
from gonghui.core.importing.spreadsheet import (
    Column,
    Table,
    ValueProblem,
    parse_bool,
    parse_date,
    text,
)
from gonghui.core.importing.writing import RowWriter, rehearse
from gonghui.core.models import ImportBatch
from gonghui.core.scope import Actor, scope_queryset
from gonghui.organisation.models import Coverage, Enterprise, Union, UnionKind

from . import services
from .models import TOOK_EFFECT, CollectiveContract, ContractEnterprise, ContractKind

COLUMNS: tuple[Column, ...] = (
    Column("enterprise_name", "企业名称", ("单位名称", "企业全称")),
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码"), True),
    Column("union_code", "签约工会代码", ("工会代码", "组织代码"), True),
    Column("kind", "合同类别", ("合同类型", "类别"), True),
    Column("title", "合同名称", ("名称",)),
    Column("signed_on", "签订日期", ("签订时间",), True),
    Column("filed_on", "报送审查日期", ("报送日期", "备案日期")),
    Column("effective_on", "生效日期", ("生效时间", "起始日期"), True),
    Column("expires_on", "期满日期", ("到期日期", "终止日期"), True),
    Column("published_on", "公布日期", ("公示日期",)),
    Column("workers_covered", "覆盖职工人数", ("覆盖人数", "涉及职工人数")),
    Column("renewal", "到期续签", ("是否续签",)),
)
#: the fields a service may name, read from these columns
FIELDS = {"enterprise": "uscc", "enterprises": "uscc", "union": "union_code"}

_KINDS = {
    "综合性集体合同": ContractKind.GENERAL,
    "集体合同": ContractKind.GENERAL,
    "综合": ContractKind.GENERAL,
    "工资专项集体合同": ContractKind.WAGE,
    "工资集体协议": ContractKind.WAGE,
    "工资专项集体协议": ContractKind.WAGE,
    "工资协议": ContractKind.WAGE,
    "工资": ContractKind.WAGE,
    "女职工权益保护专项集体合同": ContractKind.WOMEN,
    "女职工专项集体合同": ContractKind.WOMEN,
    "女职工": ContractKind.WOMEN,
}


def _kind(value: Any) -> str:
    raw = text(value).replace(" ", "")
    if raw in ("", None):
        return ""
    by_code = {k.value: k.value for k in ContractKind}
    by_label = {str(k.label): k.value for k in ContractKind}
    found = _KINDS.get(raw) or by_code.get(raw.lower()) or by_label.get(raw)
    if found is None:
        raise ValueProblem(
            _("合同类别应为“综合性集体合同”“工资专项集体合同”或“女职工权益保护专项集体合同”。")
        )
    return str(found)


def _uscc(value: Any) -> str:
    return normalize_uscc(text(value)) if text(value) else ""


def _count(value: Any) -> int | None:
    raw = text(value).replace(",", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 7:
        raise ValueProblem(_("覆盖职工人数应为整数。"))
    return int(raw)


class ContractRegisterImporter(Importer):
    key = "contract_register"
    label = _("集体合同台账")
    help_text = _("已生效的企业集体合同（含工资专项集体合同、女职工专项合同）登记到所选工会")
    columns = COLUMNS
    order = 60

    def parsers(self) -> dict[str, Callable[[Any], Any]]:
        dates = {k: parse_date for k in ("signed_on", "filed_on", "effective_on", "expires_on")}
        return {
            "enterprise_name": text,
            "uscc": _uscc,
            "union_code": text,
            "kind": _kind,
            "title": text,  # its length is the model's rule, checked by the rehearsal
            "published_on": parse_date,
            "workers_covered": _count,
            "renewal": parse_bool,
            **dates,
        }

    # --- planning ----------------------------------------------------------------------
    def plan(self, *, actor: Actor, union: Union, table: Table) -> Plan:
        plan = Plan(table=table)
        unions = {
            u.code.upper(): u
            for u in scope_queryset(actor, Union.objects.all(), mode="write").filter(
                path__startswith=union.path
            )
        }
        usccs = {r.values.get("uscc") for r in table.rows if r.values.get("uscc")}
        firms = {
            e.uscc: e
            for e in scope_queryset(actor, Enterprise.objects.all()).filter(uscc__in=usccs)
        }
        on_file = {
            (row.enterprise_id, row.kind, row.contract.effective_on): row
            for row in ContractEnterprise.objects.filter(
                enterprise__in=firms.values(), contract__status__in=TOOK_EFFECT
            ).select_related("contract")
        }
        seen: dict[tuple[Any, ...], int] = {}
        for row in table.rows:
            if row.errors:
                plan.invalid.append(row)
                continue
            v = row.values
            signing = unions.get(v["union_code"].upper())
            if signing is None:
                table.error(row, "union_code", _("找不到该工会，或不在所选工会及您的管辖范围内。"))
            firm = firms.get(v["uscc"])
            if firm is None:
                table.error(row, "uscc", _("找不到该企业，或不在您的管辖范围内；请先登记企业。"))
            if row.errors:
                plan.invalid.append(row)
                continue
            assert firm is not None  # noqa: S101 - checked above
            v["union"], v["enterprise"] = signing, firm
            key = (firm.pk, v["kind"], v["effective_on"])
            if key in seen:
                table.error(row, "effective_on", _("与第 %s 行是同一份合同。") % seen[key])
                plan.invalid.append(row)
                continue
            seen[key] = row.number
            existing = on_file.get(key)
            if existing is None:
                plan.new.append(row)
                continue
            changes = {}
            if v.get("title") and v["title"] != existing.contract.title:
                changes["title"] = v["title"]
            covered = v.get("workers_covered")
            if covered is not None and covered != existing.workers_covered:
                changes["workers_covered"] = covered
            if changes:
                plan.updates.append(Update(row, existing.contract, changes))
            else:
                plan.unchanged.append(row)
        return rehearse(
            plan,
            lambda writer: self._write(actor, plan, writer),
            columns=self.columns,
            fields=FIELDS,
        )

    # --- writing ------------------------------------------------------------------------
    def write(
        self, *, actor: Actor, batch: ImportBatch, plan: Plan, progress: Progress
    ) -> dict[str, Any]:
        writer = RowWriter(plan.table, strict=True, columns=self.columns, fields=FIELDS)
        return self._write(actor, plan, writer, progress=progress)

    def _write(
        self, actor: Actor, plan: Plan, writer: RowWriter, progress: Progress | None = None
    ) -> dict[str, Any]:
        created: list[int] = []
        total = len(plan.new) + len(plan.updates)
        for done, row in enumerate(plan.new, start=1):
            v = row.values
            with writer.row(row) as outcome:
                made = services.contract_register(
                    actor=actor,
                    union=v["union"],
                    enterprise=v["enterprise"],
                    kind=v["kind"],
                    title=v.get("title") or "",
                    signed_on=v["signed_on"],
                    filed_on=v.get("filed_on"),
                    effective_on=v["effective_on"],
                    expires_on=v["expires_on"],
                    published_on=v.get("published_on"),
                    workers_covered=v.get("workers_covered"),
                    renewal=bool(v.get("renewal")),
                )
            if not outcome.refused:
                created.append(made.pk)
            if progress is not None and done % 200 == 0:
                progress("apply", done, total)
        updated = []
        for update in plan.updates:
            contract = update.record
            before = {
                "title": contract.title,
                "workers_covered": contract.coverages.get().workers_covered,
            }
            with writer.row(update.row) as outcome:
                services.contract_register_update(actor=actor, contract=contract, **update.changes)
            if not outcome.refused:
                updated.append({"id": contract.pk, "before": before})
        return {"created": created, "updated": updated}

    # --- undoing --------------------------------------------------------------------------
    def undo_blockers(self, batch: ImportBatch) -> list[str]:
        created = batch.undo_log.get("created", [])
        problems = []
        if CollectiveContract.objects.filter(renews__in=created).exclude(pk__in=created).exists():
            problems.append(str(_("本批导入的合同已有续签合同。")))
        if CollectiveContract.objects.filter(pk__in=created, renewal_offers__isnull=False).exists():
            problems.append(str(_("本批导入的合同已发起续签要约。")))
        if CollectiveContract.objects.filter(pk__in=created, checked_on__isnull=False).exists():
            problems.append(str(_("本批导入的合同已登记履约检查。")))
        return problems

    def undo(self, *, actor: Actor, batch: ImportBatch) -> None:
        log = batch.undo_log
        for entry in reversed(log.get("updated", [])):
            services.contract_register_update(
                actor=actor,
                contract=CollectiveContract.objects.get(pk=entry["id"]),
                **entry["before"],
            )
        created = CollectiveContract.objects.filter(pk__in=log.get("created", []))
        # Later imported contracts first: one may renew another of the same batch.
        for contract in created.order_by("-pk"):
            services.contract_register_remove(actor=actor, contract=contract)

    # --- the template --------------------------------------------------------------------
    def example_rows(self, union: Any = None) -> list[dict[str, Any]]:
        firm, signing = _covered_example(union)
        name = firm.name if firm else "杭州示例科技有限公司"
        code = firm.uscc if firm else _sample_uscc()
        union_code = signing.code if signing else "JA-E0001"
        common = {"enterprise_name": name, "uscc": code, "union_code": union_code}
        return [
            {
                **common,
                "kind": "综合性集体合同",
                "title": f"{name}集体合同（2015—2017年）",
                "signed_on": "2015-01-05",
                "filed_on": "2015-01-08",
                "effective_on": "2015-02-01",
                "expires_on": "2018-01-31",
                "published_on": "2015-02-06",
                "workers_covered": "80",
            },
            {
                **common,
                "kind": "工资专项集体合同",
                "signed_on": "2015年3月2日",
                "effective_on": "2015-04-01",
                "expires_on": "2016-03-31",
                "workers_covered": "80",
            },
            {
                # A renewal would say 到期续签: 是 (it then needs the contract it renews on
                # file); each example stands alone.
                **common,
                "kind": "工资协议",
                "title": f"{name}2016年度工资专项集体合同",
                "signed_on": "2016-03-01",
                "effective_on": "2016-04-01",
                "expires_on": "2017-03-31",
                "renewal": "否",
            },
            {
                **common,
                "kind": "女职工权益保护专项集体合同",
                "signed_on": "2015-06-01",
                "effective_on": "2015-07-01",
                "expires_on": "2018-06-30",
            },
        ]


def _covered_example(union: Union) -> tuple[Enterprise | None, Union | None]:
    """An enterprise that an enterprise union of ``union``'s subtree covers, and that union."""
    if union is None:
        return None, None
    coverage = (
        Coverage.objects.filter(
            union__path__startswith=union.path,
            union__kind=UnionKind.ENTERPRISE,
            ended_on__isnull=True,
            started_on__lte="2015-01-01",
        )
        .select_related("union", "enterprise")
        .order_by("pk")
        .first()
    )
    if coverage is None:
        return None, None
    return coverage.enterprise, coverage.union


def _sample_uscc() -> str:
    body = "91330104MA2CKQ0D1"
    return body + stdnum_uscc.calc_check_digit(body)
