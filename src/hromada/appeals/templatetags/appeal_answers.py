"""The answer section of the staff appeal card: {% answers_section appeal %}."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("appeals/answers/_section_body.html", takes_context=True)
def answers_section(context: Any, appeal: Any) -> dict[str, Any]:
    """Render the answers of an appeal with the actions the viewer may take."""
    from hromada.appeals.answer_views import section_context

    data = section_context(context["request"], appeal)
    data["csrf_token"] = context.get("csrf_token")
    return data
