from __future__ import annotations

from typing import Any

from django.contrib import admin
from unfold.admin import TabularInline

from gonghui.core.admin_base import ScopedModelAdmin, ServiceForm

from . import services
from .models import Loan, Renewal


class LoanForm(ServiceForm):
    class Meta:
        model = Loan
        fields = ["union", "title", "borrower", "lent_on", "due_on"]

    def run_service(self) -> Loan:
        return services.loan_create(actor=self.actor, **self.cleaned_data)


class RenewalInline(TabularInline):
    """An editable inline: a page whose inline fails must not keep the service's write."""

    model = Renewal
    extra = 1
    fields = ["until"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return True

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return True

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return True


@admin.register(Loan)
class LoanAdmin(ScopedModelAdmin):
    form = LoanForm
    inlines = [RenewalInline]
    list_display = ["title", "borrower", "union", "lent_on", "due_on", "returned_on"]
