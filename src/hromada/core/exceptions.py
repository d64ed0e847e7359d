"""Domain errors raised by services and shown to users."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A domain rule was broken; `message` is a Ukrainian sentence for the user."""

    def __init__(self, message: Any, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return self.message
