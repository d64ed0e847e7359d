"""Attribute schemas of resources, and checking an object's attributes against one.

A schema is a list of attributes, each ``{"name": "open_sunday", "label": "Працює в неділю",
"type": "boolean", "required": false, "choices": []}``; ``name`` is a lower-case ASCII
identifier (it is also the column name in imports and open data), ``choices`` is used
by the ``choice`` type only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from hromada.portal.models import AttributeType

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TRUE = {"1", "true", "так", "yes", "+", "є", "так."}
_FALSE = {"0", "false", "ні", "no", "-", "немає", ""}
# Attribute names that would clash with the object's own columns in imports and open data.
RESERVED = frozenset(
    {
        "id",
        "name",
        "address",
        "district",
        "latitude",
        "longitude",
        "phone",
        "email",
        "website",
        "opening_hours",
        "last_checked",
        "resource",
    }
)


@dataclass(frozen=True)
class Attribute:
    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = field(default_factory=tuple)


def parse_schema(raw: Any) -> list[Attribute]:
    """Return the attributes of a schema; raise ValueError with a Ukrainian message if bad."""
    if not isinstance(raw, list):
        raise ValueError(_("Схема атрибутів має бути списком."))
    out: list[Attribute] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ValueError(_("Атрибут № %(n)s має бути об'єктом.") % {"n": i})
        name = str(item.get("name", ""))
        if not _NAME.match(name) or name in RESERVED:
            raise ValueError(
                _("Атрибут № %(n)s: назва «%(name)s» неприпустима (латиниця, цифри, «_»).")
                % {"n": i, "name": name}
            )
        if name in seen:
            raise ValueError(_("Атрибут «%(name)s» повторюється.") % {"name": name})
        seen.add(name)
        kind = str(item.get("type", ""))
        if kind not in AttributeType.values:
            raise ValueError(
                _("Атрибут «%(name)s»: невідомий тип «%(type)s».") % {"name": name, "type": kind}
            )
        choices = item.get("choices") or []
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise ValueError(
                _("Атрибут «%(name)s»: варіанти мають бути списком рядків.") % {"name": name}
            )
        if kind == AttributeType.CHOICE and not choices:
            raise ValueError(_("Атрибут «%(name)s»: вкажіть варіанти вибору.") % {"name": name})
        label = str(item.get("label") or name)[:200]
        out.append(Attribute(name, label, kind, bool(item.get("required")), tuple(choices)))
    return out


def clean_value(attr: Attribute, value: Any) -> Any:
    """Return the value converted to the attribute's type; raise ValueError if it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if attr.required:
            raise ValueError(_("«%(label)s»: обов'язкове поле.") % {"label": attr.label})
        return None
    text = value.strip() if isinstance(value, str) else value
    try:
        if attr.type == AttributeType.TEXT:
            return str(text)[:2000]
        if attr.type == AttributeType.INTEGER:
            if isinstance(text, bool):
                raise ValueError
            if isinstance(text, float) and not text.is_integer():
                raise ValueError
            return int(text)
        if attr.type == AttributeType.NUMBER:
            if isinstance(text, bool):
                raise ValueError
            number = float(str(text).replace(",", "."))
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError
            return number
        if attr.type == AttributeType.BOOLEAN:
            if isinstance(text, bool):
                return text
            lowered = str(text).lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError
        if attr.type == AttributeType.CHOICE:
            if str(text) not in attr.choices:
                raise ValueError
            return str(text)
        if attr.type == AttributeType.DATE:
            if isinstance(text, date):
                return text.isoformat()
            return date.fromisoformat(str(text)).isoformat()
    except (TypeError, ValueError):
        pass
    raise ValueError(
        _("«%(label)s»: значення «%(value)s» не відповідає типу «%(type)s».")
        % {"label": attr.label, "value": str(value)[:50], "type": AttributeType(attr.type).label}
    )


def clean_attributes(schema: list[Attribute], values: dict[str, Any]) -> dict[str, Any]:
    """Return the attributes checked against the schema; raise ValueError listing the errors."""
    errors: list[str] = []
    known = {a.name for a in schema}
    unknown = sorted(k for k in values if k not in known)
    if unknown:
        errors.append(_("Невідомі атрибути: %(names)s.") % {"names": ", ".join(unknown)[:200]})
    out: dict[str, Any] = {}
    for attr in schema:
        try:
            cleaned = clean_value(attr, values.get(attr.name))
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if cleaned is not None:
            out[attr.name] = cleaned
    if errors:
        raise ValueError(" ".join(errors))
    return out


def display_value(attr: Attribute, value: Any) -> str:
    """Return an attribute value as shown to a visitor."""
    if value is None or value == "":
        return "—"
    if attr.type == AttributeType.BOOLEAN:
        return _("так") if value else _("ні")
    return str(value)
