"""Controlled types: what a module tells the control engine about the items it puts on control.

A module (documents, appeals, petitions…) registers its model once, from its
AppConfig.ready()::

    register_controlled_type(ControlledType(
        model=Document,
        label="вхідний документ",
        start_date=lambda doc: doc.reg_date,
        can_view=lambda user, doc: user.has_perm("documents.view_document", doc),
        on_completed=document_mark_executed,     # optional hooks
    ))

The item itself must have a ``unit`` (an OrgUnit) and a title (``control_title`` or
``str()``), and ``get_absolute_url()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models


@dataclass(frozen=True)
class WaitingItem:
    """An item waiting for someone's resolution (for the "My work" screen)."""

    title: str
    url: str
    since: date | None
    note: str = ""


@dataclass(frozen=True)
class ControlledType:
    """How the control engine deals with one model of controlled items."""

    model: type[models.Model]
    label: str
    # The day a term counts from (the item's registration date).
    start_date: Callable[[Any], date]
    can_view: Callable[[Any, Any], bool]
    # Latest due date allowed for the item (e.g. appeals: 45 days in all), or None.
    max_due_date: Callable[[Any], date | None] | None = None
    # Called inside the transaction when a resolution is given / all its assignments are done.
    on_resolution: Callable[..., None] | None = None
    on_completed: Callable[..., None] | None = None
    # Items waiting for the user's resolution.
    awaiting_resolution: Callable[[Any], Iterable[WaitingItem]] | None = None
    # The item's name in notices and e-mails, when its title may hold personal data.
    notice_title: Callable[[Any], str] | None = None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_TYPES: dict[str, ControlledType] = {}


def register_controlled_type(controlled: ControlledType) -> None:
    """Make a model controllable (call from AppConfig.ready())."""
    _TYPES[controlled.key] = controlled


def controlled_type(key: str) -> ControlledType | None:
    """Return the registered type for a key such as "documents.document"."""
    return _TYPES.get(key)


def controlled_type_of(item: models.Model) -> ControlledType | None:
    return _TYPES.get(item._meta.label_lower)


def controlled_types() -> list[ControlledType]:
    return sorted(_TYPES.values(), key=lambda t: t.key)


def item_title(item: Any) -> str:
    """Return the title an item shows in control lists."""
    title = getattr(item, "control_title", None)
    return str(title if title is not None else item)[:300]
