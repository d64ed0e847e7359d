"""Number formats of the programme screens: {{ amount|uah_k }} → '1,94', {{ n|num }} → '5 400'."""

from __future__ import annotations

from decimal import Decimal

from django import template

from hromada.programs.formatting import format_number, percent, thousands

register = template.Library()


@register.filter
def uah_k(amount: Decimal | int | str | None) -> str:
    """Return UAH as thousands: 1940 → '1,94'."""
    return thousands(amount)


@register.filter
def num(value: Decimal | int | str | None) -> str:
    """Return a number the Ukrainian way: 5400 → '5 400', 12.5 → '12,5'."""
    return format_number(value)


@register.filter
def share(part: Decimal | int | None, whole: Decimal | int | None) -> str:
    """Return part of whole in per cent: '95,9 %'."""
    return percent(part, whole)


@register.filter
def bar_width(part: Decimal | int | None, whole: Decimal | int | None) -> int:
    """Return part/whole as a whole per cent for a progress bar, at most 100."""
    if not part or not whole:
        return 0
    return min(100, int(Decimal(part) * 100 / Decimal(whole)))
