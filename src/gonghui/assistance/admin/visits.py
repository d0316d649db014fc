"""Back office of festival condolence visits."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from gonghui.core.admin_base import ScopedModelAdmin, ServiceForm

from .. import selectors, services
from ..models import CondolenceVisit


class VisitForm(ServiceForm):
    class Meta:
        model = CondolenceVisit
        fields = ["programme", "union", "enterprise", "visited_on", "visitors", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "programme" in self.fields:
            self.fields["programme"].queryset = selectors.programmes_proposable(  # type: ignore[attr-defined]
                actor=self.actor
            ).filter(kind="festival")

    def run_service(self) -> CondolenceVisit:
        return services.visit_record(actor=self.actor, **self.cleaned_data)


@admin.register(CondolenceVisit)
class CondolenceVisitAdmin(ScopedModelAdmin):
    form = VisitForm
    list_display = ["visited_on", "enterprise", "union", "programme", "visitors", "persons"]
    list_filter = [("visited_on", admin.DateFieldListFilter), "programme__year"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "union", "programme"]
    autocomplete_fields = ["enterprise"]
    plain_edit = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(n_persons=Count("disbursements"))

    @display(description=_("慰问人数"), ordering="n_persons")
    def persons(self, obj: CondolenceVisit) -> int:
        return getattr(obj, "n_persons", 0)
