from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from .admin_base import ScopedModelAdmin
from .importing.admin import ImportBatchAdmin
from .models import AuditEntry, ImportBatch, PiiAccessLog


class ReadOnlyAdmin(ScopedModelAdmin):
    plain_edit = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlatformRecordTypeFilter(admin.RelatedFieldListFilter):
    """对象类型: only the platform's own record types, named as the cadre knows them (the
    model's Chinese verbose name), not the content types of third-party apps (TOTP devices,
    access attempts, task results) that Django would list as "app | model"."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[Any]:
        return platform_record_types()


def platform_record_types() -> list[tuple[int, str]]:
    """(content type id, Chinese name) of every model of a ``gonghui`` app, by name."""
    choices = []
    for ct in ContentType.objects.order_by("app_label", "model"):
        model = ct.model_class()
        if model is None or not model.__module__.startswith("gonghui."):
            continue
        choices.append((ct.pk, str(model._meta.verbose_name)))
    return sorted(choices, key=lambda choice: choice[1])


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "record_type", "object_repr", "message"]
    list_filter = [
        ("content_type", PlatformRecordTypeFilter),
        ("at", admin.DateFieldListFilter),
    ]
    search_fields = ["object_repr", "message", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"

    @display(description=_("对象类型"))  # type: ignore[untyped-decorator]
    def record_type(self, obj: AuditEntry) -> str:
        model = obj.content_type.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.content_type.model


@admin.register(PiiAccessLog)
class PiiAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "person_name", "field", "reason"]
    list_filter = [("at", admin.DateFieldListFilter)]
    search_fields = ["person__name", "actor__username", "reason"]
    list_select_related = ["actor", "person"]

    @display(description=_("人员"))  # type: ignore[untyped-decorator]
    def person_name(self, obj: PiiAccessLog) -> str:
        return obj.person.name


admin.site.register(ImportBatch, ImportBatchAdmin)
