"""Template helpers of execution control: state tags, overdue marks, assignment trees."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from hromada.control.models import Assignment

register = template.Library()

_TAG_CLASSES: dict[str, str] = {
    Assignment.State.NEW: "govuk-tag--blue",
    Assignment.State.ACCEPTED: "govuk-tag--turquoise",
    Assignment.State.IN_PROGRESS: "govuk-tag--purple",
    Assignment.State.REPORTED: "govuk-tag--yellow",
    Assignment.State.RETURNED: "govuk-tag--orange",
    Assignment.State.DONE: "govuk-tag--green",
}


@register.filter
def state_tag(assignment: Assignment) -> str:
    """Return the GOV.UK tag modifier class for an assignment's state."""
    return _TAG_CLASSES.get(assignment.state, "govuk-tag--grey")


@register.simple_tag
def is_overdue(assignment: Assignment, today: date) -> bool:
    """Return whether an open assignment is past its due date."""
    return assignment.is_open and assignment.due_date < today


@register.filter
def days_left(assignment: Assignment, today: date) -> int:
    return (assignment.due_date - today).days


@register.inclusion_tag("control/_tree.html", takes_context=True)
def assignment_tree(
    context: Any, nodes: list[Any], current_id: int | None = None
) -> dict[str, Any]:
    """Render a tree of assignments (nested lists)."""
    return {"nodes": nodes, "current_id": current_id, "today": context.get("today")}
