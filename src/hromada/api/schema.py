"""drf-spectacular hooks: the OpenAPI document describes hromada's own API only."""

from __future__ import annotations

from typing import Any

API_PREFIX = "/api/"


def only_our_api(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """Drop endpoints outside /api/ (e.g. the CMS's internal admin API under /cms/)."""
    return [e for e in endpoints if str(e[0]).startswith(API_PREFIX)]
