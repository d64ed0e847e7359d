"""Tests of the working-day calendar: holidays, transfers, martial-law periods, overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hromada.core.calendar import (
    add_calendar_days,
    add_working_days,
    calendar_override_remove,
    calendar_override_set,
    days_off,
    holidays_working_period_create,
    holidays_working_period_end,
    is_working_day,
    next_working_day,
    statutory_year,
)
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent, CalendarOverride, HolidaysWorkingPeriod

pytestmark = pytest.mark.django_db

NEW_YEAR_2025 = date(2025, 1, 1)  # Wednesday


def _martial_law(start: date = date(2022, 2, 24), end: date | None = None) -> None:
    holidays_working_period_create(start=start, end=end, note="Закон № 2136-IX")


# --- the law's calendar -----------------------------------------------------------------


def test_new_year_is_a_day_off():
    assert not is_working_day(NEW_YEAR_2025)


def test_an_ordinary_weekday_is_a_working_day():
    assert is_working_day(date(2025, 1, 2))


def test_saturday_and_sunday_are_days_off():
    assert not is_working_day(date(2025, 1, 4))
    assert not is_working_day(date(2025, 1, 5))


def test_a_holiday_on_a_weekend_moves_the_day_off_to_monday():
    # 8 March 2025 is a Saturday: Monday 10 March is the day off (Labour Code art. 67).
    assert not is_working_day(date(2025, 3, 10))


def test_a_cabinet_transfer_makes_a_saturday_working_and_a_friday_off():
    assert is_working_day(date(2021, 1, 16))
    assert not is_working_day(date(2021, 1, 8))


def test_holidays_suspended_by_martial_law_in_the_package_are_still_statutory():
    # The holidays package drops them from 2022 on; the period table decides instead.
    year = statutory_year(2024)
    assert date(2024, 8, 24) in year.days_off
    assert "незалежності" in year.days_off[date(2024, 8, 24)]


# --- holidays-working periods (martial law) ----------------------------------------------------


def test_a_holiday_on_a_weekday_is_working_inside_a_holidays_working_period():
    _martial_law()
    assert is_working_day(NEW_YEAR_2025)


def test_weekend_transfers_do_not_apply_inside_a_holidays_working_period():
    _martial_law()
    assert is_working_day(date(2025, 3, 10))


def test_saturday_stays_a_day_off_inside_a_holidays_working_period():
    _martial_law()
    assert not is_working_day(date(2025, 3, 8))


def test_holidays_return_after_the_period_ends():
    _martial_law(end=date(2024, 12, 31))
    assert not is_working_day(NEW_YEAR_2025)
    assert is_working_day(date(2024, 1, 1))


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ApplicationError, match="раніше дати початку"):
        holidays_working_period_create(start=date(2025, 1, 10), end=date(2025, 1, 1))
    assert not HolidaysWorkingPeriod.objects.exists()


def test_overlapping_periods_are_refused():
    _martial_law()
    with pytest.raises(ApplicationError, match="перетинається"):
        holidays_working_period_create(start=date(2030, 1, 1))


def test_ending_a_period_is_audited():
    _martial_law()
    period = HolidaysWorkingPeriod.objects.get()
    holidays_working_period_end(period_id=period.pk, end=date(2026, 6, 30))
    period.refresh_from_db()
    assert period.end == date(2026, 6, 30)
    assert AuditEvent.objects.filter(action="calendar.holidays_working_period_ended").exists()


# --- overrides -------------------------------------------------------------------------------


def test_an_override_makes_a_saturday_working():
    calendar_override_set(day=date(2025, 1, 4), is_working=True, note="перенесення")
    assert is_working_day(date(2025, 1, 4))


def test_an_override_wins_over_a_holidays_working_period():
    _martial_law()
    calendar_override_set(day=date(2025, 5, 1), is_working=False, note="рішення виконкому")
    assert not is_working_day(date(2025, 5, 1))


def test_setting_an_override_twice_updates_it_and_audits_both():
    calendar_override_set(day=date(2025, 1, 4), is_working=True)
    calendar_override_set(day=date(2025, 1, 4), is_working=False, note="скасовано")
    assert CalendarOverride.objects.get().is_working is False
    assert AuditEvent.objects.filter(action="calendar.override_set").count() == 2


def test_removing_an_override_returns_the_day_to_the_law():
    calendar_override_set(day=date(2025, 1, 4), is_working=True)
    calendar_override_remove(day=date(2025, 1, 4))
    assert not is_working_day(date(2025, 1, 4))


def test_removing_a_missing_override_is_explained():
    with pytest.raises(ApplicationError, match="немає"):
        calendar_override_remove(day=date(2025, 1, 4))


# --- terms ---------------------------------------------------------------------------------


def test_next_working_day_of_a_working_day_is_the_day_itself():
    assert next_working_day(date(2025, 1, 2)) == date(2025, 1, 2)


def test_next_working_day_skips_a_holiday_and_the_weekend():
    # Saturday 8 March 2025 → Sunday → Monday 10 March (transfer) → Tuesday 11 March.
    assert next_working_day(date(2025, 3, 8)) == date(2025, 3, 11)


def test_a_calendar_term_ending_on_sunday_moves_to_monday():
    assert date(2025, 3, 2).weekday() == 6
    assert add_calendar_days(date(2025, 1, 31), 30) == date(2025, 3, 3)


def test_a_calendar_term_ending_on_a_working_day_stays():
    assert add_calendar_days(date(2025, 1, 31), 31) == date(2025, 3, 3)
    assert add_calendar_days(date(2025, 2, 3), 15) == date(2025, 2, 18)


def test_working_days_are_counted_after_the_start():
    # Friday 18 April 2025 + 1 working day: Easter Monday 21 April is off → Tuesday 22.
    assert add_working_days(date(2025, 4, 18), 1) == date(2025, 4, 22)


def test_working_days_count_holidays_inside_a_holidays_working_period():
    _martial_law()
    assert add_working_days(date(2025, 4, 18), 1) == date(2025, 4, 21)


def test_zero_working_days_from_a_day_off_is_the_next_working_day():
    assert add_working_days(date(2025, 1, 4), 0) == date(2025, 1, 6)


def test_negative_working_days_count_backwards():
    assert add_working_days(date(2025, 1, 6), -1) == date(2025, 1, 3)


def test_a_long_term_takes_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        add_working_days(date(2025, 1, 1), 120)


def test_days_off_lists_holidays_with_their_names():
    listed = dict(days_off(date(2025, 1, 1), date(2025, 1, 3)))
    assert listed == {NEW_YEAR_2025: "Новий рік"}


# --- properties ---------------------------------------------------------------------------------

_starts = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))
_property = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_overrides = st.dictionaries(st.integers(min_value=-5, max_value=60), st.booleans(), max_size=8)


def _with(start: date, overrides: dict[int, bool], martial_law: bool) -> None:
    if martial_law:
        _martial_law(start=start - timedelta(days=10))
    for offset, working in overrides.items():
        CalendarOverride.objects.create(date=start + timedelta(days=offset), is_working=working)


@_property
@given(
    start=_starts,
    n=st.integers(min_value=0, max_value=60),
    overrides=_overrides,
    martial_law=st.booleans(),
)
def test_a_working_day_term_always_ends_on_a_working_day(start, n, overrides, martial_law):
    with transaction.atomic():
        _with(start, overrides, martial_law)
        end = add_working_days(start, n)
        assert is_working_day(end)
        assert end >= start
        transaction.set_rollback(True)


@_property
@given(
    start=_starts,
    n=st.integers(min_value=0, max_value=60),
    overrides=_overrides,
    martial_law=st.booleans(),
)
def test_a_calendar_term_always_ends_on_a_working_day_not_before_its_end(
    start, n, overrides, martial_law
):
    with transaction.atomic():
        _with(start, overrides, martial_law)
        end = add_calendar_days(start, n)
        assert is_working_day(end)
        assert end >= start + timedelta(days=n)
        transaction.set_rollback(True)


@_property
@given(start=_starts, n=st.integers(min_value=0, max_value=40), overrides=_overrides)
def test_terms_grow_with_their_length(start, n, overrides):
    with transaction.atomic():
        _with(start, overrides, martial_law=False)
        shorter, longer = add_working_days(start, n), add_working_days(start, n + 1)
        # From a day off, 0 and 1 working days both end on the next working day.
        assert shorter < longer if n >= 1 else shorter <= longer
        assert add_calendar_days(start, n) <= add_calendar_days(start, n + 1)
        transaction.set_rollback(True)


@_property
@given(start=_starts, n=st.integers(min_value=1, max_value=40))
def test_a_working_day_term_spans_exactly_n_working_days(start, n):
    end = add_working_days(start, n)
    span = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(is_working_day(d) for d in span) == n


# --- management command -------------------------------------------------------------------------


def test_the_command_records_a_martial_law_period_and_shows_the_year(capsys):
    call_command("calendar", "holidays-working", "2022-02-24", "--note", "Закон № 2136-IX")
    call_command("calendar", "show", "2025")
    out = capsys.readouterr().out
    assert HolidaysWorkingPeriod.objects.get().end is None
    assert "2022-02-24" in out
    assert "2025-01-01" not in out


def test_the_command_sets_an_override():
    call_command("calendar", "override", "2025-01-04", "--working", "--note", "перенесення")
    assert is_working_day(date(2025, 1, 4))
