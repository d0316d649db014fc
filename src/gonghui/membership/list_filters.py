"""Filters of the member lists (people and memberships): membership status (current members by
default on the membership list), age band on today's date, and the person's own fields seen
from a membership."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Membership


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February that year lacks): a
    person born on or before it is at least ``years`` old on ``day``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


#: age bands: (key, label, lowest age, highest age), ages in completed years on today
AGE_BANDS: tuple[tuple[str, Any, int | None, int | None], ...] = (
    ("lt35", _("35岁以下"), None, 34),
    ("35-50", _("35—50岁"), 35, 50),
    ("gt50", _("50岁以上"), 51, None),
)


def age_band_q(band: str, *, today: dt.date, birth_date: str = "birth_date") -> dict[str, Any]:
    """The lookups of people whose age on ``today`` is in ``band`` (a key of ``AGE_BANDS``)."""
    for key, _label, low, high in AGE_BANDS:
        if key == band:
            lookups: dict[str, Any] = {}
            if low is not None:
                lookups[f"{birth_date}__lte"] = years_before(today, low)
            if high is not None:
                lookups[f"{birth_date}__gt"] = years_before(today, high + 1)
            return lookups
    raise KeyError(band)


class AgeBandFilter(admin.SimpleListFilter):
    """Age on today's date from the birth date (``birth_field`` on the list's model)."""

    title = _("年龄段")
    parameter_name = "age"
    birth_field = "birth_date"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(key, label) for key, label, _low, _high in AGE_BANDS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() not in {key for key, *_rest in AGE_BANDS}:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            **age_band_q(str(self.value()), today=today, birth_date=self.birth_field)
        )


class MemberAgeBandFilter(AgeBandFilter):
    birth_field = "person__birth_date"


class CurrentFilter(admin.SimpleListFilter):
    """Membership status: current memberships unless another status is chosen, so the list
    opens on the members of today rather than on every stretch ever recorded."""

    title = _("会籍状态")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("current", _("在会")), ("ended", _("已终止")), ("all", _("全部"))]

    def choices(self, changelist: Any) -> Any:
        value = self.value() or "current"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value() or "current"
        if value == "current":
            return queryset.filter(ended_on__isnull=True)
        if value == "ended":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class PersonMemberFilter(admin.SimpleListFilter):
    """Whether a person is a member today (has an open membership)."""

    title = _("会籍状态")
    parameter_name = "member"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("在会会员")), ("0", _("非会员"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() not in ("1", "0"):
            return queryset
        is_open = Exists(Membership.objects.filter(person=OuterRef("pk"), ended_on__isnull=True))
        return queryset.filter(is_open) if self.value() == "1" else queryset.exclude(is_open)
