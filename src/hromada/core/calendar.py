"""The working-day calendar: Ukrainian public holidays, their transfers, periods and overrides.

Whether a day is a working day is decided, first rule that applies wins:

1. a ``CalendarOverride`` for the date (a Cabinet transfer, a local decision);
2. inside a ``HolidaysWorkingPeriod`` (martial law, Law No. 2136-IX): Monday to
   Friday are working days, Saturday and Sunday are not — public holidays, their
   weekend transfers and Cabinet transfers do not apply;
3. a Saturday or Sunday made a working day by a Cabinet transfer is a working day;
4. a public holiday (Labour Code art. 73), or the day off it moves to when it
   falls on a weekend (art. 67), is not;
5. Saturday and Sunday are not; every other day is.

Public holidays come from the ``holidays`` package, taken as the law stands
*without* martial law: the package itself drops holidays from 2022 on, but here
that is the job of ``HolidaysWorkingPeriod``, which an administrator sets (so the
calendar follows the decision in force, and holidays return when it ends).

A term that ends on a day off moves to the next working day.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays
from django.db import transaction
from django.db.models import Q

from hromada.core.audit import audit_record
from hromada.core.exceptions import ApplicationError
from hromada.core.models import CalendarOverride, HolidaysWorkingPeriod

ONE_DAY = timedelta(days=1)
# No real calendar has this many days off in a row; a longer run means bad overrides.
_MAX_DAYS_OFF_IN_A_ROW = 3660


@dataclass(frozen=True)
class StatutoryYear:
    """A year's public holidays and transfers, as the law stands without martial law."""

    days_off: dict[date, str]
    weekend_workdays: frozenset[date]


@lru_cache(maxsize=256)
def statutory_year(year: int) -> StatutoryYear:
    """Return the public holidays (with weekend transfers) and working weekend days of a year."""
    public = holidays.country_holidays("UA", years=year, language="uk")
    # The package lists holidays suspended by martial law under the WORKDAY category,
    # without the weekend transfers it would otherwise add; add them back here.
    suspended = holidays.country_holidays(
        "UA", years=year, language="uk", categories=(holidays.WORKDAY,)
    )
    days_off: dict[date, str] = dict(public.items())
    for day, name in suspended.items():
        days_off.setdefault(day, name)
    for day, name in sorted(suspended.items()):
        if day.weekday() < 5:
            continue
        moved = day + ONE_DAY
        while moved.weekday() >= 5 or moved in days_off:
            moved += ONE_DAY
        days_off[moved] = f"{name} (вихідний)"
    return StatutoryYear(
        days_off={d: n for d, n in days_off.items() if d.year == year},
        weekend_workdays=frozenset(d for d in public.weekend_workdays if d.year == year),
    )


@dataclass(frozen=True)
class CalendarRules:
    """The overrides and holidays-working periods that apply to a range of days."""

    overrides: dict[date, tuple[bool, str]] = field(default_factory=dict)
    periods: tuple[tuple[date, date | None], ...] = ()

    def in_holidays_working_period(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.periods)

    def explain(self, day: date) -> tuple[bool, str]:
        """Return whether the day is a working day and why (in Ukrainian)."""
        if day in self.overrides:
            working, note = self.overrides[day]
            return working, note or "виняток календаря"
        weekend = day.weekday() >= 5
        if self.in_holidays_working_period(day):
            if weekend:
                return False, "вихідний день"
            year = statutory_year(day.year)
            if day in year.days_off:
                return True, f"{year.days_off[day]} — робочий день (святкові дні робочі)"
            return True, ""
        year = statutory_year(day.year)
        if day in year.weekend_workdays:
            return True, "робочий день (перенесення)"
        if day in year.days_off:
            return False, year.days_off[day]
        if weekend:
            return False, "вихідний день"
        return True, ""

    def is_working_day(self, day: date) -> bool:
        return self.explain(day)[0]


