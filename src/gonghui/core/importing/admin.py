"""Back-office pages of the import engine: upload, progress, preview, apply, undo, the error
report and each importer's template. They offer whatever importers the domains registered."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from unfold.decorators import display

from gonghui.core import audit
from gonghui.core.admin_base import ScopedModelAdmin
from gonghui.core.errors import DomainError
from gonghui.core.export import xlsx_response
from gonghui.core.models import ImportBatch, ImportMode, ImportStatus
from gonghui.core.scope import Actor, can_reveal, scope_queryset
from gonghui.core.widgets import style_plain_widgets

from .engine import (
    Importer,
    example_table,
    import_create,
    import_request,
    import_undo,
    importer_for,
    importers,
    read_progress,
    undo_blockers,
)
from .retention import files_removed_after
from .spreadsheet import MAX_BYTES, fold
from .workbench import batches_failed_recently, batches_to_confirm


def _union_model() -> Any:
    # The union tree is a domain's (organisation); the batch's foreign key names its model.
    return ImportBatch._meta.get_field("union").related_model


def _kind_choices() -> list[tuple[str, str]]:
    return [(i.key, str(i.label)) for i in importers()]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=_kind_choices)
    union = forms.ModelChoiceField(label=_("导入到工会"), queryset=ImportBatch.objects.none())
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel（.xlsx、.xls）或 CSV（UTF-8 或 GBK），不超过 50 MB、50 万行"),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_plain_widgets(self)
        offered = importers()
        kind = self.fields["kind"]
        if offered:
            kind.initial = offered[0].key
        # One sentence: the importers' lines joined as the language punctuates a list.
        lines = [str(i.help_text) for i in offered if i.help_text]
        kind.help_text = str(pgettext("list separator", "；")).join(lines) + str(
            pgettext("end of sentence", "。")
        )
        unions = scope_queryset(actor, _union_model().objects.all(), mode="write")
        self.fields["union"].queryset = unions.filter(  # type: ignore[attr-defined]
            dissolved_on__isnull=True
        ).order_by("path")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过 50 MB，请拆分后分批导入。"))
        if not upload.name.lower().endswith((".xlsx", ".xls", ".csv", ".txt", ".et")):
            raise forms.ValidationError(_("请上传 .xlsx、.xls 或 .csv 文件。"))
        return upload


class ApplyForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("写入方式"),
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        initial=ImportMode.ALL_OR_NOTHING,
    )


class KindFilter(admin.SimpleListFilter):
    title = _("导入内容")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return _kind_choices()

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


class TodoFilter(admin.SimpleListFilter):
    """The workbench's to-dos, counted there by the same selectors."""

    title = _("待办")
    parameter_name = "todo"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("failed", _("近 30 天导入失败")), ("checked", _("已校验待确认写入"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "failed":
            due = batches_failed_recently(actor=request.user, now=timezone.now())
        elif self.value() == "checked":
            due = batches_to_confirm(actor=request.user)
        else:
            return queryset
        return queryset.filter(pk__in=due.values("pk"))


def _name_column(batch: ImportBatch, header: Sequence[Any]) -> int | None:
    """Where the error report (the file's own columns) has the row's name: the importer's
    ``name`` column under any of the headers it reads it by."""
    try:
        importer = importer_for(batch.kind)
    except DomainError:
        return None
    names = {fold(n) for c in importer.columns if c.key == "name" for n in (c.header, *c.aliases)}
    return next((i for i, h in enumerate(header) if h and fold(str(h)) in names), None)


def _preview_errors(batch: ImportBatch, limit: int = 100) -> list[list[Any]]:
    """The first invalid rows: their number in the file, the name on the row (a person's, an
    enterprise's) and what is wrong."""
    if batch.files_removed_at or not batch.report_file or not Path(batch.report_file).exists():
        return []
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(batch.report_file).get_sheet_by_index(0).to_python()
    if not rows:
        return []
    name_at = _name_column(batch, rows[0])
    return [
        [r[0], str(r[name_at]).strip() if name_at is not None else "", r[-1]]
        for r in rows[1 : limit + 1]
    ]


def template_xlsx(importer: Importer) -> bytes:
    """The importer's template: a sheet with its header to fill in, and a second sheet of
    example rows (never read: an import reads the first sheet that has anything in it)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.label)[:31]
    sheet.append(importer.headers())
    examples = workbook.create_sheet(str(_("填写示例")))
    for row in example_table(importer, importer.example_rows()):
        examples.append(row)
    for ws in (sheet, examples):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ImportBatchAdmin(ScopedModelAdmin):
    list_display = [
        "created_at",
        "kind_label",
        "file_name",
        "union",
        "actor",
        "status",
        "rows",
        "new",
        "updated",
        "unchanged",
        "invalid",
    ]
    list_filter = [TodoFilter, KindFilter, "status", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["file_name", "union__name"]
    list_select_related = ["union", "actor"]
    plain_edit = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("<id:pk>/report/", view(self.report_view), name="core_importbatch_report"),
            path("<id:pk>/apply/", view(self.apply_view), name="core_importbatch_apply"),
            path("<id:pk>/undo/", view(self.undo_view), name="core_importbatch_undo"),
            path(
                "template/<str:kind>/", view(self.template_view), name="core_importbatch_template"
            ),
            *super().get_urls(),
        ]

    def _batch(self, request: HttpRequest, pk: int) -> ImportBatch:
        batch: ImportBatch | None = self.get_queryset(request).filter(pk=pk).first()
        if batch is None:
            raise Http404(_("找不到该导入批次，或不在您的管辖范围内。"))
        return batch

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, actor=request.user)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    batch = import_create(
                        actor=request.user,
                        union=form.cleaned_data["union"],
                        path=tmp.name,
                        filename=upload.name,
                        kind=form.cleaned_data["kind"],
                    )
                    import_request(actor=request.user, batch=batch)
                except DomainError as err:
                    form.add_error(None, str(err.message))
                else:
                    return HttpResponseRedirect(
                        reverse("admin:core_importbatch_change", args=[batch.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入数据"),
            "subtitle": None,
            "form": form,
            "opts": self.opts,
            "importers": [
                {
                    "label": i.label,
                    "headers": i.headers(),
                    "template": reverse("admin:core_importbatch_template", args=[i.key]),
                }
                for i in importers()
            ],
        }
        return TemplateResponse(request, "core/import_upload.html", context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not str(object_id).isdigit():
            raise Http404(_("找不到该导入批次，或不在您的管辖范围内。"))
        batch = self._batch(request, int(object_id))
        running = batch.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)
        progress = read_progress(batch.pk) if running else None
        percent = None
        if progress and progress.get("total"):
            percent = int(100 * progress["done"] / progress["total"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("数据导入"),
            "subtitle": str(batch),
            "batch": batch,
            "original": batch,
            "opts": self.opts,
            "running": running,
            "progress": progress,
            "percent": percent,
            "errors": _preview_errors(batch),
            "apply_form": ApplyForm(),
            "can_write": self.has_add_permission(request),
            "undo_blockers": undo_blockers(batch) if batch.status == ImportStatus.APPLIED else [],
            "files_due": files_removed_after(batch),
            "retention_days": settings.IMPORT_FILE_RETENTION_DAYS,
        }
        return TemplateResponse(request, "core/import_batch.html", context)

    def apply_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self._batch(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:core_importbatch_change", args=[pk]))
        form = ApplyForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError("import_wrong_state", _("请选择写入方式。"))
            import_request(actor=request.user, batch=batch, mode=form.cleaned_data["mode"])
        except DomainError as err:
            messages.error(request, str(err.message))
        return HttpResponseRedirect(reverse("admin:core_importbatch_change", args=[pk]))

    def undo_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self._batch(request, pk)
        if request.method == "POST":
            try:
                import_undo(actor=request.user, batch=batch)
            except DomainError as err:
                messages.error(request, str(err.message))
            else:
                messages.success(request, str(_("已撤销本次导入。")))
        return HttpResponseRedirect(reverse("admin:core_importbatch_change", args=[pk]))

    def report_view(self, request: HttpRequest, pk: int) -> FileResponse:
        batch = self._batch(request, pk)
        if batch.files_removed_at:
            raise Http404(_("错误报告已按保留期限删除。"))
        if not batch.report_file or not Path(batch.report_file).exists():
            raise Http404(_("本批次没有错误报告。"))
        # The bad rows are the file as uploaded, full ID numbers included: for the uploader,
        # or a user who may reveal ID numbers there; every download is in the audit trail.
        if request.user.pk != batch.actor_id and not can_reveal(request.user, batch.union.path):
            raise PermissionDenied
        with transaction.atomic():
            audit.record(
                actor=request.user,
                obj=batch,
                action="roster_import.report_download",
                message=_("下载待修正的行（含完整身份证号）"),
            )
        name = f"{Path(batch.file_name).stem}-待修正.xlsx"
        return FileResponse(open(batch.report_file, "rb"), as_attachment=True, filename=name)

    def template_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        try:
            importer = importer_for(kind)
        except DomainError:
            raise Http404(_("没有这种导入内容。")) from None
        return xlsx_response(str(_("%s模板") % importer.label), template_xlsx(importer))

    @display(description=_("导入内容"), ordering="kind")  # type: ignore[untyped-decorator]
    def kind_label(self, obj: ImportBatch) -> str:
        return obj.kind_label

    @display(description=_("状态"))  # type: ignore[untyped-decorator]
    def status_label(self, obj: ImportBatch) -> str:
        return obj.get_status_display()
