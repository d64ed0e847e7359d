"""Field validators shared by forms and serializers, with Ukrainian messages."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_NAME_RE = re.compile(r"^[A-Za-zА-Яа-яЄєІіЇїҐґ'’ʼ\- ]+$")
_PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{7,20}$")


def validate_person_name(value: str) -> None:
    """Allow letters (Ukrainian or Latin), apostrophes, hyphens and spaces."""
    if not _NAME_RE.fullmatch(value.strip()):
        raise ValidationError(
            "Ім'я може містити лише літери, апостроф, дефіс і пробіл.", code="invalid_name"
        )


def validate_phone(value: str) -> None:
    """Allow a phone number of digits with optional +, spaces, brackets and hyphens."""
    if value and not _PHONE_RE.fullmatch(value.strip()):
        raise ValidationError(
            "Невірний номер телефону. Приклад: +380 56 123 45 67.", code="invalid_phone"
        )
