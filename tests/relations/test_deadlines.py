"""Each statutory deadline, on ordinary days, across a public holiday and on an adjusted
working day (调休), and the refusal of a year the calendar does not know."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gonghui.core.errors import DomainError
from gonghui.relations import calendar, deadlines
from gonghui.relations.errors import RelationsError

D = dt.date


# --- the calendar --------------------------------------------------------------------------
def test_public_holiday_is_not_a_working_day() -> None:
    assert calendar.is_working_day(D(2015, 10, 1)) is False  # National Day
    assert calendar.is_working_day(D(2015, 2, 18)) is False  # Spring Festival's eve


def test_adjusted_working_day_on_a_weekend_is_a_working_day() -> None:
    assert D(2015, 10, 10).weekday() == 5
    assert calendar.is_working_day(D(2015, 10, 10)) is True
    assert calendar.is_working_day(D(2015, 10, 17)) is False  # an ordinary Saturday


def test_year_the_calendar_does_not_cover_is_refused_in_chinese() -> None:
    _first, last = calendar.covered_years()
    with pytest.raises(DomainError) as info:
        calendar.is_working_day(D(last + 1, 3, 2))
    assert info.value.code == RelationsError.CALENDAR_YEAR
    assert f"{last + 1} 年" in str(info.value.message)


# --- periods in days: the last day moves off weekends and holidays -----------------------------
def test_filing_due_ten_days_after_signing_on_an_ordinary_weekday() -> None:
    assert deadlines.filing_due(D(2015, 3, 2)) == D(2015, 3, 12)


def test_filing_due_moves_off_a_weekend() -> None:
    # 2015-03-14 is a Saturday: the period ends on Monday.
    assert deadlines.filing_due(D(2015, 3, 4)) == D(2015, 3, 16)


def test_filing_due_moves_past_the_national_day_holiday() -> None:
    # The tenth day is 1 October; the holiday runs to the 7th.
    assert deadlines.filing_due(D(2015, 9, 21)) == D(2015, 10, 8)


def test_filing_due_stays_on_an_adjusted_working_saturday() -> None:
    # The tenth day is Saturday 10 October 2015, a working day that year.
    assert deadlines.filing_due(D(2015, 9, 30)) == D(2015, 10, 10)


def test_objection_period_and_effect_without_objection() -> None:
    assert deadlines.objection_ends(D(2015, 6, 1)) == D(2015, 6, 16)
    assert deadlines.effective_without_objection(D(2015, 6, 1)) == D(2015, 6, 17)
    # Across National Day: the 15th day is 1 October.
    assert deadlines.objection_ends(D(2015, 9, 16)) == D(2015, 10, 8)


def test_publish_due_on_an_adjusted_working_sunday_is_not_moved() -> None:
    # Sunday 15 February 2015 was worked before the Spring Festival.
    assert deadlines.publish_due(D(2015, 2, 5)) == D(2015, 2, 15)


def test_publish_due_across_the_spring_festival() -> None:
    # The tenth day is 18 February, the first holiday; the holiday ends on the 24th.
    assert deadlines.publish_due(D(2015, 2, 8)) == D(2015, 2, 25)


def test_answer_due_twenty_days_after_receipt() -> None:
    assert deadlines.answer_due(D(2015, 5, 4)) == D(2015, 5, 25)  # the 24th is a Sunday
    assert deadlines.answer_due(D(2015, 9, 11)) == D(2015, 10, 8)


# --- periods in working days -------------------------------------------------------------------
def test_talks_due_ten_working_days_after_the_answer() -> None:
    assert deadlines.talks_due(D(2015, 6, 1)) == D(2015, 6, 15)


def test_talks_due_skips_the_holiday_and_counts_the_adjusted_saturday() -> None:
    # 29, 30 Sept; holiday 1-7 Oct; 8, 9, Sat 10 (worked), 12, 13, 14, 15, 16 Oct.
    assert deadlines.talks_due(D(2015, 9, 28)) == D(2015, 10, 16)


def test_deadline_reaching_an_uncovered_year_is_refused() -> None:
    _first, last = calendar.covered_years()
    with pytest.raises(DomainError) as info:
        deadlines.answer_due(D(last, 12, 20))
    assert info.value.code == RelationsError.CALENDAR_YEAR


@pytest.mark.django_db
def test_offer_received_late_in_the_last_covered_year_is_refused_not_guessed(district) -> None:
    from gonghui.relations.models import BargainingOffer
    from gonghui.relations.services import offer_create

    _first, last = calendar.covered_years()
    moment = dt.datetime(last, 12, 28, 10, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False), pytest.raises(DomainError) as info:
        offer_create(
            actor=district.root,
            union=district.EA,
            kind="wage",
            enterprise=district.ent_a,
            offered_on=D(last, 12, 20),
        )
    assert info.value.code == RelationsError.CALENDAR_YEAR
    assert not BargainingOffer.objects.exists()


def test_expiry_window_is_sixty_days() -> None:
    assert deadlines.expiry_window(D(2015, 11, 1)) == (D(2015, 11, 1), D(2015, 12, 31))
