"""The portal home's editorial block: banners and the latest materials, cached."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from hromada.content.models import MaterialKind, PortalIndexPage
from hromada.content.selectors import (
    banners_shown,
    kind_of_content_type,
    latest_materials,
    subsections,
)

register = template.Library()

HOME_NEWS_COUNT = 6


def _render_home_block(request: Any) -> str:
    materials = latest_materials(HOME_NEWS_COUNT)
    kinds = kind_of_content_type()
    labels = dict(MaterialKind.choices)
    for item in materials:
        item.kind_name = labels.get(kinds.get(item.content_type_id, ""), "")
    index = PortalIndexPage.objects.live().first()
    return render_to_string(
        "content/_home_block.html",
        {
            "materials": materials,
            "banners": banners_shown(day=timezone.localdate()),
            "sections": list(subsections(index)) if index is not None else [],
            "request": request,
        },
    )


@register.simple_tag(takes_context=True)
def content_home_block(context: template.Context) -> SafeString:
    """Render the home's banners and latest materials; cached until the next publication.

    The fragment holds no per-visitor data (no CSRF token, no user), so one copy per
    language serves everyone; it also carries its day, since banners show by date.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"content:home:{'en' if language.startswith('en') else 'uk'}"
    today = timezone.localdate().isoformat()
    cached = cache.get(key)
    if cached is not None and cached[0] == today:
        return mark_safe(str(cached[1]))  # noqa: S308 - rendered by our template, autoescaped
    html = _render_home_block(context.get("request"))
    cache.set(key, (today, html), settings.HROMADA_CONTENT_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our template, autoescaped
