"""A lean reading of well-formed JSON for a DRF serializer of plain fields (the API's card).

A DRF serializer deep-copies its declared fields for every instance and runs each value
through several layers (≈ 1.1 ms for the 22 fields of ``AppealRegisterSerializer``, a
tenth of an API registration). :class:`LeanParser` reads the same declared fields once and
then checks a request's JSON object directly. It answers only when the input is of the
plain, well-formed kind an integration sends (strings as strings, booleans as booleans, …)
and every check the serializer would make passes — then its result equals the serializer's
``validated_data``. In every other case (an error to report, a number sent as a string, a
field kind it does not know) it answers ``None`` and the caller runs the serializer, whose
errors and messages are therefore exactly DRF's. ``tests/test_api_parse.py`` compares the
two on generated inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.validators import ProhibitSurrogateCharactersValidator

# What a value check returns when the input is not one it vouches for.
_NO = object()
_SURROGATE = re.compile("[\ud800-\udfff]")
Check = Callable[[Any], Any]

# The validators DRF adds to a CharField itself; any other validator is not re-checked here.
_CHAR_VALIDATORS = (
    MaxLengthValidator,
    MinLengthValidator,
    ProhibitNullCharactersValidator,
    ProhibitSurrogateCharactersValidator,
)


def _char(field: serializers.CharField) -> Check | None:
    if type(field) is not serializers.CharField or not field.trim_whitespace:
        return None
    if any(not isinstance(v, _CHAR_VALIDATORS) for v in field.validators):
        return None
    allow_blank, longest, shortest = field.allow_blank, field.max_length, field.min_length

    def check(value: Any) -> Any:
        if type(value) is not str:
            return _NO
        value = value.strip()
        if not value:
            return "" if allow_blank else _NO  # DRF returns "" before any validator
        if longest is not None and len(value) > longest:
            return _NO
        if shortest is not None and len(value) < shortest:
            return _NO
        if "\x00" in value or _SURROGATE.search(value):
            return _NO
        return value

    return check


def _choice(field: serializers.ChoiceField) -> Check | None:
    if type(field) is not serializers.ChoiceField or field.validators:
        return None
    known = dict(field.choice_strings_to_values)
    allow_blank = field.allow_blank

    def check(value: Any) -> Any:
        if type(value) is not str:
            return _NO
        if value == "" and allow_blank:
            return ""
        return known.get(value, _NO)

    return check


def _integer(field: serializers.IntegerField) -> Check | None:
    if type(field) is not serializers.IntegerField:
        return None
    if any(not isinstance(v, (MinValueValidator, MaxValueValidator)) for v in field.validators):
        return None
    low, high = field.min_value, field.max_value

    def check(value: Any) -> Any:
        if type(value) is not int:
            return _NO
        if (low is not None and value < low) or (high is not None and value > high):
            return _NO
        return value

    return check


def _boolean(field: serializers.BooleanField) -> Check | None:
    if type(field) is not serializers.BooleanField or field.validators:
        return None
    return lambda value: value if type(value) is bool else _NO


def _list(field: serializers.ListField) -> Check | None:
    if type(field) is not serializers.ListField or field.child is None:
        return None
    if any(not isinstance(v, (MaxLengthValidator, MinLengthValidator)) for v in field.validators):
        return None
    child = _check_of(field.child)
    if child is None or field.child.allow_null:
        return None
    allow_empty, longest, shortest = field.allow_empty, field.max_length, field.min_length

    def check(value: Any) -> Any:
        if type(value) is not list:
            return _NO
        if (
            (not value and not allow_empty)
            or (longest is not None and len(value) > longest)
            or (shortest is not None and len(value) < shortest)
        ):
            return _NO
        items = [child(item) for item in value]
        return _NO if any(item is _NO for item in items) else items

    return check


def _check_of(field: Any) -> Check | None:
    """Return the value check of a field kind known here (None: the serializer decides)."""
    for make in (_char, _choice, _integer, _boolean, _list):
        check = make(field)
        if check is not None:
            return check
    if isinstance(field, serializers.DateField) and field.allow_null:
        # Only a null date is read here; a date string goes through the serializer.
        return lambda value: _NO
    return None


class LeanParser:
    """The fields of a plain DRF serializer, read once; :meth:`parse` checks an input."""

    def __init__(self, serializer_class: type[serializers.Serializer[Any]]) -> None:
        self._serializer_class = serializer_class
        self._fields: list[tuple[str, Check, bool, Any, bool]] | None = None
        self._usable = True

    def _prepare(self) -> list[tuple[str, Check, bool, Any, bool]]:
        cls = self._serializer_class
        serializer = cls()
        # No validation of the serializer's own (validate(), validators, validate_<field>).
        plain = cls.validate is serializers.Serializer.validate and not serializer.validators
        prepared: list[tuple[str, Check, bool, Any, bool]] = []
        for name, field in serializer.fields.items():
            check = _check_of(field)
            if (
                not plain
                or check is None
                or hasattr(cls, f"validate_{name}")
                or field.read_only
                or field.source != name
                or (field.default is not empty and callable(field.default))
            ):
                self._usable = False
                return []
            prepared.append((name, check, field.required, field.default, field.allow_null))
        return prepared

    def parse(self, data: Any) -> dict[str, Any] | None:
        """Return what the serializer's ``validated_data`` would be, or None: ask it."""
        if self._fields is None:
            self._fields = self._prepare()
        if not self._usable or type(data) is not dict:
            return None
        result: dict[str, Any] = {}
        for name, check, required, default, allow_null in self._fields:
            value = data.get(name, empty)
            if value is empty:
                if required:
                    return None
                if default is not empty:
                    result[name] = default
                continue
            if value is None:
                if not allow_null:
                    return None
                result[name] = None
                continue
            checked = check(value)
            if checked is _NO:
                return None
            result[name] = checked
        return result
