"""Template helpers of the appeals staff screens."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def code_label(code: str, labels: Mapping[str, str]) -> str:
    """Return "code label" of a classifier 858 code ("9.3 дано роз'яснення"), or the code."""
    if not code:
        return "—"
    label = labels.get(code, "")
    return f"{code} {label}" if label else code


@register.filter
def days_word(days: int) -> str:
    """Return the Ukrainian plural of "day" for a number."""
    n = abs(int(days))
    if n % 10 == 1 and n % 100 != 11:
        return "день"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "дні"
    return "днів"


@register.filter
def absval(value: int) -> int:
    """Return the absolute value (days overdue from a negative "days left")."""
    return abs(int(value))
