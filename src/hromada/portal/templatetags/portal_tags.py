"""Template filters of the portal: highlighted search snippets."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hromada.portal.search import highlight_terms

register = template.Library()


@register.filter
def highlight(text: str, terms: list[str]) -> SafeString:
    """Return the text escaped, with the words starting with a query stem in <mark>."""
    escaped = str(escape(text or ""))
    stems = [re.escape(str(escape(s))) for s in highlight_terms(list(terms or [])) if s]
    if not stems:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile(r"(?<!\w)(" + "|".join(stems) + r")(\w*)", re.IGNORECASE)
    return mark_safe(pattern.sub(r"<mark>\1\2</mark>", escaped))  # noqa: S308 - escaped above
