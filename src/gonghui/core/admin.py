from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
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


class RecordTypeFilter(admin.SimpleListFilter):
    """The platform's own record types, by their Chinese names: the plain content-type filter
    offered every installed model ("Otp_Totp | TOTP device", "Axes | access attempt")."""

    title = _("对象类型")
    parameter_name = "content_type__id__exact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        choices = []
        for content_type in ContentType.objects.order_by("app_label", "model"):
            model = content_type.model_class()
            if model is None or not model.__module__.startswith("gonghui."):
                continue
            choices.append((str(content_type.pk), str(capfirst(model._meta.verbose_name))))
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and str(value).isdigit():
            return queryset.filter(content_type_id=int(str(value)))
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "content_type", "object_repr", "message"]
    list_filter = [RecordTypeFilter, ("at", admin.DateFieldListFilter)]
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
