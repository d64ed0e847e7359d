"""Test helpers for appeals: the control factories' organisation and a typical card."""

from __future__ import annotations

from typing import Any

from hromada.accounts.models import User
from hromada.appeals import services
from hromada.appeals.models import Appeal, Channel
from hromada.control.factories import Org


def card(**overrides: Any) -> services.AppealCard:
    """A typical complete card: a resident asks to repair the yard lighting."""
    values: dict[str, Any] = {
        "surname": "Коваленко",
        "given_name": "Олена",
        "patronymic": "Петрівна",
        "address": "вул. Свободи, 12, кв. 5",
        "district": "TSM",
        "email": "olena@example.org",
        "phone": "+380 67 123 45 67",
        "sex": "4.2",
        "kind": Appeal.Kind.APPLICATION,
        "summary": "Не працює освітлення у дворі",
        "text": "Прошу відновити освітлення у дворі будинку № 12 по вул. Свободи.",
        "topics": ["109"],
        "consent": True,
    }
    values.update(overrides)
    return services.AppealCard(**values)


def register(
    org: Org,
    *,
    actor: User | None = None,
    channel: str = Channel.HOTLINE,
    files: Any = (),
    **overrides: Any,
) -> services.Registered:
    """Register an appeal in department D's journal by its operator."""
    return services.appeal_register(
        actor=actor or org.operator,
        body=org.d,
        channel=channel,
        card=card(**overrides),
        files=files,
    )
