from __future__ import annotations

from typing import Any

from django.contrib import admin
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


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "content_type", "object_repr", "message"]
    list_filter = ["content_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["object_repr", "message", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"


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
