"""Render Django form fields as GOV.UK Frontend form groups (labels, hints, errors).

{% load govuk_forms %}
{% govuk_error_summary form %}
{% for field in form %}{% govuk_field field %}{% endfor %}
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_TEXT_WIDTH = "govuk-!-width-two-thirds"


def field_kind(field: BoundField) -> str:
    """Return how a field is laid out: hidden, checkbox, choices, textarea, select or input."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "choices"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.filter
def govuk_kind(field: BoundField) -> str:
    """Return the field's layout kind (see `field_kind`)."""
    return field_kind(field)


def _describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govuk_widget(field: BoundField, width: str = "") -> SafeString:
    """Render the field's widget with GOV.UK classes and aria-describedby for hint and error."""
    kind = field_kind(field)
    error = bool(field.errors)
    if kind == "checkbox":
        css = "govuk-checkboxes__input"
    elif kind == "textarea":
        css = "govuk-textarea" + (" govuk-textarea--error" if error else "")
    elif kind == "select":
        css = "govuk-select" + (" govuk-select--error" if error else "")
    elif kind == "file":
        css = "govuk-file-upload" + (" govuk-file-upload--error" if error else "")
    elif kind == "choices":
        css = ""
    else:
        css = "govuk-input " + (width or _TEXT_WIDTH) + (" govuk-input--error" if error else "")
    existing = field.field.widget.attrs.get("class", "")
    attrs: dict[str, Any] = {"class": f"{existing} {css}".strip()}
    describedby = _describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("govuk/field.html")
def govuk_field(field: BoundField, mark_optional: bool = True, width: str = "") -> dict[str, Any]:
    """Render one field as a GOV.UK form group."""
    return {
        "field": field,
        "kind": field_kind(field),
        "optional": mark_optional and not field.field.required,
        "width": width,
    }


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(form: forms.BaseForm | None) -> dict[str, Any]:
    """Render the GOV.UK error summary of a bound form (nothing when it has no errors)."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return {"errors": []}
    errors: list[tuple[str, str]] = [("", str(e)) for e in form.non_field_errors()]
    for field in form:
        anchor = "" if field.is_hidden else f"#{field.id_for_label or field.auto_id}"
        errors.extend((anchor, str(e)) for e in field.errors)
    return {"errors": errors}
