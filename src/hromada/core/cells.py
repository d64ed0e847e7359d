"""Spreadsheet cells written from user text: never read as a formula (CSV/XLSX injection)."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return a text cell that starts like a formula with a leading apostrophe; others as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
