"""Every write of the report engine: finalising a report, the federation's wording of the
draft's paragraphs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core import audit
from gonghui.core.bulk import chunk_size, insert_rows
from gonghui.core.errors import DomainError
from gonghui.core.metrics import paragraphs
from gonghui.core.scope import Actor, require_user, require_write

from .checks import findings, run_checks
from .draft import MAX_TEXT
from .errors import ReportError as E
from .models import ParagraphText, ReleaseRecord, ReportRelease
from .selectors import annual_report, format_value, report_period

if TYPE_CHECKING:
    from gonghui.organisation.models import Union


def _pks(records: Any) -> Iterator[list[int]]:
    """The records' primary keys, a chunk at a time (a figure may count millions)."""
    chunk: list[int] = []
    for pk in records.order_by().values_list("pk", flat=True).iterator(chunk_size()):
        chunk.append(pk)
        if len(chunk) >= chunk_size():
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def report_finalise(
    *,
    actor: Actor,
    union: Union,
    year: int,
    kind: str = "calendar",
    note: str = "",
    acknowledged_findings: int | None = None,
) -> ReportRelease:
    """Sign the report of ``union``'s subtree for the (calendar or statistical) ``year``:
    freeze every computed figure's value and the records it counted, with who signed and
    when. The period must be over, the signer must be allowed to write for the union (its
    scope then covers the whole subtree, so the frozen figures are complete), and a report is
    finalised once. If the logic checks find anything, the signer must acknowledge exactly
    how many checks failed (so a stale acknowledgement fails when new findings appear) and
    say why in ``note``; the findings are kept with the release."""
    require_write(actor, union)
    period = report_period(year, kind)
    if period.end >= timezone.localdate():
        raise DomainError(
            E.PERIOD_NOT_OVER,
            _("报告期至 %(end)s 结束，结束后才能定稿。") % {"end": period.end},
        )
    if ReportRelease.objects.filter(union=union, year=year, period_kind=period.kind).exists():
        raise DomainError(E.ALREADY_FINAL, _("该工会该报告期的报告已定稿，不能再次签发。"))
    failed = findings(run_checks(actor=actor, union=union, period=period))
    note = note.strip()
    if failed:
        if acknowledged_findings != len(failed):
            raise DomainError(
                E.FINDINGS_NOT_ACKNOWLEDGED,
                _(
                    "逻辑校验发现 %(n)s 项问题：请先核实更正；确需定稿的，请确认“尽管有 %(n)s 项"
                    "问题仍签发”并说明理由。"
                )
                % {"n": len(failed)},
                field="acknowledged_findings",
            )
        if not note:
            raise DomainError(
                E.NOTE_REQUIRED, _("尽管有逻辑校验问题仍签发的，须说明理由。"), field="note"
            )
    report = annual_report(actor=actor, union=union, year=year, kind=kind, compare=False)
    computed = [r for r in report.rows if r.result is not None]
    release = ReportRelease(
        union=union,
        year=year,
        period_kind=period.kind,
        values={r.entry.id: format_value(r.value) for r in computed},
        record_models={
            r.entry.id: r.result.records.model._meta.label_lower
            for r in computed
            if r.result is not None and r.result.records is not None
        },
        findings=[
            {
                "check": o.check.id,
                "title": str(o.check.title),
                "count": o.result.count,
                "message": o.result.message,
            }
            for o in failed
        ],
        signed_by=require_user(actor),
        signed_at=timezone.now(),
        note=note[:500],
    )
    release.full_clean(validate_constraints=False)  # the insert below checks them
    try:
        with transaction.atomic():
            release.save()
    except IntegrityError:  # signed at the same moment by someone else
        raise DomainError(
            E.ALREADY_FINAL, _("该工会该报告期的报告已定稿，不能再次签发。")
        ) from None
    for row in computed:
        records = row.result.records if row.result is not None else None
        if records is None:
            continue
        for pks in _pks(records):
            insert_rows(
                ReleaseRecord,
                ["release_id", "metric_id", "object_id"],
                ((release.pk, row.entry.id, pk) for pk in pks),
                len(pks),
            )
    audit.record(
        actor=actor,
        obj=release,
        action="report.finalise",
        message=_("签发定稿：%(n)s 项指标%(despite)s")
        % {
            "n": len(computed),
            "despite": _("（尽管有 %(n)s 项逻辑校验问题）") % {"n": len(failed)} if failed else "",
        },
    )
    return release


@transaction.atomic
def paragraph_text_save(*, actor: Actor, union: Union, key: str, text: str) -> ParagraphText:
    """Keep the federation's wording of paragraph ``key`` of ``union``'s draft (an empty text
    restores the registered default). The paragraph must be registered; placeholders are not
    refused (an unknown one is written "（尚未计算）" and listed on the draft)."""
    require_write(actor, union)
    if key not in {p.key for p in paragraphs()}:
        raise DomainError(E.UNKNOWN_PARAGRAPH, _("没有这个文稿段落。"), field="key")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(
            E.TEXT_TOO_LONG, _("段落不能超过 %(n)s 个字。") % {"n": MAX_TEXT}, field="text"
        )
    existing = ParagraphText.objects.select_for_update().filter(union=union, key=key).first()
    before = existing.text if existing is not None else ""
    if existing is None:
        existing = ParagraphText(union=union, key=key)
    existing.text = text
    existing.updated_by = require_user(actor)
    existing.updated_at = timezone.now()
    existing.full_clean(validate_constraints=False)
    existing.save()
    audit.record(
        actor=actor,
        obj=existing,
        action="report.paragraph",
        message=_("修改工作报告文稿段落") if text else _("文稿段落恢复为默认文字"),
        changes={"文稿段落": (before, text)},
    )
    return existing
