from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from unfold.admin import ModelAdmin, TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from .models import RoleGrant, User


class RoleGrantInline(TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["union"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    """Accounts and their roles; managed by system administrators (superusers) only."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [RoleGrantInline]
    list_display = ["username", "last_name", "first_name", "is_active", "last_login"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("", {"fields": ("last_name", "first_name", "email", "person")}),
        ("", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    raw_id_fields = ["person"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
