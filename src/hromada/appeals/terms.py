"""Statutory terms of consideration (Law No. 393/96-ВР art. 7, 20; Instruction No. 348).

- No additional study needed: no later than **15 days** from registration.
- Otherwise: **one month** from registration.
- Extension by the head with notice to the citizen: **45 days in all** at most.
- Out of competence: forwarded within **5 days**; non-compliant: returned within **10 days**.

Terms count in calendar days from the registration date; a term that ends on a day off
moves to the next working day (core.calendar), except the 45-day limit, which is absolute.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

from hromada.core.calendar import CalendarRules, add_calendar_days, next_working_day

SHORT_TERM_DAYS = 15
# Days of the calendar read for the end of a term: a term that ends on a day off moves to
# the first working day within them (the core calendar reads windows of this size too).
TERM_WINDOW_DAYS = 62
MAX_TERM_DAYS = 45
FORWARD_DAYS = 5
RETURN_DAYS = 10


def add_month(start: date) -> date:
    """Return the same day a month later (the last day of a shorter month)."""
    year = start.year + (1 if start.month == 12 else 0)
    month = 1 if start.month == 12 else start.month + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return date(year, month, day)


def term_window(reg_date: date, *, needs_study: bool) -> tuple[date, date]:
    """Return the days of the calendar the initial term's end is found in (inclusive)."""
    start = reg_date + timedelta(days=SHORT_TERM_DAYS) if not needs_study else add_month(reg_date)
    return start, start + timedelta(days=TERM_WINDOW_DAYS - 1)


def initial_due_date(
    reg_date: date, *, needs_study: bool, rules: CalendarRules | None = None
) -> date:
    """Return the due date an appeal gets at registration.

    `rules`: the calendar's overrides and periods over `term_window` (read by the caller in
    a query it makes anyway); without them the calendar is read here.
    """
    if rules is not None:
        start, end = term_window(reg_date, needs_study=needs_study)
        day = start
        while day <= end:
            if rules.is_working_day(day):
                return min(day, latest_due_date(reg_date))
            day += timedelta(days=1)
        # No working day in two months: let the calendar look further.
    if not needs_study:
        return min(add_calendar_days(reg_date, SHORT_TERM_DAYS), latest_due_date(reg_date))
    return min(next_working_day(add_month(reg_date)), latest_due_date(reg_date))


def latest_due_date(reg_date: date) -> date:
    """Return the latest date any extension may reach: 45 days in all."""
    return reg_date + timedelta(days=MAX_TERM_DAYS)


def forward_by(reg_date: date) -> date:
    """Return the last day to forward an appeal outside our competence (5 days)."""
    return reg_date + timedelta(days=FORWARD_DAYS)


def return_by(reg_date: date) -> date:
    """Return the last day to return a non-compliant appeal (10 days)."""
    return reg_date + timedelta(days=RETURN_DAYS)
