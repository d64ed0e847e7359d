"""Template tags of the portal: highlighted search snippets, the polls block of the home."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hromada.portal.search import highlight_terms
from hromada.portal.selectors import polls_for_home

register = template.Library()


@lru_cache(maxsize=256)
def _highlighter(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return the pattern of words starting with a query stem (one per query, not per row)."""
    stems = [re.escape(str(escape(s))) for s in highlight_terms(list(terms)) if s]
    if not stems:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(stems) + r")(\w*)", re.IGNORECASE)


@register.filter
def highlight(text: str, terms: list[str]) -> SafeString:
    """Return the text escaped, with the words starting with a query stem in <mark>."""
    escaped = str(escape(text or ""))
    pattern = _highlighter(tuple(terms or ()))
    if pattern is None:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    return mark_safe(pattern.sub(r"<mark>\1\2</mark>", escaped))  # noqa: S308 - escaped above


@register.inclusion_tag("portal/polls/_home_block.html")
def portal_polls() -> dict[str, Any]:
    """Render the open polls' block of the portal home (question and a link: no form)."""
    return {"polls": polls_for_home(now=timezone.now())}
