"""The Chinese working-day calendar: public holidays and the adjusted working days (调休)
that the State Council publishes each year, from the maintained ``chinese-calendar`` package.

Every deadline of the labour-relations domain that depends on the calendar goes through
this module. The package covers the years whose arrangements have been published; for any
other year it raises ``NotImplementedError``, and here that becomes a refusal in Chinese:
a deadline in a year the calendar does not know is never guessed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar
from django.utils.translation import gettext_lazy as _

from gonghui.core.errors import DomainError

from .errors import RelationsError


def _refuse(day: dt.date) -> DomainError:
    return DomainError(
        RelationsError.CALENDAR_YEAR,
        _(
            "工作日历尚未收录 %(year)s 年的法定节假日和调休安排，无法计算期限；"
            "请升级工作日历（chinese-calendar）后再试，或手工核对期限。"
        )
        % {"year": day.year},
    )


@cache
def is_working_day(day: dt.date) -> bool:
    """True on a working day: a weekday that is not a public holiday, or a weekend day that
    the year's arrangement makes a working day. (Cached: the installed calendar's answer for
    a day does not change while the process runs; a refusal is not cached.)"""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise _refuse(day) from None


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself is not counted)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar knows."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]
