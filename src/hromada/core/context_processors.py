"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """Expose the city name and the user's unread notification count (staff pages)."""
    return {"HROMADA_CITY_NAME": settings.HROMADA_CITY_NAME}
