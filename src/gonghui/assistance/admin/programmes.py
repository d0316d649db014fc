"""Back office of aid programmes: budget, committed, paid and what remains."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from gonghui.core.admin_base import ScopedModelAdmin, ServiceForm, money_display

from .. import services
from ..models import Programme


class ProgrammeForm(ServiceForm):
    class Meta:
        model = Programme
        fields = [
            "union",
            "name",
            "kind",
            "year",
            "recipient_kind",
            "budget",
            "max_amount",
            "eligibility",
            "requires_member",
            "requires_hardship_file",
            "women_only",
            "funder",
            "portal_open",
            "applications_open_on",
            "applications_close_on",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in ("union", "kind", "year", "recipient_kind"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def run_service(self) -> Programme:
        data = dict(self.cleaned_data)
        if self.instance.pk is None:
            return services.programme_create(actor=self.actor, **data)
        changed = {k: data[k] for k in self.changed_data if k in services.PROGRAMME_FIELDS}
        return services.programme_update(actor=self.actor, programme=self.instance, **changed)


@admin.register(Programme)
class ProgrammeAdmin(ScopedModelAdmin):
    form = ProgrammeForm
    list_totals = ("budget", "committed", "paid")
    list_display = [
        "name",
        "kind",
        "year",
        "union",
        "recipient_kind",
        "budget",
        "committed",
        "paid",
        "remaining_display",
        "disbursements_link",
    ]
    export_fields = (
        "name",
        "kind",
        "year",
        "union",
        "recipient_kind",
        "budget",
        "committed",
        "paid",
        "remaining_display",
        "funder",
    )
    list_filter = ["year", "kind", "recipient_kind", "portal_open"]
    search_fields = ["name", "funder"]
    autocomplete_fields = ["union"]
    list_select_related = ["union"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["committed", "paid", "remaining_display"] if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(ProgrammeForm.Meta.fields)
        if obj is not None:
            fields[6:6] = ["committed", "paid", "remaining_display"]
        return fields

    @money_display(_("剩余（元）"))
    def remaining_display(self, obj: Programme) -> Decimal:
        return obj.remaining

    @display(description=_("发放记录"))
    def disbursements_link(self, obj: Programme) -> str:
        url = (
            reverse("admin:assistance_disbursement_changelist") + f"?programme__id__exact={obj.pk}"
        )
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("查看"))
