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

from hromada.core.calendar import add_calendar_days, next_working_day

SHORT_TERM_DAYS = 15
MAX_TERM_DAYS = 45
FORWARD_DAYS = 5
RETURN_DAYS = 10


def add_month(start: date) -> date:
    """Return the same day a month later (the last day of a shorter month)."""
    year = start.year + (1 if start.month == 12 else 0)
    month = 1 if start.month == 12 else start.month + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return date(year, month, day)


def initial_due_date(reg_date: date, *, needs_study: bool) -> date:
    """Return the due date an appeal gets at registration."""
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
