"""Figures named in a narrative's text, filled in from the report's data.

A narrative may name a figure in braces instead of typing it, so the text always
agrees with the records (and is frozen with them when the report is approved):

=====================================  =================================================
``{activities:press_conference}``      how many activities of that type (``14``)
``{activities:press_conference:by_mayor}``  of them held by the mayor (``12``)
``{activities}``                       all activities of the measure
``{spending}``                         spent on the measure: ``1,94 тис. грн``
``{spending:city}``                    spent from one source (city, district, other)
``{indicator:web_materials}``          an indicator's actual value: ``5 400``
``{indicator:web_materials:planned}``  its planned value
=====================================  =================================================

Write ``{{`` and ``}}`` for literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hromada.core.exceptions import ApplicationError
from hromada.programs.formatting import format_number, thousands_uah
from hromada.programs.models import ActivityType, FundingSource

_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def _check_one(token: str, indicator_codes: set[str] | None) -> str | None:
    """Return an error message for a placeholder, or None when it is valid."""
    parts = token.split(":")
    kind = parts[0]
    if kind == "activities":
        if len(parts) == 1:
            return None
        if parts[1] not in ActivityType.values:
            return f"невідомий вид заходу «{parts[1]}» у вставці {{{token}}}"
        if len(parts) == 2 or (len(parts) == 3 and parts[2] == "by_mayor"):
            return None
    elif kind == "spending":
        if len(parts) == 1 or (len(parts) == 2 and parts[1] in FundingSource.values):
            return None
    elif kind == "indicator" and len(parts) in (2, 3):
        if len(parts) == 3 and parts[2] != "planned":
            return f"невідома вставка {{{token}}}"
        if indicator_codes is not None and parts[1] not in indicator_codes:
            return f"невідомий показник «{parts[1]}» у вставці {{{token}}}"
        return None
    return f"невідома вставка {{{token}}} (фігурні дужки в тексті пишуть як {{{{ і }}}})"


def placeholder_errors(text: str, *, indicator_codes: set[str] | None = None) -> list[str]:
    """Return the problems of every placeholder in a text (empty: all valid)."""
    errors = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group(1)
        if token is None:
            continue
        message = _check_one(token.strip(), indicator_codes)
        if message:
            errors.append(message)
    stray = _TOKEN_RE.sub("", text)
    if "{" in stray or "}" in stray:
        errors.append("непарна фігурна дужка (у тексті пишіть {{ і }})")
    return errors


def check_placeholders(text: str, *, indicator_codes: set[str] | None = None) -> None:
    """Raise ApplicationError naming the first bad placeholder of a text."""
    errors = placeholder_errors(text, indicator_codes=indicator_codes)
    if errors:
        raise ApplicationError(f"У тексті {errors[0]}.", field="text")


def fill(text: str, *, measure: Mapping[str, Any], indicators: Mapping[str, Any]) -> str:
    """Return the text with its placeholders replaced by the figures of the report data."""

    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole in ("{{", "}}"):
            return whole[0]
        parts = match.group(1).strip().split(":")
        kind = parts[0]
        if kind == "activities":
            rows = measure.get("activities", [])
            if len(parts) == 1:
                return format_number(sum(r["count"] for r in rows))
            row = next((r for r in rows if r["type"] == parts[1]), None)
            if row is None:
                return "0"
            return format_number(row["by_mayor"] if len(parts) == 3 else row["count"])
        if kind == "spending":
            spending = measure.get("spending", {})
            if len(parts) == 1:
                return thousands_uah(spending.get("total", 0))
            return thousands_uah(spending.get("by_source", {}).get(parts[1], 0))
        if kind == "indicator":
            row = indicators.get(parts[1])
            if row is None:
                return "—"
            return format_number(row["planned"] if len(parts) == 3 else row["actual"])
        return whole

    return _TOKEN_RE.sub(replace, text)