def load_rules(start: date, end: date) -> CalendarRules:
    """Load the overrides and holidays-working periods for a range of days (two queries)."""
    if end < start:
        start, end = end, start
    overrides = {
        d: (w, n)
        for d, w, n in CalendarOverride.objects.filter(date__range=(start, end)).values_list(
            "date", "is_working", "note"
        )
    }
    periods = tuple(
        HolidaysWorkingPeriod.objects.filter(start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("start")
        .values_list("start", "end")
    )
    return CalendarRules(overrides=overrides, periods=periods)


def _working_days(start: date, *, step: int, expected: int) -> Iterator[date]:
    """Yield the working days from `start` (inclusive) onwards in direction `step`.

    Rules are loaded a window at a time, sized for `expected` working days, so a
    typical term costs two queries.
    """
    size = max(62, expected * 2 + 31)
    day = start
    days_off = 0
    while True:
        last = day + step * (size - 1) * ONE_DAY
        rules = load_rules(day, last)
        for _ in range(size):
            if rules.is_working_day(day):
                days_off = 0
                yield day
            else:
                days_off += 1
                if days_off > _MAX_DAYS_OFF_IN_A_ROW:
                    raise RuntimeError(f"No working day within {days_off} days of {start}.")
            day += step * ONE_DAY


def is_working_day(day: date) -> bool:
    """Return whether a day is a working day."""
    return load_rules(day, day).is_working_day(day)


def next_working_day(day: date) -> date:
    """Return the day itself if it is a working day, otherwise the next working day."""
    return next(_working_days(day, step=1, expected=0))


def add_calendar_days(start: date, days: int) -> date:
    """Return the end of a term of calendar days; one ending on a day off moves to a working day."""
    return next_working_day(start + timedelta(days=days))


def add_working_days(start: date, days: int) -> date:
    """Return the day that is `days` working days after `start` (before it, if negative).

    With `days` = 0 this is `start` itself, or the next working day if `start` is a day off.
    """
    if days == 0:
        return next_working_day(start)
    step = 1 if days > 0 else -1
    days_iter = _working_days(start + step * ONE_DAY, step=step, expected=abs(days))
    for _ in range(abs(days) - 1):
        next(days_iter)
    return next(days_iter)


def days_off(start: date, end: date) -> list[tuple[date, str]]:
    """Return the days off between two dates (inclusive), each with its reason."""
    rules = load_rules(start, end)
    out = []
    day = start
    while day <= end:
        working, reason = rules.explain(day)
        if not working:
            out.append((day, reason))
        day += ONE_DAY
    return out


# --- Services: changing the calendar ------------------------------------------------


@transaction.atomic
def calendar_override_set(
    *, day: date, is_working: bool, note: str = "", actor: Any = None
) -> CalendarOverride:
    """Make a day a working day or a day off regardless of the law's calendar."""
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    before = (override.is_working, override.note) if override else None
    if override is None:
        override = CalendarOverride.objects.create(date=day, is_working=is_working, note=note)
    else:
        override.is_working = is_working
        override.note = note
        override.save(update_fields=["is_working", "note"])
    audit_record(
        actor=actor,
        action="calendar.override_set",
        target=override,
        data={"date": day, "is_working": is_working, "note": note, "before": before},
    )
    return override


@transaction.atomic
def calendar_override_remove(*, day: date, actor: Any = None) -> None:
    """Return a day to the law's calendar."""
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    if override is None:
        raise ApplicationError(f"Для дати {day:%d.%m.%Y} винятку календаря немає.")
    audit_record(
        actor=actor,
        action="calendar.override_removed",
        target=override,
        data={"date": day, "is_working": override.is_working, "note": override.note},
    )
    override.delete()


def check_holidays_working_period(
    *, start: date, end: date | None, exclude_pk: int | None = None
) -> None:
    """Raise ApplicationError unless the period's dates are in order and overlap no other."""
    if end is not None and end < start:
        raise ApplicationError("Дата закінчення не може бути раніше дати початку.", field="end")
    overlapping = HolidaysWorkingPeriod.objects.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise ApplicationError(
            "Цей період перетинається з уже внесеним періодом, коли святкові дні робочі.",
            field="start",
        )


@transaction.atomic
def holidays_working_period_create(
    *, start: date, end: date | None = None, note: str = "", actor: Any = None
) -> HolidaysWorkingPeriod:
    """Record a period when public holidays are working days (e.g. martial law)."""
    check_holidays_working_period(start=start, end=end)
    period = HolidaysWorkingPeriod.objects.create(start=start, end=end, note=note)
    audit_record(
        actor=actor,
        action="calendar.holidays_working_period_created",
        target=period,
        data={"start": start, "end": end, "note": note},
    )
    return period


@transaction.atomic
def holidays_working_period_end(
    *, period_id: int, end: date | None, actor: Any = None
) -> HolidaysWorkingPeriod:
    """Set (or clear, with None) the last day of a holidays-working period."""
    period = HolidaysWorkingPeriod.objects.select_for_update().get(pk=period_id)
    check_holidays_working_period(start=period.start, end=end, exclude_pk=period.pk)
    before = period.end
    period.end = end
    period.save(update_fields=["end"])
    audit_record(
        actor=actor,
        action="calendar.holidays_working_period_ended",
        target=period,
        data={"end": [before, end]},
    )
    return period


@transaction.atomic
def holidays_working_period_remove(*, period_id: int, actor: Any = None) -> None:
    """Delete a holidays-working period entered by mistake."""
    period = HolidaysWorkingPeriod.objects.select_for_update().get(pk=period_id)
    audit_record(
        actor=actor,
        action="calendar.holidays_working_period_removed",
        target=period,
        data={"start": period.start, "end": period.end, "note": period.note},
    )
    period.delete()
