"""Template tags of the shells: staff navigation, unread notifications."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from hromada.core.registry import NavItem, registry

register = template.Library()

# reverse() of an argument-free URL name is fixed for a given script prefix; the navigation
# reverses ~20 of them on every staff page, so each is worked out once per process.
_urls: dict[tuple[str, str], str] = {}
_CURRENT = mark_safe(' aria-current="page"')


def nav_url(url_name: str) -> str:
    """Return the URL of an argument-free URL name (remembered per script prefix)."""
    key = (get_script_prefix(), url_name)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(url_name)
    return url


@register.simple_tag(takes_context=True)
def staff_nav(context: dict[str, Any]) -> list[NavItem]:
    """Return the navigation entries the current user may see."""
    request = context["request"]
    return registry.nav_for(request.user)


@register.simple_tag(takes_context=True)
def staff_nav_links(context: dict[str, Any]) -> SafeString:
    """Render the `<li>` links of the navigation entries the current user may see.

    The link to the page being shown carries aria-current="page".
    """
    request = context["request"]
    rows = []
    for item in registry.nav_for(request.user):
        url = nav_url(item.url_name)
        current = _CURRENT if request.path == url else ""
        rows.append((url, current, item.label))
    return format_html_join("\n", '<li><a class="govuk-link" href="{}"{}>{}</a></li>', rows)
