"""Template tags of the shells: staff navigation, unread notifications."""

from __future__ import annotations

from typing import Any

from django import template

from hromada.core.registry import NavItem, registry

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_nav(context: dict[str, Any]) -> list[NavItem]:
    """Return the navigation entries the current user may see."""
    request = context["request"]
    return registry.nav_for(request.user)
